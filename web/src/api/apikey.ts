import { http } from '@/utils/http'
import type { Page, PageQuery } from './types'

export interface ApiKey {
  id: number
  name: string
  prefix: string
  user_id: number | null
  username: string | null
  institution_id: number | null
  institution_name: string | null
  created_at: string
  expires_at: string | null
  revoked_at: string | null
  last_used_at: string | null
}

/** The answer of POST /api-keys: the secret `key` is shown once. */
export interface CreatedApiKey extends ApiKey {
  key: string
}

export interface CreateApiKey {
  name: string
  user_id?: number
  expires_in_days?: number
}

export const listApiKeys = (query: PageQuery) => http.get<Page<ApiKey>>('/api-keys', { ...query })
export const createApiKey = (body: CreateApiKey) =>
  http.post<CreatedApiKey>('/api-keys', body, { idempotent: true, silent: true })
export const revokeApiKey = (id: number) => http.post<void>(`/api-keys/${id}/revoke`)
