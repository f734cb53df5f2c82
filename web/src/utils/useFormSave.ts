import { reactive, ref } from 'vue'
import { ApiError, showError } from '@/utils/http'

/**
 * A form's save: `saving` while it runs, and when the server refuses, its message shown and each field it names
 * in `serverErrors` (bind to el-form-item's `error`).
 */
export function useFormSave() {
  const serverErrors = reactive<Record<string, string>>({})
  const saving = ref(false)

  function clearErrors() {
    for (const k of Object.keys(serverErrors)) delete serverErrors[k]
  }

  /** Runs `write`; true when it succeeded. `formField` names the form item of an API field when they differ. */
  async function save(write: () => Promise<unknown>, formField: (apiField: string) => string = f => f): Promise<boolean> {
    clearErrors()
    saving.value = true
    try {
      await write()
      return true
    } catch (err) {
      if (err instanceof ApiError) for (const f of err.fields) serverErrors[formField(f.field)] = f.message
      showError(err)
      return false
    } finally {
      saving.value = false
    }
  }

  return { serverErrors, saving, clearErrors, save }
}
