import { http } from '@/utils/http'
import type { Page, PageQuery } from './types'

export interface LoginLog {
  id: number
  at: string
  username: string
  user_id: number | null
  success: boolean
  reason: string | null
  ip: string | null
  user_agent: string | null
}

export interface LoginLogQuery extends PageQuery {
  username?: string
  success?: boolean | ''
  from?: string
  to?: string
}

export const listLoginLogs = (query: LoginLogQuery) => http.get<Page<LoginLog>>('/login-logs', { ...query })
