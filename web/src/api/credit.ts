import { http } from '@/utils/http'
import type { Page, PageQuery } from './types'
import { CONTENT_TYPES, formatOf, type FileFormat, type ImportProblem } from './imports'

/**
 * 公共信用: records loaded from the data-sharing exchange, the scorecard score they give (0–1000, AAA…C, capped by a
 * red flag), its replay, the models, the monitoring of the score distribution and the white-list candidates.
 */

export type CreditGrade = 'AAA' | 'AA' | 'A' | 'BBB' | 'BB' | 'B' | 'CCC' | 'CC' | 'C'

/** One characteristic's share of the score: the bin it fell in, its points and the most it could give. */
export interface CreditContribution {
  code: string
  name: string
  bin: string
  points: number
  best_points: number
  lost: number
}

/** Why points were lost (ranked, largest first) and what the enterprise can do about it. */
export interface CreditReason {
  code: string
  characteristic: string
  name: string
  advice: string
  points_lost: number
}

export interface CreditScore {
  id: number
  model_version: string
  /** 0–1000 */
  score: number
  grade: string
  points: number
  /** "" or the red-flag record type that capped the grade. */
  capped_by: string
  capped_by_name?: string
  implied_pd: number
  contributions: CreditContribution[]
  reasons: CreditReason[]
  /** YYYY-MM-DD */
  as_of: string
  computed_at: string
  /** What caused the scoring: load:<import id>, manual, model:<version>. */
  trigger: string
}

export interface CreditHistoryEntry {
  id: number
  score: number
  grade: string
  model_version: string
  computed_at: string
  trigger: string
  current: boolean
}

export type CreditRecordStatus = 'active' | 'closed' | 'removed'

export interface CreditRecord {
  id: number
  type: string
  type_name: string
  department: string
  source: string
  occurred_on: string
  valid_until: string
  status: CreditRecordStatus | string
  value: string
  amount_fen: number | null
  quantity: number | null
  detail: string
  /** Does the record still count for the score (within its type's counting period)? */
  counts: boolean
  /** null: counts while active (e.g. a red flag). */
  counts_until: string | null
}

/** An institution's look at the profile under the enterprise's consent. */
export interface CreditViewer {
  at: string
  institution: string
  user: string
  application_id: number
}

export interface CreditProfile {
  enterprise: { id: number; name: string; uscc: string }
  score: CreditScore | null
  history: CreditHistoryEntry[]
  records: CreditRecord[]
  viewers: CreditViewer[]
}

export interface CreditReplay {
  score_id: number
  model_version: string
  matches: boolean
  stored: Record<string, unknown>
  replayed: Record<string, unknown>
  inputs: Record<string, unknown>
}

export const getMyCredit = () => http.get<CreditProfile>('/credit/me')
export const getEnterpriseCredit = (id: number) => http.get<CreditProfile>(`/enterprises/${id}/credit`)
export const rescoreEnterprise = (id: number) => http.post<CreditScore>(`/enterprises/${id}/credit/rescore`)
export const replayScore = (scoreId: number) => http.get<CreditReplay>(`/credit/scores/${scoreId}/replay`)

// ---- record types ------------------------------------------------------------------------------------

export interface CreditRecordType {
  code: string
  name: string
  source_department: string
  value_kind: 'grade' | 'amount' | 'count' | 'flag' | string
  /** Comma-separated, for grades and levels. */
  allowed_values: string
  /** How long a record counts for the score (0 = while active). */
  counts_months: number
  red_flag: boolean
  description: string
}

export interface RecordTypeUpdate {
  name?: string
  source_department?: string
  description?: string
  counts_months?: number
}

export const listRecordTypes = () => http.get<{ items: CreditRecordType[] }>('/credit/record-types')
export const updateRecordType = (code: string, body: RecordTypeUpdate) =>
  http.patch<CreditRecordType>(`/credit/record-types/${encodeURIComponent(code)}`, body, { silent: true })

// ---- loads and their quality ------------------------------------------------------------------------------

/** A quality rule and how many rows broke it. */
export interface QualityRule {
  code: string
  name: string
  rows: number
}

export interface LoadQuality {
  rules: QualityRule[]
  rows_checked: number
  rows_passed: number
  /** 0..1, null before any row. */
  pass_rate: number | null
}

export interface CreditSource {
  source: string
  loads: number
  rows_checked: number
  rows_passed: number
  pass_rate: number | null
  last_at: string | null
  rules: QualityRule[]
}

export interface CreditLoad {
  import_id: number
  source: string
  format: string
  quality: LoadQuality
  rescored: number
  at: string
  file_name: string
  user_name: string
  dry_run: boolean
  applied: boolean
  total_rows: number
  created: number
  updated: number
  unchanged: number
  rejected_rows: number
}

