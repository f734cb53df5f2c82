import { http } from '@/utils/http'
import type { Kind, RoleRef } from './types'

export interface Me {
  id: number
  username: string
  display_name: string
  kind: Kind
  department_id: number | null
  department_name: string | null
  enterprise_id: number | null
  institution_id: number | null
  roles: RoleRef[]
  permissions: string[]
}

export interface LoginResult {
  token: string
  expires_at: string
  user: Me
}

/** POST /auth/login — errors are handled by the login page (401 wrong credentials, 429 locked). */
export const login = (username: string, password: string) =>
  http.post<LoginResult>('/auth/login', { username, password }, { silent: true, skipAuthRedirect: true })

export const logout = () => http.post<void>('/auth/logout', undefined, { silent: true, skipAuthRedirect: true })

/** GET /auth/me — a 401 just means "not logged in". */
export const getMe = () => http.get<Me>('/auth/me', undefined, { silent: true, skipAuthRedirect: true })

export const changePassword = (old_password: string, new_password: string) =>
  http.post<void>('/auth/password', { old_password, new_password }, { silent: true })
