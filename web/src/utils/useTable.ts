import { ref, shallowRef } from 'vue'
import type { Page } from '@/api/types'

export interface PageParams {
  offset: number
  limit: number
}

/**
 * State of a server-paged table: rows, total, page, page size and loading flag.
 * `fetcher` gets `{offset, limit}`; the view adds its own filters.
 */
export function useTable<T>(fetcher: (page: PageParams) => Promise<Page<T>>, pageSize = 20) {
  const rows = shallowRef<T[]>([])
  const total = ref(0)
  const page = ref(1)
  const size = ref(pageSize)
  const loading = ref(false)
  let seq = 0

  async function load() {
    const mine = ++seq
    loading.value = true
    try {
      const res = await fetcher({ offset: (page.value - 1) * size.value, limit: size.value })
      if (mine !== seq) return
      rows.value = res?.items ?? []
      total.value = res?.total ?? rows.value.length
      // The page emptied (e.g. last row of the last page removed): step back.
      if (!rows.value.length && page.value > 1 && total.value > 0) {
        page.value = Math.max(1, Math.ceil(total.value / size.value))
        await load()
      }
    } catch {
      if (mine === seq) {
        rows.value = []
        total.value = 0
      }
    } finally {
      if (mine === seq) loading.value = false
    }
  }

  /** Back to page 1 and load (after changing filters). */
  function search() {
    page.value = 1
    return load()
  }

  function onSizeChange(value: number) {
    size.value = value
    page.value = 1
    return load()
  }

  function onPageChange(value: number) {
    page.value = value
    return load()
  }

  return { rows, total, page, size, loading, load, search, onSizeChange, onPageChange }
}

export const PAGE_SIZES = [10, 20, 50, 100]
