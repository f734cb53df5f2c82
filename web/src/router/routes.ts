import type { RouteRecordRaw } from 'vue-router'

import { useUserStoreHook } from '@/store/modules/user'

const Layout = () => import('@/layout/index.vue')

/** 我的企业: the logged-in enterprise user's own profile page (none without an enterprise). */
function myEnterprisePath(): string | undefined {
  const id = useUserStoreHook().me?.enterprise_id
  return id ? `/registry/enterprises/${id}` : undefined
}

/** Does a user of `kind` see a route limited to `wanted` (a kind or a list of kinds; none = everyone)? */
export function kindAllowed(wanted: string | string[] | undefined, kind: string | undefined): boolean {
  if (!wanted) return true
  return Array.isArray(wanted) ? !!kind && wanted.includes(kind) : kind === wanted
}

/** Kinds that see the officers' views of the financing loop. */
const OFFICER_KINDS = ['government', 'administrator']

/** 机构服务评价 is open to every logged-in user; each kind finds it in its own menu group. */
const scorecardsPage = () => import('@/views/supervision/scorecards/index.vue')

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
      },
      {
        path: 'projects',
        name: 'registry-projects',
        component: () => import('@/views/registry/projects/index.vue'),
        meta: { title: 'menu.projects', icon: 'OfficeBuilding', permission: 'directory:read' }
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
    // 融资服务: the enterprise portal (and the product market, open to every user with product:read).
    path: '/finance',
    name: 'finance',
    component: Layout,
    meta: { title: 'menu.finance', icon: 'Wallet' },
    children: [
      {
        path: 'demands',
        name: 'finance-demands',
        component: () => import('@/views/finance/demands/index.vue'),
        meta: { title: 'menu.myDemands', icon: 'Promotion', permission: 'demand:write' }
      },
      {
        // 智能匹配: the products the matching engine ranks for one of my demands (why, why not, what would open more).
        path: 'demands/:id(\\d+)/matches',
        name: 'finance-demand-matches',
        component: () => import('@/views/finance/demand-matches/index.vue'),
        meta: { title: 'matching.menu.demandMatches', permission: 'demand:write', hideInMenu: true, activeMenu: '/finance/demands' }
      },
      {
        path: 'products',
        name: 'finance-products',
        component: () => import('@/views/finance/products/index.vue'),
        meta: { title: 'menu.products', icon: 'Goods', permission: 'product:read' }
      },
      {
        path: 'applications',
        name: 'finance-applications',
        component: () => import('@/views/finance/applications/index.vue'),
        props: { mode: 'mine', detailBase: '/finance/applications' },
        meta: { title: 'menu.myApplications', icon: 'Tickets', permission: 'application:create', kind: 'enterprise' }
      },
      {
        path: 'applications/:id(\\d+)',
        name: 'finance-application-detail',
        component: () => import('@/views/finance/application-detail/index.vue'),
        props: { listPath: '/finance/applications' },
        meta: { title: 'menu.applicationDetail', permission: 'application:read', hideInMenu: true, activeMenu: '/finance/applications' }
      },
      {
        // 我的信用: the enterprise's own public-credit score, records and who viewed its profile.
        path: 'credit',
        name: 'finance-credit',
        component: () => import('@/views/credit/mine/index.vue'),
        meta: { title: 'menu.myCredit', icon: 'Medal', permission: 'credit:own' }
      },
      {
        path: 'consents',
        name: 'finance-consents',
        component: () => import('@/views/finance/consents/index.vue'),
        meta: { title: 'menu.consents', icon: 'Lock', permission: 'consent:grant' }
      },
      {
        path: 'loans',
        name: 'finance-loans',
        component: () => import('@/views/finance/loans/index.vue'),
        meta: { title: 'menu.myLoans', icon: 'Money', permission: 'loan:read', kind: 'enterprise' }
      },
      {
        path: 'scorecards',
        name: 'finance-scorecards',
        component: scorecardsPage,
        meta: { title: 'menu.scorecards', icon: 'Trophy', kind: 'enterprise' }
      }
    ]
  },
  {
    // 机构工作台: a financial institution's products, leads, pipeline and loans.
    path: '/workbench',
    name: 'workbench',
    component: Layout,
    meta: { title: 'menu.workbench', icon: 'Briefcase' },
    children: [
      {
        path: 'products',
        name: 'workbench-products',
        component: () => import('@/views/workbench/products/index.vue'),
        meta: { title: 'menu.myProducts', icon: 'Goods', permission: 'product:write' }
      },
      {
        // 推荐线索: the open demands the matching engine ranks for one of my published products.
        path: 'products/:id(\\d+)/leads',
        name: 'workbench-product-leads',
        component: () => import('@/views/workbench/product-leads/index.vue'),
        meta: { title: 'matching.menu.productLeads', permission: 'product:write', hideInMenu: true, activeMenu: '/workbench/products' }
      },
      {
        path: 'leads',
        name: 'workbench-leads',
        component: () => import('@/views/workbench/leads/index.vue'),
        meta: { title: 'menu.leads', icon: 'Opportunity', permission: 'application:decide' }
      },
      {
        path: 'board',
        name: 'workbench-board',
        component: () => import('@/views/workbench/board/index.vue'),
        meta: { title: 'menu.board', icon: 'Grid', permission: 'application:decide' }
      },
      {
        path: 'applications',
        name: 'workbench-applications',
        component: () => import('@/views/finance/applications/index.vue'),
        props: { mode: 'institution', detailBase: '/workbench/applications' },
        meta: { title: 'menu.institutionApplications', icon: 'Tickets', permission: 'application:decide' }
      },
      {
        path: 'applications/:id(\\d+)',
        name: 'workbench-application-detail',
        component: () => import('@/views/finance/application-detail/index.vue'),
        props: { listPath: '/workbench/board' },
        meta: { title: 'menu.applicationDetail', permission: 'application:read', hideInMenu: true, activeMenu: '/workbench/board' }
      },
      {
        path: 'loans',
        name: 'workbench-loans',
        component: () => import('@/views/finance/loans/index.vue'),
        meta: { title: 'menu.loanRegister', icon: 'Money', permission: 'loan:write' }
      },
      {
        path: 'scorecards',
        name: 'workbench-scorecards',
        component: scorecardsPage,
        meta: { title: 'menu.scorecards', icon: 'Trophy', kind: 'institution' }
      }
    ]
  },
  {
    // 融资监测: officers follow every application, the overdue ones, review products, collect needs (需求征集),
    // run the public-credit score (信用数据, 评分监测, 白名单候选) and publish the institutions' service records (机构服务评价).
    path: '/supervision',
    name: 'supervision',
    component: Layout,
    meta: { title: 'menu.supervision', icon: 'DataAnalysis' },
    children: [
      {
        path: 'applications',
        name: 'supervision-applications',
        component: () => import('@/views/finance/applications/index.vue'),
        props: { mode: 'all', detailBase: '/supervision/applications' },
        meta: { title: 'menu.allApplications', icon: 'Tickets', permission: 'application:read', kind: OFFICER_KINDS }
      },
      {
        path: 'overdue',
        name: 'supervision-overdue',
        component: () => import('@/views/finance/applications/index.vue'),
        props: { mode: 'overdue', detailBase: '/supervision/applications' },
        meta: { title: 'menu.overdue', icon: 'AlarmClock', permission: 'application:read', kind: OFFICER_KINDS }
      },
      {
        path: 'applications/:id(\\d+)',
        name: 'supervision-application-detail',
        component: () => import('@/views/finance/application-detail/index.vue'),
        props: { listPath: '/supervision/applications' },
        meta: { title: 'menu.applicationDetail', permission: 'application:read', hideInMenu: true, activeMenu: '/supervision/applications' }
      },
      {
        path: 'product-review',
        name: 'supervision-product-review',
        component: () => import('@/views/supervision/product-review/index.vue'),
        meta: { title: 'menu.productReview', icon: 'Stamp', permission: 'product:review' }
      },
      {
        path: 'loans',
        name: 'supervision-loans',
        component: () => import('@/views/finance/loans/index.vue'),
        meta: { title: 'menu.loanStats', icon: 'Money', permission: 'loan:read', kind: OFFICER_KINDS }
      },
      {
        path: 'campaigns',
        name: 'supervision-campaigns',
        component: () => import('@/views/supervision/campaigns/index.vue'),
        meta: { title: 'menu.campaigns', icon: 'Memo', permission: 'campaign:write' }
      },
      {
        path: 'campaigns/:id(\\d+)',
        name: 'supervision-campaign-detail',
        component: () => import('@/views/supervision/campaign-detail/index.vue'),
        meta: { title: 'menu.campaignDetail', permission: 'campaign:write', hideInMenu: true, activeMenu: '/supervision/campaigns' }
      },
      {
        // 批量撮合: batch allocation of the open demands to products, recommendation replay and the matching models.
        path: 'matching',
        name: 'supervision-matching',
        component: () => import('@/views/matching/batches/index.vue'),
        meta: { title: 'matching.menu.batches', icon: 'Connection', permission: 'matching:batch' }
      },
      {
        // A demand's 智能匹配 list as the officers see it (from a batch's assignments).
        path: 'matching/demands/:id(\\d+)/matches',
        name: 'supervision-demand-matches',
        component: () => import('@/views/finance/demand-matches/index.vue'),
        props: { listPath: '/supervision/matching' },
        meta: { title: 'matching.menu.demandMatches', permission: 'matching:batch', hideInMenu: true, activeMenu: '/supervision/matching' }
      },
      {
        // 公共信用: data loads and their quality, the score's monitoring and models, the white-list candidates.
        path: 'credit-data',
        name: 'supervision-credit-data',
        component: () => import('@/views/credit/data/index.vue'),
        meta: { title: 'menu.creditData', icon: 'DataBoard', permission: 'credit:read' }
      },
      {
        path: 'credit-monitoring',
        name: 'supervision-credit-monitoring',
        component: () => import('@/views/credit/monitoring/index.vue'),
        meta: { title: 'menu.creditMonitoring', icon: 'TrendCharts', permission: 'credit:read' }
      },
      {
        path: 'whitelist',
        name: 'supervision-whitelist',
        component: () => import('@/views/credit/whitelist/index.vue'),
        meta: { title: 'menu.whitelist', icon: 'Finished', permission: 'credit:read' }
      },
      {
        // Everyone but enterprises and institutions (they have it in their own groups).
        path: 'scorecards',
        name: 'supervision-scorecards',
        component: scorecardsPage,
        meta: { title: 'menu.scorecards', icon: 'Trophy', kind: [...OFFICER_KINDS, 'auditor'] }
      }
    ]
  },
  {
    // 试点监测: the pilot plan's indicators and targets — the cockpit (also the officers' landing view: see the home
    // page), the figures the responsible units report (maker–checker), the yearly targets, snapshots and reports.
    path: '/kpi',
    name: 'kpi',
    component: Layout,
    meta: { title: 'menu.kpi', icon: 'Odometer' },
    children: [
      {
        path: 'cockpit',
        name: 'kpi-cockpit',
        component: () => import('@/views/kpi/cockpit/index.vue'),
        meta: { title: 'menu.kpiCockpit', icon: 'DataLine', permission: 'kpi:read' }
      },
      {
        path: 'reported',
        name: 'kpi-reported',
        component: () => import('@/views/kpi/reported/index.vue'),
        meta: { title: 'menu.kpiReported', icon: 'EditPen', permission: 'kpi:read' }
      },
      {
        path: 'targets',
        name: 'kpi-targets',
        component: () => import('@/views/kpi/targets/index.vue'),
        meta: { title: 'menu.kpiTargets', icon: 'Aim', permission: 'kpi:read' }
      },
      {
        path: 'reports',
        name: 'kpi-reports',
        component: () => import('@/views/kpi/reports/index.vue'),
        meta: { title: 'menu.kpiReports', icon: 'Document', permission: 'kpi:read' }
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
        path: 'reference',
        name: 'system-reference',
        component: () => import('@/views/system/reference/index.vue'),
        meta: { title: 'menu.reference', icon: 'Collection', permission: 'reference:write' }
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
  {
    path: '/public/scorecards',
    name: 'public-scorecards',
    component: () => import('@/views/public/scorecards.vue'),
    meta: { title: 'menu.scorecards', public: true }
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
