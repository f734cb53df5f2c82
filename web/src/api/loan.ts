import { http } from '@/utils/http'
import type { Page, PageQuery } from './types'

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
