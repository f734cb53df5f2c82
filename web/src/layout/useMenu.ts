import { computed } from 'vue'
import type { RouteRecordRaw } from 'vue-router'
import { kindAllowed, layoutRoutes } from '@/router/routes'
import { useUserStore } from '@/store/modules/user'

export interface MenuItem {
  name: string
  path: string
  title: string
  icon?: string
  children?: MenuItem[]
}

function join(parent: string, child: string): string {
  if (child.startsWith('/')) return child
  const base = parent.replace(/\/$/, '')
  return child ? `${base}/${child}` : base || '/'
}

/**
 * The sidebar menu: built from the routes, keeping only pages the user may open.
 * A named top-level route is a group, shown only if one of its children is allowed.
 */
export function useMenu() {
  const store = useUserStore()
  const allowed = (r: RouteRecordRaw) =>
    !r.meta?.hideInMenu &&
    store.hasPerm(r.meta?.permission) &&
    kindAllowed(r.meta?.kind, store.me?.kind) &&
    (!r.meta?.menuPath || !!r.meta.menuPath())

  const leaf = (parentPath: string, r: RouteRecordRaw): MenuItem => ({
    name: String(r.name),
    path: r.meta?.menuPath?.() ?? join(parentPath, r.path),
    title: r.meta?.title ?? String(r.name),
    icon: r.meta?.icon
  })

  const menus = computed<MenuItem[]>(() => {
    const out: MenuItem[] = []
    for (const top of layoutRoutes) {
      if (top.meta?.hideInMenu) continue
      const children = (top.children ?? []).filter(allowed).map(c => leaf(top.path, c))
      if (top.name) {
        if (children.length) {
          out.push({ name: String(top.name), path: top.path, title: top.meta?.title ?? '', icon: top.meta?.icon, children })
        }
      } else {
        out.push(...children)
      }
    }
    return out
  })

  return { menus }
}
