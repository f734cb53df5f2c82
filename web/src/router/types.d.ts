import 'vue-router'

export {}

declare module 'vue-router' {
  interface RouteMeta {
    /** i18n key of the title (menu, breadcrumb, document title). */
    title?: string
    /** Element Plus icon component name. */
    icon?: string
    /** Permission needed to open the route (and to see it in the menu). */
    permission?: string
    /** Reachable without logging in. */
    public?: boolean
    /** Never shown in the sidebar menu. */
    hideInMenu?: boolean
  }
}
