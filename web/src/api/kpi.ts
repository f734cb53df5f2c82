import { API_BASE, buildQuery, http } from '@/utils/http'
import type { Page, PageQuery } from './types'

/**
 * 试点监测 (KPI): the pilot plan's indicators and yearly targets, the cockpit (values, breakdowns, trends, target
 * status, institution ranking), figures reported by the responsible units (maker–checker), monthly snapshots,
 * matchmaking events and the annual / monthly reports.
 *
 * Values are integers in the indicator's value type: fen for `money_fen`, a plain count for `count`, parts per million
 * for `ppm` (385000 = 38.5%).
 */

export type ValueType = 'count' | 'money_fen' | 'ppm'
export type IndicatorKind = 'cumulative' | 'balance' | 'in_year' | 'snapshot' | 'ratio'
/** platform: computed from the platform's data; reported: filed by the responsible units. */
export type IndicatorSource = 'platform' | 'reported'
export type Comparator = '>=' | '>' | '~'
export const COMPARATORS: Comparator[] = ['>=', '>', '~']

export type TargetStatus = 'met' | 'on_track' | 'at_risk' | 'behind' | 'missed' | 'no_data'
export const TARGET_STATUSES: TargetStatus[] = ['met', 'on_track', 'at_risk', 'behind', 'missed', 'no_data']

export type Dimension = 'class446' | 'district' | 'institution_kind' | 'directory'

export type RankingKey = 'manufacturing_balance' | 'first_loan_count' | 'first_loan_amount' | 'green_balance' | 'loans_amount'
export const RANKING_KEYS: RankingKey[] = ['manufacturing_balance', 'first_loan_count', 'first_loan_amount', 'green_balance', 'loans_amount']

export interface Indicator {
  id: string
  name_zh: string
  name_en: string
  /** 家, 笔, 元, 比例 … */
  unit: string
  value_type: ValueType
  kind: IndicatorKind
  source: IndicatorSource
  metric: string
  responsible_units: string[]
  source_clause: string
}

export interface BreakdownCell {
  code: string
  name: string
  value: number
}

export interface Breakdown {
  dimension: Dimension
  cells: BreakdownCell[]
}

export interface TrendPoint {
  /** YYYY-MM-DD: month-ends, then the as-of day. */
  day: string
  value: number | null
}

export interface Figure extends Indicator {
  /** null: nothing reported (yet). */
  value: number | null
  /** The server's own rendering of the value. */
  display: string
  breakdowns: Breakdown[]
  trend: TrendPoint[]
}

export interface TargetProgress {
  /** P24-01 … */
  id: string
  year: number
  area: string
  indicator_id: string
  indicator_name: string
  unit: string
  value_type: ValueType
  comparator: Comparator
  target: number
  current: number | null
  /** The value expected at `due` on the current trend. */
  projected: number | null
  status: TargetStatus
  due: string
  /** Non-empty when the target lags. */
  accountable_units: string[]
  responsible_units: string[]
  source_clause: string
}

export interface RankingRow {
  institution_id: number
  name: string
  kind: string
  kind_name: string
  loans_count: number
  loans_amount_fen: number
  first_loan_count: number
  first_loan_amount_fen: number
  manufacturing_amount_fen: number
  loan_balance_fen: number
  manufacturing_balance_fen: number
  mid_long_mfg_balance_fen: number
  green_balance_fen: number
  tech_balance_fen: number
}

export interface Cockpit {
  as_of: string
  figures: Figure[]
  targets: TargetProgress[]
  ranking: RankingRow[]
}

export const getCockpit = (query: { as_of?: string; ranking?: RankingKey } = {}, opts: { silent?: boolean } = {}) =>
  http.get<Cockpit>('/kpi/cockpit', { ...query }, opts)
export const listIndicators = () => http.get<{ items: Indicator[] }>('/kpi/indicators')

// ---- targets ------------------------------------------------------------------------------------

export interface Target {
  id: string
  year: number
  indicator_id: string
  area: string
  comparator: Comparator
  target_value: number
  responsible_units: string[]
  source_clause: string
  commentary: string
  updated_at: string
  version: number
}

export interface TargetUpdate {
  comparator?: Comparator
  target_value?: number
  commentary?: string
  /** Required when the comparator or the value changes. */
  reason?: string
}

/** A target as it was before a change. */
export interface TargetHistoryEntry {
  version: number
  comparator: Comparator
  target_value: number
  reason: string
  changed_by: string
  changed_at: string
}

export const listTargets = (year?: number) => http.get<{ items: Target[] }>('/kpi/targets', { year })
export const updateTarget = (id: string, body: TargetUpdate) =>
  http.patch<Target>(`/kpi/targets/${encodeURIComponent(id)}`, body, { silent: true })
