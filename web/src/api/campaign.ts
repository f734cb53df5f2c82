import { http } from '@/utils/http'
import type { FileFormat } from './imports'

export type CampaignStatus = 'open' | 'closed'

/** 需求征集: officers ask the members of an enterprise directory for their financing needs by a deadline. */
export interface Campaign {
  id: number
  title: string
  directory_id: number
  directory_name: string
  /** YYYY-MM-DD */
  opened_on: string
  /** YYYY-MM-DD, inclusive */
  deadline: string
  /** `closed` once pushed to the institutions. */
  status: CampaignStatus
  pushed_at: string | null
  /** Enterprises asked (the directory's members on the day it opened). */
  targets: number
  /** Of them, how many posted a need for it. */
  answered: number
  /** answered ÷ targets (0..1), null without targets. */
  completion: number | null
  past_deadline: boolean
  /** Enterprise view only: has my enterprise answered? */
  answered_by_me?: boolean
}

export interface CampaignTarget {
  enterprise_id: number
  enterprise_name: string
  answered: boolean
  /** Needs posted for the campaign. */
  demands: number
  /** Reminders sent so far. */
  reminders: number
}

export interface CampaignDetail extends Campaign {
  target_list: CampaignTarget[]
}

export interface NewCampaign {
  title: string
  directory_id: number
  /** YYYY-MM-DD, today or later */
  deadline: string
}

/** Officers see every campaign; an enterprise those asking it (with `answered_by_me`); institutions every one. */
export const listCampaigns = (opts: { silent?: boolean } = {}) => http.get<{ items: Campaign[]; total?: number }>('/campaigns', undefined, opts)
export const getCampaign = (id: number) => http.get<CampaignDetail>(`/campaigns/${id}`)
export const createCampaign = (body: NewCampaign) => http.post<Campaign>('/campaigns', body, { idempotent: true, silent: true })
/** Remind the targets that have not answered yet (409 once closed). */
export const remindCampaign = (id: number) => http.post<{ reminded: number }>(`/campaigns/${id}/remind`)
/** Close the campaign and put its needs in the institutions' leads inbox (409 when already pushed). */
export const pushCampaign = (id: number) => http.post<Campaign>(`/campaigns/${id}/push`)
export const exportCampaignDemands = (id: number, format: FileFormat) =>
  http.download(`/campaigns/${id}/demands/export`, { format }, `campaign-${id}.${format}`)
