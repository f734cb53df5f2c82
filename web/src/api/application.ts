import { http } from '@/utils/http'
import type { Page, PageQuery } from './types'
import type { EnterpriseProfile } from './enterprise'
import type { CreditRecord, CreditScore } from './credit'

export type AppStatus =
  | 'submitted'
  | 'accepted'
  | 'under_review'
  | 'more_docs'
  | 'approved'
  | 'rejected'
  | 'disbursed'
  | 'withdrawn'
  | 'expired'
export const APP_STATUSES: AppStatus[] = [
  'submitted',
  'accepted',
  'under_review',
  'more_docs',
  'approved',
  'rejected',
  'disbursed',
  'withdrawn',
  'expired'
]
export const TERMINAL_STATUSES: AppStatus[] = ['rejected', 'disbursed', 'withdrawn', 'expired']

/** Events of the state machine (as in `allowed_events`); the URL uses hyphens (request-docs). */
export type AppEvent = 'accept' | 'review' | 'request_docs' | 'submit_docs' | 'approve' | 'reject' | 'disburse' | 'withdraw'
export const APP_EVENTS: AppEvent[] = ['accept', 'review', 'request_docs', 'submit_docs', 'approve', 'reject', 'disburse', 'withdraw']

/** The "135" service promise: accept in 1 working day, contact in 3, decide in 5 after the documents are complete. */
export interface ServicePromise {
  accept_due: string
  contact_due: string
  decide_due: string | null
  accept_overdue: boolean
  contact_overdue: boolean
  decide_overdue: boolean
  overdue_working_days: number
}

export interface Application {
  id: number
  enterprise_id: number
  enterprise_name: string
  demand_id: number | null
  product_id: number | null
  product_name: string
  institution_id: number
  institution_name: string
  origin: 'enterprise' | 'institution'
  status: AppStatus
  /** Chinese name of the status. */
  status_name: string
  amount_fen: number
  term_months: number
  approved_amount_fen: number | null
  rate_bp: number | null
  reason_code: string
  advice: string
  submitted_at: string
  accepted_at: string | null
  contacted_at: string | null
  docs_complete_at: string | null
  decided_at: string | null
  disbursed_at: string | null
  promise: ServicePromise
  overdue: boolean
  /** 已升级督办: two working days past a service promise, escalated to the officers. */
  escalated: boolean
  updated_at: string
  version: number
}

export interface TimelineEntry {
  at: string
  /** submit, take_up, contact or an {@link AppEvent}. */
  event: string
  from: string
  to: string
  to_name: string
  actor: string
  note: string
}

export interface Alternative {
  id: number
  name: string
  institution_name: string
}

export interface ApplicationDetail extends Application {
  timeline: TimelineEntry[]
  allowed_events: AppEvent[]
  alternatives?: Alternative[]
}

export interface ApplicationQuery extends PageQuery {
  status?: AppStatus
  overdue?: boolean
}

export interface NewApplication {
  product_id: number
  demand_id?: number
  amount_fen: number
  term_months: number
}

/** Body of an event: a note, and the fields of approve, reject and disburse. */
export interface EventBody {
  note?: string
  approved_amount_fen?: number
  rate_bp?: number
  reason_code?: string
  advice?: string
  loan_ref?: string
  disbursed_on?: string
  has_collateral?: boolean
  has_guarantee?: boolean
  use_industry_code?: string
  green_use?: boolean
}

export interface Consent {
  id: number
  application_id: number
  institution_id?: number
  institution_name: string
  granted_at: string
  expires_at: string
  revoked_at: string | null
  active?: boolean
}

export interface CreditView {
  at: string
  institution_name: string
  user: string
  consent_id: number
  application_id: number
  what: string
}

export interface ConsentsAndViews {
  consents: Consent[]
  views: CreditView[]
}

/** The enterprise's profile as an institution sees it under a consent, with its public-credit score and records. */
export type CreditProfile = Omit<EnterpriseProfile, 'figures' | 'tags'> & {
  consent_id: number
  /** The current score, null when the enterprise has none. */
  credit?: CreditScore | null
  credit_records?: CreditRecord[]
}

export const listApplications = (query: ApplicationQuery, opts: { silent?: boolean } = {}) =>
  http.get<Page<Application>>('/applications', { ...query, overdue: query.overdue ? true : undefined }, opts)
export const getApplication = (id: number) => http.get<ApplicationDetail>(`/applications/${id}`)
export const createApplication = (body: NewApplication) =>
  http.post<Application>('/applications', body, { idempotent: true, silent: true })
export const fireEvent = (id: number, event: AppEvent, body: EventBody = {}) =>
  http.post<ApplicationDetail>(`/applications/${id}/${event.replace(/_/g, '-')}`, body, { silent: true })
export const recordContact = (id: number, note?: string) =>
  http.post<Application>(`/applications/${id}/contact`, note ? { note } : {}, { silent: true })

export const grantConsent = (applicationId: number, days: number) =>
  http.post<Consent>(`/applications/${applicationId}/consent`, { days }, { idempotent: true, silent: true })
export const revokeConsent = (id: number) => http.post<void>(`/consents/${id}/revoke`)
export const listConsents = () => http.get<ConsentsAndViews>('/consents')
/** 403 without a valid consent: the caller shows the server's message. */
export const getCreditProfile = (applicationId: number) =>
  http.get<CreditProfile>(`/applications/${applicationId}/credit-profile`, undefined, { silent: true })
