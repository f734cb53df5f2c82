import { ref, shallowRef } from 'vue'

/**
 * One record a page shows, fetched and fetched again: `data` keeps the last good answer while a reload runs or
 * fails; `loadError` holds the message of the last failure ('' after a success).
 */
export function useLoader<T>(fetch: () => Promise<T>) {
  const data = shallowRef<T | null>(null)
  const loading = ref(false)
  const loadError = ref('')

  async function load() {
    loading.value = true
    try {
      data.value = await fetch()
      loadError.value = ''
    } catch (err) {
      loadError.value = err instanceof Error ? err.message : String(err)
    } finally {
      loading.value = false
    }
  }

  return { data, loading, loadError, load }
}
