import { http } from '@/utils/http'
import type { Page, PageQuery } from './types'

export interface Session {
  id: number
  user_id: number
  username: string
  display_name: string
  created_at: string
  last_seen_at: string | null
  expires_at: string
  ip: string | null
  user_agent: string | null
  /** This is the session of the current browser. */
  current: boolean
}

export const listSessions = (query: PageQuery) => http.get<Page<Session>>('/sessions', { ...query })
export const revokeSession = (id: number) => http.post<void>(`/sessions/${id}/revoke`)
