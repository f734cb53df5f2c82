import type { RouteRecordRaw } from 'vue-router'

import { useUserStoreHook } from '@/store/modules/user'

const Layout = () => import('@/layout/index.vue')

/** 我的企业: the logged-in enterprise user's own profile page (none without an enterprise). */
function myEnterprisePath(): string | undefined {
  const id = useUserStoreHook().me?.enterprise_id
  return id ? `/registry/enterprises/${id}` : undefined
}

/**
 * Routes. Every top-level record with `component: Layout` is a sidebar entry:
 * a record with a visible `children` list is a sub-menu (shown only when one child is allowed),
 * otherwise its single child is a plain menu item. `meta.permission` guards a page.
 */
export const layoutRoutes: RouteRecordRaw[] = [
  {
    path: '/',
    component: Layout,
    meta: { title: 'menu.home', icon: 'HomeFilled' },
    children: [
      {
        path: '',
        name: 'home',
        component: () => import('@/views/welcome/index.vue'),
        meta: { title: 'menu.home', icon: 'HomeFilled' }
      },
      {
        path: '403',
        name: '403',
        component: () => import('@/views/error/403.vue'),
        meta: { title: 'menu.forbidden', hideInMenu: true }
      }
    ]
  },
  {
    path: '/registry',
    name: 'registry',
    component: Layout,
    meta: { title: 'menu.registry', icon: 'Collection' },
    children: [
      {
        path: 'enterprises',
        name: 'registry-enterprises',
        component: () => import('@/views/registry/enterprises/index.vue'),
        meta: { title: 'menu.enterprises', icon: 'School', permission: 'enterprise:read' }
      },
      {
        // 我的企业: an enterprise user's own profile. The menu item links straight to
        // /registry/enterprises/<id>; this path serves bookmarks.
        path: 'my-enterprise',
        name: 'registry-my-enterprise',
        component: () => import('@/views/registry/enterprise-detail/index.vue'),
        meta: {
          title: 'menu.myEnterprise',
          icon: 'House',
          permission: 'enterprise:edit_own',
          kind: 'enterprise',
          menuPath: myEnterprisePath
        }
      },
      {
        path: 'enterprises/:id(\\d+)',
        name: 'registry-enterprise-detail',
        component: () => import('@/views/registry/enterprise-detail/index.vue'),
        meta: {
          title: 'menu.enterpriseDetail',
          permission: 'enterprise:read',
          hideInMenu: true,
          activeMenu: '/registry/enterprises'
        }
      },
      {
        path: 'pending-changes',
        name: 'registry-pending-changes',
        component: () => import('@/views/registry/pending-changes/index.vue'),
        meta: { title: 'menu.pendingChanges', icon: 'Stamp', permission: 'enterprise:approve' }
      },
      {
        path: 'institutions',
        name: 'registry-institutions',
        component: () => import('@/views/registry/institutions/index.vue'),
        meta: { title: 'menu.institutions', icon: 'CreditCard', permission: 'institution:read' }
      }
    ]
  },
  {
    path: '/directories',
    component: Layout,
    meta: { title: 'menu.directories', icon: 'Files' },
    children: [
      {
        path: '',
        name: 'directories',
        component: () => import('@/views/directories/index.vue'),
        meta: { title: 'menu.directories', icon: 'Files', permission: 'directory:read' }
      },
      {
        path: ':id(\\d+)',
        name: 'directory-detail',
        component: () => import('@/views/directories/detail/index.vue'),
        meta: { title: 'menu.directoryDetail', permission: 'directory:read', hideInMenu: true, activeMenu: '/directories' }
      }
    ]
  },
  {
    path: '/imports',
    component: Layout,
    meta: { title: 'menu.imports', icon: 'Upload' },
    children: [
      {
        path: '',
        name: 'imports',
        component: () => import('@/views/imports/index.vue'),
        meta: { title: 'menu.imports', icon: 'Upload', permission: 'import:run' }
      }
    ]
  },
  {
    path: '/system',
    name: 'system',
    component: Layout,
    meta: { title: 'menu.system', icon: 'Setting' },
    children: [
      {
        path: 'users',
        name: 'system-users',
        component: () => import('@/views/system/users/index.vue'),
        meta: { title: 'menu.users', icon: 'User', permission: 'user:read' }
      },
      {
        path: 'departments',
        name: 'system-departments',
        component: () => import('@/views/system/departments/index.vue'),
        meta: { title: 'menu.departments', icon: 'OfficeBuilding', permission: 'department:read' }
      },
      {
        path: 'roles',
        name: 'system-roles',
        component: () => import('@/views/system/roles/index.vue'),
        meta: { title: 'menu.roles', icon: 'UserFilled', permission: 'role:read' }
      },
      {
        path: 'login-logs',
        name: 'system-login-logs',
        component: () => import('@/views/system/login-logs/index.vue'),
        meta: { title: 'menu.loginLogs', icon: 'Document', permission: 'loginlog:read' }
      },
      {
        path: 'sessions',
        name: 'system-sessions',
        component: () => import('@/views/system/sessions/index.vue'),
        meta: { title: 'menu.sessions', icon: 'Monitor', permission: 'session:read' }
      },
      {
        path: 'api-keys',
        name: 'system-api-keys',
        component: () => import('@/views/system/api-keys/index.vue'),
        meta: { title: 'menu.apiKeys', icon: 'Key', permission: 'apikey:read' }
      }
    ]
  },
  {
    path: '/audit',
    name: 'audit',
    component: Layout,
    meta: { title: 'menu.audit', icon: 'Tickets' },
    children: [
      {
        path: 'logs',
        name: 'audit-logs',
        component: () => import('@/views/audit/logs/index.vue'),
        meta: { title: 'menu.auditLogs', icon: 'List', permission: 'audit:read' }
      }
    ]
  }
]

export const routes: RouteRecordRaw[] = [
  {
    path: '/login',
    name: 'login',
    component: () => import('@/views/login/index.vue'),
    meta: { title: 'menu.login', public: true }
  },
  ...layoutRoutes,
  {
    path: '/:pathMatch(.*)*',
    component: Layout,
    meta: { hideInMenu: true },
    children: [
      {
        path: '',
        name: '404',
        component: () => import('@/views/error/404.vue'),
        meta: { title: 'menu.notFound', hideInMenu: true }
      }
    ]
  }
]
