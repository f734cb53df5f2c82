import { http } from '@/utils/http'
import type { Page, PageQuery } from './types'

export interface AuditLog {
  id: number
  at: string
  actor_id: number | null
  actor_name: string | null
  action: string
  entity: string
  entity_id: string | number | null
  result: string
  request_id: string | null
  ip: string | null
  payload: unknown
  before: unknown
  after: unknown
  prev_hash: string | null
  hash: string
}

export interface AuditFilter {
  actor?: string
  action?: string
  entity?: string
  entity_id?: string
  result?: string
  from?: string
  to?: string
}

export type AuditQuery = AuditFilter & PageQuery

export interface AuditVerifyResult {
  ok: boolean
  checked: number
  first_broken_id: number | null
  message: string
}

export type ExportFormat = 'xlsx' | 'csv'

export const listAuditLogs = (query: AuditQuery) => http.get<Page<AuditLog>>('/audit-logs', { ...query })

/** GET /audit-logs/export?format=…&(filters) as a browser download. */
export const exportAuditLogs = (format: ExportFormat, filter: AuditFilter) =>
  http.download('/audit-logs/export', { format, ...filter }, `audit-logs.${format}`)

export const verifyAuditChain = () => http.get<AuditVerifyResult>('/audit-logs/verify')