export const setTargetCommentary = (id: string, commentary: string) =>
  http.put<Target>(`/kpi/targets/${encodeURIComponent(id)}/commentary`, { commentary }, { silent: true })
export const getTargetHistory = (id: string) => http.get<{ items: TargetHistoryEntry[] }>(`/kpi/targets/${encodeURIComponent(id)}/history`)

// ---- reported figures ------------------------------------------------------------------------------------

export type ReportedStatus = 'pending' | 'confirmed' | 'rejected' | 'superseded'
export const REPORTED_STATUSES: ReportedStatus[] = ['pending', 'confirmed', 'rejected', 'superseded']

export interface ReportedFigure {
  id: number
  indicator_id: string
  /** YYYY-MM */
  period: string
  as_of: string
  value: number
  unit_name: string
  note: string
  evidence: string
  status: ReportedStatus
  /** The confirmed figure this one corrects. */
  corrects_id: number | null
  filed_by: string
  filed_at: string
  decided_by: string
  decided_at: string | null
  decision_note: string
}

export interface NewReportedFigure {
  indicator_id: string
  period: string
  value: number
  note?: string
  evidence?: string
  corrects_id?: number
}

export const listReported = (query: PageQuery & { indicator_id?: string; status?: ReportedStatus }) =>
  http.get<Page<ReportedFigure>>('/kpi/reported', { ...query })
/** 409 when the month already has a confirmed figure (then file a correction with `corrects_id`). */
export const fileReported = (body: NewReportedFigure) =>
  http.post<ReportedFigure>('/kpi/reported', body, { idempotent: true, silent: true })
/** 403 when the confirmer filed the figure (maker–checker): the caller shows the server's message. */
export const confirmReported = (id: number) => http.post<ReportedFigure>(`/kpi/reported/${id}/confirm`, undefined, { silent: true })
export const rejectReported = (id: number, note: string) =>
  http.post<ReportedFigure>(`/kpi/reported/${id}/reject`, { note }, { silent: true })

// ---- snapshots ------------------------------------------------------------------------------------

export interface Snapshot {
  id: number
  period: string
  as_of: string
  taken_at: string
  trigger: 'scheduled' | 'manual' | string
  /** SHA-256 of the snapshot's canonical text: the same data gives the same hash. */
  hash: string
  taken_by: string
}

export interface SnapshotRow {
  indicator_id: string
  dimension: string
  code: string
  value: number | null
}

export interface SnapshotDetail extends Snapshot {
  rows: SnapshotRow[]
}

export const listSnapshots = (period?: string) => http.get<{ items: Snapshot[] }>('/kpi/snapshots', { period })
export const getSnapshot = (id: number) => http.get<SnapshotDetail>(`/kpi/snapshots/${id}`)
/** Only for months that have ended. */
export const takeSnapshot = (period: string) =>
  http.post<{ id: number; period: string; as_of: string; hash: string; rows: number; trigger: string }>(
    '/kpi/snapshots',
    { period },
    { idempotent: true, silent: true }
  )

// ---- matchmaking events ------------------------------------------------------------------------------------

export interface KpiEvent {
  id: number
  title: string
  held_on: string
  organiser: string
  district: string
  enterprises: number
  institutions: number
  financing_fen: number
  note: string
}

export interface NewKpiEvent {
  title: string
  held_on: string
  organiser: string
  district?: string
  enterprises?: number
  institutions?: number
  financing_fen?: number
  note?: string
}

export const listEvents = (year?: number) => http.get<{ items: KpiEvent[] }>('/kpi/events', { year })
export const createEvent = (body: NewKpiEvent) => http.post<KpiEvent>('/kpi/events', body, { idempotent: true, silent: true })

// ---- reports ------------------------------------------------------------------------------------

export type ReportFormat = 'xlsx' | 'csv' | 'html'

const REPORT_BASE = '/kpi/reports'

export const downloadAnnualReport = (year: number, format: Exclude<ReportFormat, 'html'>) =>
  http.download(`${REPORT_BASE}/annual`, { year, format }, `pilot-report-${year}.${format}`)
export const downloadMonthlyReport = (month: string, format: Exclude<ReportFormat, 'html'>) =>
  http.download(`${REPORT_BASE}/monthly`, { month, format }, `monthly-tracking-${month}.${format}`)

/** The printable HTML pages, opened in a new tab (the session cookie goes along). */
export const annualReportUrl = (year: number) => `${API_BASE}${REPORT_BASE}/annual${buildQuery({ year, format: 'html' })}`
export const monthlyReportUrl = (month: string) => `${API_BASE}${REPORT_BASE}/monthly${buildQuery({ month, format: 'html' })}`
