import { http } from '@/utils/http'
import { MAX_LIMIT, type Kind, type Page } from './types'

export type DataScope = 'all' | 'department' | 'department_tree' | 'own' | 'custom'
export const DATA_SCOPES: DataScope[] = ['all', 'department_tree', 'department', 'own', 'custom']

export interface Role {
  id: number
  code: string
  name: string
  kind: Kind
  data_scope: DataScope
  custom_department_ids: number[]
  permissions: string[]
  built_in: boolean
  user_count: number
  version: number
}

export interface Permission {
  code: string
  resource: string
  action: string
  name_zh: string
  name_en: string
  /** Role kinds allowed to hold this permission. */
  kinds: Kind[]
}

export interface CreateRole {
  code: string
  name: string
  kind: Kind
  data_scope: DataScope
  custom_department_ids?: number[]
  permissions: string[]
}

export interface UpdateRole {
  name?: string
  data_scope?: DataScope
  custom_department_ids?: number[]
  permissions?: string[]
  version: number
}

export const listRoles = (opts: { silent?: boolean } = {}) =>
  http.get<Page<Role>>('/roles', { offset: 0, limit: MAX_LIMIT }, opts)
export const createRole = (body: CreateRole) => http.post<Role>('/roles', body, { idempotent: true, silent: true })
export const updateRole = (id: number, body: UpdateRole) => http.patch<Role>(`/roles/${id}`, body, { silent: true })
export const listPermissions = () => http.get<{ items: Permission[] }>('/permissions')
