import { http } from '@/utils/http'
import type { Page, PageQuery } from './types'
import type { Application } from './application'

export type Purpose = 'working_capital' | 'equipment' | 'rd' | 'project' | 'trade' | 'green_upgrade' | 'equity' | 'other'
export const PURPOSES: Purpose[] = ['working_capital', 'equipment', 'rd', 'project', 'trade', 'green_upgrade', 'equity', 'other']

export type Urgency = 'normal' | 'urgent' | 'very_urgent'
export const URGENCIES: Urgency[] = ['normal', 'urgent', 'very_urgent']

export type DemandStatus = 'open' | 'closed'

/** An enterprise's financing need (the institutions' leads). */
export interface Demand {
  id: number
  enterprise_id: number
  enterprise_name: string
  district: string
  industry_446: string
  size_class: string
  amount_fen: number
  term_months: number
  purpose: Purpose
  collateral: string
  guarantee: string
  max_rate_bp: number | null
  urgency: Urgency
  description: string
  status: DemandStatus
  /** An institution has taken it up or accepted an application for it. */
  taken: boolean
  /** The 需求征集 campaign it answers (null when posted on its own). */
  campaign_id: number | null
  created_at: string
  updated_at: string
  version: number
}

/** A replaced version of a demand. */
export interface DemandVersion {
  version: number
  snapshot: Partial<Demand>
  replaced_at: string
}

export interface DemandDetail extends Demand {
  history: DemandVersion[]
}

export interface DemandFields {
  amount_fen?: number
  term_months?: number
  purpose?: Purpose
  collateral?: string
  guarantee?: string
  max_rate_bp?: number
  urgency?: Urgency
  description?: string
}

export const listDemands = (query: PageQuery & { status?: DemandStatus }, opts: { silent?: boolean } = {}) =>
  http.get<Page<Demand>>('/demands', { ...query }, opts)
export const getDemand = (id: number) => http.get<DemandDetail>(`/demands/${id}`)
/** A new need; `campaign_id` answers an open campaign that asks this enterprise. */
export const createDemand = (body: DemandFields & { campaign_id?: number }) => http.post<Demand>('/demands', body, { idempotent: true, silent: true })
export const updateDemand = (id: number, body: DemandFields & { version: number }) =>
  http.patch<Demand>(`/demands/${id}`, body, { silent: true })
export const closeDemand = (id: number) => http.post<Demand>(`/demands/${id}/close`)
/** 承接: the institution turns the demand into an application it has already accepted. */
export const takeUpDemand = (id: number, productId?: number) =>
  http.post<Application>(`/demands/${id}/take-up`, productId ? { product_id: productId } : {}, { idempotent: true })
