import { http } from '@/utils/http'
import type { Page, PageQuery } from './types'
import { CONTENT_TYPES, formatOf, type FileFormat, type ImportProblem } from './imports'

/** Statistical flags of a loan, derived once by the server. */
export interface LoanFlags {
  credit: boolean
  first_loan: boolean
  mid_long_term: boolean
  inclusive_small_micro: boolean
  manufacturing_by_borrower: boolean
  manufacturing_by_use: boolean
  green: boolean
  technology: boolean
}
export const LOAN_FLAGS: (keyof LoanFlags)[] = [
  'credit',
  'first_loan',
  'mid_long_term',
  'inclusive_small_micro',
  'manufacturing_by_borrower',
  'manufacturing_by_use',
  'green',
  'technology'
]

export interface Loan {
  id: number
  institution_id?: number
  institution_name: string
  enterprise_id?: number
  enterprise_name: string
  application_id: number | null
  loan_ref: string
  source: 'platform' | 'reported'
  product_kind: string
  amount_fen: number
  rate_bp: number
  term_months: number
  disbursed_on: string
  maturity_on: string
  flags: LoanFlags
  /** Chinese reason for each flag that is set. */
  flag_reasons: string[]
  outstanding_fen: number
}

export interface LoanPage extends Page<Loan> {
  as_of?: string
}

export interface NewLoan {
  uscc: string
  loan_ref: string
  product_kind?: string
  amount_fen: number
  rate_bp: number
  term_months: number
  disbursed_on: string
  has_collateral?: boolean
  has_guarantee?: boolean
  use_industry_code?: string
  green_use?: boolean
}

export const listLoans = (query: PageQuery & { as_of?: string }) => http.get<LoanPage>('/loans', { ...query })
/** 201 for a new loan, 200 when the same loan_ref was reported before. */
export const reportLoan = (body: NewLoan) => http.post<Loan>('/loans', body, { idempotent: true, silent: true })
export interface Repayment {
  id: number
  loan_id: number
  paid_on: string
  principal_fen: number
  /** What is left after this repayment. */
  outstanding_fen: number
}

export const addRepayment = (id: number, paid_on: string, principal_fen: number) =>
  http.post<Repayment>(`/loans/${id}/repayments`, { paid_on, principal_fen }, { idempotent: true, silent: true })

/** 贷后表现: how a loan is doing, for the credit score's monitoring (KS/AUC). */
export type LoanOutcome = 'performing' | 'overdue' | 'default'
export const LOAN_OUTCOMES: LoanOutcome[] = ['performing', 'overdue', 'default']

export const recordLoanOutcome = (id: number, outcome: LoanOutcome, as_of: string) =>
  http.post<{ id: number; outcome: LoanOutcome; outcome_on: string }>(`/loans/${id}/outcome`, { outcome, as_of }, { silent: true })

// ---- 批量报送: many loans at once from a CSV/XLSX file (same rules as one report; idempotent by loan_ref) ----

export interface LoanImportResult {
  import_id: number
  dry_run: boolean
  strict: boolean
  applied: boolean
  total_rows: number
  valid_rows: number
  created: number
  unchanged: number
  rejected_rows: number
  problems: ImportProblem[]
}

export interface RunLoanImport {
  dryRun: boolean
  strict: boolean
  /** Original file name (recorded with the run). */
  fileName?: string
}

export const downloadLoanTemplate = (format: FileFormat) =>
  http.download('/loans/import-template', { format }, `loan-template.${format}`)

/** POST /loans/import with the file as the raw body; `onProgress` gets the upload share (0–100). */
export const runLoanImport = (file: File, opts: RunLoanImport, onProgress?: (percent: number) => void, signal?: AbortSignal) =>
  http.upload<LoanImportResult>('/loans/import', file, {
    query: { dry_run: opts.dryRun, strict: opts.strict, file_name: opts.fileName },
    contentType: CONTENT_TYPES[formatOf(file.name) ?? 'csv'],
    onProgress,
    signal,
    silent: true
  })