export interface CreditLoadResult {
  import_id: number
  source: string
  dry_run: boolean
  strict: boolean
  applied: boolean
  total_rows: number
  created: number
  updated: number
  unchanged: number
  rejected_rows: number
  rescored: number
  quality: LoadQuality
  problems: ImportProblem[]
}

export interface RunCreditLoad {
  source: string
  dryRun: boolean
  strict: boolean
  fileName?: string
}

export const listCreditSources = () => http.get<{ items: CreditSource[] }>('/credit/sources')
export const listCreditLoads = (query: PageQuery & { source?: string }) => http.get<Page<CreditLoad>>('/credit/loads', { ...query })
export const downloadCreditTemplate = (format: FileFormat) =>
  http.download('/credit/loads/template', { format }, `credit-template.${format}`)

/** POST /credit/loads/file with the file as the raw body; `onProgress` gets the upload share (0–100). */
export const runCreditLoad = (file: File, opts: RunCreditLoad, onProgress?: (percent: number) => void, signal?: AbortSignal) =>
  http.upload<CreditLoadResult>('/credit/loads/file', file, {
    query: { source: opts.source, dry_run: opts.dryRun, strict: opts.strict, file_name: opts.fileName },
    contentType: CONTENT_TYPES[formatOf(file.name) ?? 'csv'],
    onProgress,
    signal,
    silent: true
  })

// ---- scorecard models ------------------------------------------------------------------------------------

export interface CreditModelSummary {
  version: string
  name: string
  /** shipped | uploaded */
  origin: string
  active: boolean
  created_at: string
  created_by: string
}

export interface CreditModelDetail {
  version: string
  active: boolean
  model: Record<string, unknown>
}

export const listCreditModels = () => http.get<{ items: CreditModelSummary[] }>('/credit/models')
export const getCreditModel = (version: string) => http.get<CreditModelDetail>(`/credit/models/${encodeURIComponent(version)}`)
/** The body is the model JSON itself (sent as parsed JSON); 409 when the version exists. */
export const addCreditModel = (model: unknown) =>
  http.post<{ version: string; name: string; active: boolean }>('/credit/models', model, { idempotent: true, silent: true })
/** Makes the version the active model and rescores every enterprise. */
export const activateCreditModel = (version: string) =>
  http.post<{ active: string; rescored: number }>(`/credit/models/${encodeURIComponent(version)}/activate`)

// ---- monitoring ------------------------------------------------------------------------------------

export interface MonitoringMonth {
  /** YYYY-MM */
  month: string
  /** Ten counts: scores 0–99, 100–199 … 900–1000, as of the month's end. */
  bands: number[]
  scored: number
  psi_vs_first: number | null
  psi_vs_previous: number | null
}

export interface Separation {
  loans_scored: number
  loans_unscored: number
  goods: number
  bads: number
  ks: number | null
  auc: number | null
}

export interface Monitoring {
  from: string
  to: string
  band_width: number
  months: MonitoringMonth[]
  separation: Separation
  /** The CLI command that gives the same numbers. */
  reproduce: string
}

export const getMonitoring = (from: string, to: string) => http.get<Monitoring>('/credit/monitoring', { from, to })

// ---- white list ------------------------------------------------------------------------------------

export interface WhitelistRule {
  code: string
  name: string
  value: string
}

export interface WhitelistRules {
  version: string
  name: string
  /** Code of the directory approved candidates join. */
  directory: string
  rules: WhitelistRule[]
}

export interface WhitelistCheck extends WhitelistRule {
  passed: boolean
}

export type CandidateStatus = 'proposed' | 'approved' | 'rejected'
export const CANDIDATE_STATUSES: CandidateStatus[] = ['proposed', 'approved', 'rejected']

export interface WhitelistCandidate {
  id: number
  enterprise_id: number
  enterprise_name: string
  uscc: string
  grade: string
  score: number
  rule_version: string
  checks: WhitelistCheck[]
  status: CandidateStatus
  proposed_by: string
  proposed_at: string
  decided_by: string
  decided_at: string | null
  note: string
}

export interface WhitelistRun {
  rule_version: string
  checked: number
  proposed: number
}

export const getWhitelistRules = () => http.get<WhitelistRules>('/credit/whitelist/rules', undefined, { silent: true })
export const runWhitelist = () => http.post<WhitelistRun>('/credit/whitelist/runs', undefined, { idempotent: true })
export const listCandidates = (query: PageQuery & { status?: CandidateStatus }) =>
  http.get<Page<WhitelistCandidate>>('/credit/whitelist/candidates', { ...query })
/** 403 when the approver proposed the candidate (maker–checker): the caller shows the server's message. */
export const approveCandidate = (id: number) =>
  http.post<{ id: number; status: CandidateStatus; entry_id: number }>(`/credit/whitelist/candidates/${id}/approve`, undefined, { silent: true })
export const rejectCandidate = (id: number, note: string) =>
  http.post<{ id: number; status: CandidateStatus; note: string }>(`/credit/whitelist/candidates/${id}/reject`, { note }, { silent: true })
