import { http } from '@/utils/http'
import type { Purpose } from './demand'

/**
 * 智能匹配 (the matching engine): which published products suit a demand and why (factor contributions, the approval
 * model's drivers), why a product does not (every eligibility rule with its detail), what would open more products;
 * the ranked demands of a product (the institution's leads); batch runs that share the products' capacity across the
 * open demands (min-cost flow), the replay of a stored recommendation and the scoring model versions.
 */

/** A factor's share of a recommendation's score (`label` is the server's Chinese name). */
export interface MatchFactor {
  /** approval | amount | term | rate | purpose | profile | service | policy */
  factor: string
  label: string
  /** 0..1 */
  value: number
  /** weight × value: the factors' contributions add up to the score. */
  contribution: number
}

/** A feature the approval model weighs for this institution (e.g. `grade:AAA` +1.6). */
export interface MatchDriver {
  feature: string
  weight: number
}

export interface Recommendation {
  product_id: number
  product_name: string
  institution_id: number
  institution_name: string
  /** Product kind code (credit_loan, supply_chain, …). */
  kind: string
  /** 0..1 */
  score: number
  /** The institution's learned approval probability for similar enterprises, 0..1. */
  approval: number
  /** Largest contribution first. */
  factors: MatchFactor[]
  drivers: MatchDriver[]
}

export interface FailedRule {
  rule: string
  label: string
}

/** A product failing exactly one rule. */
export interface NearMiss {
  product_id: number
  product_name: string
  institution_name: string
  failed: FailedRule[]
}

export type CounterfactualChange = 'credit_grade' | 'guarantee' | 'collateral' | 'directory' | 'tag' | 'amount' | 'term' | 'max_rate'

/** A change that would open more products ("信用等级提升至 A，可多匹配 3 个产品"). */
export interface Counterfactual {
  change: CounterfactualChange | string
  value: string
  text: string
  product_ids: number[]
}

export interface DemandMatches {
  demand_id: number
  /** The stored list, for replay. */
  recommendation_id: number
  at: string
  model_version: number | string
  /** Products passing every rule. */
  eligible_count: number
  /** Published products the engine knows. */
  products_indexed: number
  recommendations: Recommendation[]
  near_misses: NearMiss[]
  counterfactuals: Counterfactual[]
}

export interface RuleCheck {
  rule: string
  label: string
  passed: boolean
  detail: string
}

export interface WhyNot {
  product_id: number
  eligible: boolean
  rules: RuleCheck[]
}

/** One demand ranked for a product. */
export interface ProductLead {
  demand_id: number
  enterprise_id: number
  enterprise_name: string
  amount_fen: number
  term_months: number
  purpose: Purpose | string
  score: number
  approval: number
}

export interface ProductLeads {
  product_id: number
  items: ProductLead[]
}

/** 409 when the demand is no longer open. */
export const getDemandMatches = (demandId: number, limit = 10) =>
  http.get<DemandMatches>(`/demands/${demandId}/matches`, { limit }, { silent: true })
export const getWhyNot = (demandId: number, productId: number) => http.get<WhyNot>(`/demands/${demandId}/why-not/${productId}`)
/** The product's institution or officers; 404 when the product is not published. */
export const getProductLeads = (productId: number, limit = 20) =>
  http.get<ProductLeads>(`/products/${productId}/leads`, { limit }, { silent: true })

// ---- batch runs (officers, matching:batch) ------------------------------------------------------------------

export type BatchScope = 'all_open' | 'campaign' | string

/** `min_cost_flow` (the exact optimum) or `greedy_exchange` (large runs). */
export type BatchMethod = string

export interface BatchSummary {
  id: number
  scope?: BatchScope
  demands: number
  assigned: number
  candidate_edges: number
  /** Σ approval × amount of the assignments. */
  expected_funded_fen: number
  /** Without capacities or caps. */
  upper_bound_fen: number
  /** Most demands one institution may get in the run. */
  institution_cap: number
  method: BatchMethod
  capacity_respected: boolean
  share_cap_respected: boolean
  candidate_seconds: number
  allocation_seconds: number
  by_institution: { institution_id: number; assigned: number }[]
}

export interface BatchListItem extends BatchSummary {
  at: string
  campaign_id: number | null
  model_version: number | string
  created_by: string
}

export interface BatchAssignment {
  demand_id: number
  enterprise_name: string
  product_id: number
  product_name: string
  institution_id: number
  institution_name: string
  expected_fen: number
}

/** The run's summary (without the list's `at`, `created_by` …) and every assignment. */
export interface BatchDetail extends BatchSummary {
  assignments: BatchAssignment[]
}

export interface NewBatch {
  campaign_id?: number
  /** 1..100, default 20. */
  institution_share_cap_percent?: number
}

export const runBatch = (body: NewBatch) => http.post<BatchSummary>('/matching/batches', body, { idempotent: true, silent: true })
export const listBatches = () => http.get<{ items: BatchListItem[] }>('/matching/batches')
export const getBatch = (id: number) => http.get<BatchDetail>(`/matching/batches/${id}`)

// ---- replay and models --------------------------------------------------------------------------------------

export interface MatchReplay {
  recommendation_id: number
  model_version: number | string
  matches: boolean
  stored: Record<string, unknown>
  replayed: Record<string, unknown>
}

export const replayRecommendation = (id: number) => http.get<MatchReplay>(`/matching/recommendations/${id}/replay`, undefined, { silent: true })

/** Holdout metrics of a training run. */
export interface TrainMetrics {
  samples?: number
  log_loss?: number
  auc?: number
}

/** `chanrong matching train`'s evaluation (holdout before / global only / after). */
export interface TrainReport {
  version?: number
  base_version?: number
  train_samples?: number
  holdout_samples?: number
  holdout?: { before?: TrainMetrics; global_only?: TrainMetrics; after?: TrainMetrics }
  institutions_trained?: number
  institutions_under_30_samples?: number
  [key: string]: unknown
}

export interface MatchingModel {
  version: number | string
  /** shipped | trained */
  origin: string
  active: boolean
  created_at: string
  created_by: string
  /** The training report (a JSON object, or its text), null for the shipped model. */
  report: TrainReport | string | null
}

export const listMatchingModels = () => http.get<{ items: MatchingModel[] }>('/matching/models')
/** matching:model (administrators): every instance rebuilds its index with it on its next query. */
export const activateMatchingModel = (version: number | string) =>
  http.post<unknown>(`/matching/models/${encodeURIComponent(String(version))}/activate`)
