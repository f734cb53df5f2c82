import type { Directive } from 'vue'
import { useUserStoreHook } from '@/store/modules/user'

/**
 * `v-perm="'user:create'"` (or a list: any of them) removes the element
 * when the user lacks the permission.
 */
export const perm: Directive<HTMLElement, string | string[]> = {
  mounted(el, binding) {
    if (!useUserStoreHook().hasPerm(binding.value)) el.parentNode?.removeChild(el)
  }
}
