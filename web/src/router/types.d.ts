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
    /** Menu entry to highlight while this (hidden) page is open, e.g. a detail page's list. */
    activeMenu?: string
    /**
     * The menu item's target, computed for the current user (e.g. 我的企业 → /registry/enterprises/7);
     * the item is hidden when it gives nothing.
     */
    menuPath?: () => string | undefined
    /** Only shown in the menu to users of this kind (or of one of these kinds). */
    kind?: string | string[]
  }
}
