import { http } from '@/utils/http'
import type { Page, PageQuery } from './types'

export type SizeClass = 'large' | 'medium' | 'small' | 'micro'
export const SIZE_CLASSES: SizeClass[] = ['large', 'medium', 'small', 'micro']

/** A row of GET /enterprises (contact fields come masked). */
export interface Enterprise {
  id: number
  uscc: string
  uscc_valid: boolean
  name: string
  district: string | null
  industry_code: string | null
  industry_446: string | null
  size_class: SizeClass | '' | null
  contact_person: string | null
  contact_phone: string | null
}

/** Filters shared by the list and the export. */
export interface EnterpriseFilter {
  q?: string
  district?: string
  /** GB/T 4754 code or a prefix of one (section, division, group). */
  industry?: string
  class446?: string
  size?: SizeClass
  tag?: string
  /** Directory code (members as of today). */
  directory?: string
}

export type EnterpriseQuery = EnterpriseFilter & PageQuery

export interface YearFigures {
  year: number
  employees: number | null
  revenue_fen: number | null
  assets_fen: number | null
  liabilities_fen: number | null
  rd_spend_fen: number | null
  rd_staff: number | null
  value_added_fen: number | null
  invention_patents: number | null
}

export type FiguresInput = Partial<Omit<YearFigures, 'year'>>

export interface EnterpriseTag {
  id: number
  tag: string
  name: string
  valid_from: string
  valid_to: string
  evidence: string
  chain: string
  chain_node: string
  created_at: string
  revoked_at: string | null
  revoke_reason: string
}

/** One stay of the enterprise in a directory. */
export interface DirectoryStay {
  id: number
  directory: string
  directory_name: string
  layer: string
  effective_from: string
  effective_to: string | null
  entry_reason: string
  entry_evidence: string
  approved_by: number | string | null
  exit_reason: string
}

export type PendingKind = 'industry' | 'tag'
export type PendingStatus = 'pending' | 'approved' | 'rejected'

export interface PendingChange {
  id: number
  kind: PendingKind
  payload: Record<string, unknown>
  status: PendingStatus
  maker_id: number
  made_at: string
}

export interface EnterpriseProfile {
  id: number
  uscc: string
  uscc_valid: boolean
  uscc_problem: string
  name: string
  district: string
  industry_code: string
  industry_name: string | null
  industry_446: string
  industry_446_name: string | null
  industry_446_source: 'mapping' | 'override' | ''
  industry_446_note: string
  legal_rep: string
  registered_capital_fen: number | null
  founded_on: string
  contact_person: string
  contact_phone: string
  address: string
  size_class: SizeClass | ''
  size_rule: string
  size_year: number | null
  version: number
  created_at: string
  updated_at: string
  figures: YearFigures[]
  tags: EnterpriseTag[]
  directories: DirectoryStay[]
  pending_changes: PendingChange[]
}

/** Profile fields that can be created or changed. */
export interface EnterpriseFields {
  name?: string
  district?: string
  industry_code?: string
  legal_rep?: string
  registered_capital_fen?: number
  founded_on?: string
  contact_person?: string
  contact_phone?: string
  address?: string
}

export interface CreateEnterprise extends EnterpriseFields {
  uscc: string
  name: string
  district: string
  industry_code: string
}

export type UpdateEnterprise = EnterpriseFields & { version: number }

/** PATCH answer: the profile; for an enterprise user an industry change becomes a pending change. */
export type UpdateEnterpriseResult = EnterpriseProfile & { pending_change_id?: number }

export interface NewTag {
  tag: string
  valid_from: string
  valid_to?: string
  evidence: string
  chain?: string
  chain_node?: string
}

/** 201: the tag (officer); 202: `{pending_change_id,status:'pending'}` (enterprise user). */
export type AddTagResult = (Partial<EnterpriseTag> & { id: number }) | { pending_change_id: number; status: 'pending' }

/** A row of GET /pending-changes. */
export interface PendingChangeRow {
  id: number
  enterprise_id: number
  enterprise_name: string
  kind: PendingKind
  payload: Record<string, unknown>
  maker_id: number
  maker: string
  made_at: string
  status: PendingStatus
}

export type ExportFormat = 'xlsx' | 'csv'

export const listEnterprises = (query: EnterpriseQuery, opts: { silent?: boolean } = {}) =>
  http.get<Page<Enterprise>>('/enterprises', { ...query }, opts)

/** GET /enterprises/export?format=…&(filters) as a browser download. */
export const exportEnterprises = (format: ExportFormat, filter: EnterpriseFilter) =>
  http.download('/enterprises/export', { format, ...filter }, `enterprises.${format}`)

export const getEnterprise = (id: number) => http.get<EnterpriseProfile>(`/enterprises/${id}`)
export const createEnterprise = (body: CreateEnterprise) =>
  http.post<EnterpriseProfile>('/enterprises', body, { idempotent: true, silent: true })
export const updateEnterprise = (id: number, body: UpdateEnterprise) =>
  http.patch<UpdateEnterpriseResult>(`/enterprises/${id}`, body, { silent: true })
export const putFigures = (id: number, year: number, body: FiguresInput) =>
  http.put<EnterpriseProfile>(`/enterprises/${id}/figures/${year}`, body, { silent: true })
/** Override the 4+4+6 class; `code: ''` returns to the mapping from the industry code. */
export const override446 = (id: number, code: string, reason: string) =>
  http.post<EnterpriseProfile>(`/enterprises/${id}/industry-446`, { code, reason }, { silent: true })
export const addTag = (id: number, body: NewTag) =>
  http.post<AddTagResult>(`/enterprises/${id}/tags`, body, { idempotent: true, silent: true })
export const revokeTag = (tagId: number, reason: string) =>
  http.post<void>(`/enterprise-tags/${tagId}/revoke`, { reason }, { silent: true })

export const listPendingChanges = (query: PageQuery & { status?: PendingStatus }) =>
  http.get<Page<PendingChangeRow>>('/pending-changes', { ...query })
/** GET /pending-changes/export?status=…&format=… as a download. */
export const exportPendingChanges = (format: ExportFormat, status: PendingStatus) =>
  http.download('/pending-changes/export', { format, status }, `pending-changes-${status}.${format}`)
export const approvePendingChange = (id: number, note?: string) =>
  http.post<{ id: number; status: PendingStatus; enterprise_id: number }>(
    `/pending-changes/${id}/approve`,
    note ? { note } : {},
    { silent: true }
  )
export const rejectPendingChange = (id: number, note: string) =>
  http.post<{ id: number; status: PendingStatus; enterprise_id: number }>(`/pending-changes/${id}/reject`, { note }, { silent: true })
