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

export interface Enterprise {
  id: number
  uscc: string
  name: string
  district: string | null
  industry_code: string | null
  industry_446: string | null
}

export interface InstitutionQuery extends PageQuery {
  kind?: string
}

export const listInstitutions = (query: InstitutionQuery, opts: { silent?: boolean } = {}) =>
  http.get<Page<Institution>>('/institutions', { ...query }, opts)
export const getInstitution = (id: number) => http.get<Institution>(`/institutions/${id}`)
export const listEnterprises = (query: PageQuery, opts: { silent?: boolean } = {}) =>
  http.get<Page<Enterprise>>('/enterprises', { ...query }, opts)
export const getEnterprise = (id: number) => http.get<Enterprise>(`/enterprises/${id}`)
