import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import { kindAllowed, routes, layoutRoutes } from './routes'
import { useUserStoreHook } from '@/store/modules/user'
import { setUnauthorizedHandler } from '@/utils/http'
import { i18n } from '@/locales'

export const router = createRouter({
  history: createWebHistory(import.meta.env.BASE_URL),
  routes,
  scrollBehavior: () => ({ top: 0 })
})

/** Full path of the first child of a menu group the user may open. */
function firstAllowedChild(group: RouteRecordRaw, hasPerm: (p?: string) => boolean, kind?: string): string | undefined {
  const child = (group.children ?? []).find(
    c => !c.meta?.hideInMenu && hasPerm(c.meta?.permission) && kindAllowed(c.meta?.kind, kind)
  )
  if (!child) return undefined
  return child.path.startsWith('/') ? child.path : `${group.path.replace(/\/$/, '')}/${child.path}`
}

router.beforeEach(async to => {
  const store = useUserStoreHook()
  if (!store.loaded) await store.fetchMe()

  if (to.meta.public) {
    if (to.name === 'login' && store.isLoggedIn) {
      const redirect = typeof to.query.redirect === 'string' ? to.query.redirect : '/'
      return redirect.startsWith('/') && !redirect.startsWith('//') ? redirect : '/'
    }
    return true
  }

  if (!store.isLoggedIn) {
    return { name: 'login', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} }
  }

  // A bare group path (/system): go to the first page the user may open. Unnamed top-level records
  // (/directories) are single pages, not groups.
  const bare = to.path.replace(/\/+$/, '')
  const group = layoutRoutes.find(r => r.name && r.path === bare && r.path !== '/')
  if (group) {
    const target = firstAllowedChild(group, p => store.hasPerm(p), store.me?.kind)
    return target ?? { name: '403' }
  }

  const needed = to.matched.map(r => r.meta.permission).filter((p): p is string => !!p)
  if (!needed.every(p => store.hasPerm(p))) {
    return { name: '403', query: { from: to.fullPath } }
  }
  return true
})

router.afterEach(to => {
  const t = i18n.global.t
  const appTitle = t('app.title')
  document.title = to.meta.title ? `${t(to.meta.title)} - ${appTitle}` : appTitle
})

// The session ended (any API answered 401): forget the user and go to the login page.
setUnauthorizedHandler(() => {
  const store = useUserStoreHook()
  store.clear()
  const current = router.currentRoute.value
  if (current.name !== 'login') {
    router.replace({ name: 'login', query: current.fullPath !== '/' ? { redirect: current.fullPath } : {} })
  }
})

export default router
