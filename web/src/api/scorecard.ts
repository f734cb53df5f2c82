import { http } from '@/utils/http'

/** Time taken by one step: hours (1 decimal), null without observations. */
export interface ScorecardDurations {
  median_hours: number | null
  p90_hours: number | null
  count: number
}

/** One institution's (or product's) service record over the period. */
export interface Scorecard {
  id: number
  /** The institution, or "产品（机构）" for a product. */
  name: string
  leads: number
  accepted: number
  decided: number
  approved: number
  disbursed: number
  disbursed_fen: number
  /** approved ÷ decided (0..1), null without decisions. */
  approval_rate: number | null
  to_accept: ScorecardDurations
  to_contact: ScorecardDurations
  to_decide: ScorecardDurations
  to_disburse: ScorecardDurations
}

export type ScorecardStep = 'to_accept' | 'to_contact' | 'to_decide' | 'to_disburse'
export const SCORECARD_STEPS: ScorecardStep[] = ['to_accept', 'to_contact', 'to_decide', 'to_disburse']

export interface Scorecards {
  from: string
  to: string
  institutions: Scorecard[]
  products: Scorecard[]
}

/** Applications submitted in [from, to) (YYYY-MM-DD; both optional). Any logged-in user. */
export const getScorecards = (query: { from?: string; to?: string }) => http.get<Scorecards>('/institution-scorecards', { ...query })
