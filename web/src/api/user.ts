import { http } from '@/utils/http'
import type { Kind, Page, PageQuery, RoleRef } from './types'

export type UserStatus = 'active' | 'disabled'

export interface User {
  id: number
  username: string
  display_name: string
  kind: Kind
  department_id: number | null
  department_name: string | null
  enterprise_id: number | null
  institution_id: number | null
  status: UserStatus
  locked_until: string | null
  phone: string | null
  email: string | null
  roles: RoleRef[]
  created_at: string
  updated_at: string
  last_login_at: string | null
  version: number
}

export interface UserQuery extends PageQuery {
  department_id?: number
  status?: UserStatus | ''
}

export interface CreateUser {
  username: string
  display_name: string
  password: string
  department_id?: number
  role_ids: number[]
  enterprise_id?: number
  institution_id?: number
  phone?: string
  email?: string
}

export interface UpdateUser {
  display_name?: string
  /** null removes the user from their department. */
  department_id?: number | null
  role_ids?: number[]
  phone?: string
  email?: string
  version: number
}

export const listUsers = (query: UserQuery) => http.get<Page<User>>('/users', { ...query })
export const getUser = (id: number) => http.get<User>(`/users/${id}`)
export const createUser = (body: CreateUser) => http.post<User>('/users', body, { idempotent: true, silent: true })
export const updateUser = (id: number, body: UpdateUser) => http.patch<User>(`/users/${id}`, body, { silent: true })
export const disableUser = (id: number) => http.post<User>(`/users/${id}/disable`)
export const enableUser = (id: number) => http.post<User>(`/users/${id}/enable`)
export const unlockUser = (id: number) => http.post<User>(`/users/${id}/unlock`)
export const resetUserPassword = (id: number, password: string) =>
  http.post<void>(`/users/${id}/reset-password`, { password }, { silent: true })
