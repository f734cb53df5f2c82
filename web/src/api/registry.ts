import { http } from '@/utils/http'
import type { Page, PageQuery } from './types'

export interface Institution {
  id: number
  name: string
  kind: string
  uscc: string
  parent_id: number | null
  district: string | null
}

/** Institution kinds the server knows (GET /institutions?kind=… rejects others). */
export const INSTITUTION_KINDS = ['bank', 'insurer', 'securities', 'guarantor', 'fund', 'leasing', 'factoring']

export interface InstitutionQuery extends PageQuery {
  kind?: string
}

export const listInstitutions = (query: InstitutionQuery, opts: { silent?: boolean } = {}) =>
  http.get<Page<Institution>>('/institutions', { ...query }, opts)
/** GET /institutions/export?format=… with the list's filters, as a download (the viewer's scope applies). */
export const exportInstitutions = (format: 'xlsx' | 'csv', query: Omit<InstitutionQuery, 'offset' | 'limit'>) =>
  http.download('/institutions/export', { ...query, format }, `institutions.${format}`)
export const getInstitution = (id: number) => http.get<Institution>(`/institutions/${id}`)

// Enterprises live in ./enterprise; re-exported for the pickers that import them from here.
export { listEnterprises, getEnterprise, type Enterprise } from './enterprise'
