import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { getMe, login as apiLogin, logout as apiLogout, type Me } from '@/api/auth'
import { ApiError } from '@/utils/http'
import { pinia } from '@/store'

export const useUserStore = defineStore('user', () => {
  /** The logged-in user, or null. */
  const me = ref<Me | null>(null)
  /** Whether GET /auth/me has been asked since the page loaded. */
  const loaded = ref(false)

  const isLoggedIn = computed(() => me.value !== null)
  const permissions = computed(() => new Set(me.value?.permissions ?? []))
  const displayName = computed(() => me.value?.display_name || me.value?.username || '')

  /** True if the user holds `perm` (or, for a list, any of them). No requirement = allowed. */
  function hasPerm(perm?: string | string[] | null): boolean {
    if (!perm || (Array.isArray(perm) && perm.length === 0)) return true
    const set = permissions.value
    return Array.isArray(perm) ? perm.some(p => set.has(p)) : set.has(perm)
  }

  async function fetchMe(): Promise<Me | null> {
    try {
      me.value = await getMe()
    } catch (err) {
      // 401: not logged in. Other errors: treat as logged out too, the login page says why.
      if (!(err instanceof ApiError)) console.error(err)
      me.value = null
    } finally {
      loaded.value = true
    }
    return me.value
  }

  async function login(username: string, password: string): Promise<Me> {
    const res = await apiLogin(username, password)
    me.value = res.user
    loaded.value = true
    return res.user
  }

  async function logout() {
    try {
      await apiLogout()
    } catch {
      /* the session may already be gone */
    }
    clear()
  }

  function clear() {
    me.value = null
    loaded.value = true
  }

  return { me, loaded, isLoggedIn, permissions, displayName, hasPerm, fetchMe, login, logout, clear }
})

/** For use outside components (router guards, directives). */
export function useUserStoreHook() {
  return useUserStore(pinia)
}
