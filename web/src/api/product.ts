import { http } from '@/utils/http'
import type { Page, PageQuery } from './types'

export type RateMode = 'fixed' | 'lpr_spread'
export const RATE_MODES: RateMode[] = ['fixed', 'lpr_spread']

export type ProductStatus = 'draft' | 'pending_review' | 'published' | 'suspended' | 'withdrawn' | 'rejected'
export const PRODUCT_STATUSES: ProductStatus[] = ['draft', 'pending_review', 'published', 'suspended', 'withdrawn']

/** Status changes of a product: the institution's four, the officer's approve. */
export type ProductAction = 'publish' | 'suspend' | 'resume' | 'withdraw' | 'approve'

export const CREDIT_GRADES = ['AAA', 'AA', 'A', 'BBB', 'BB', 'B', 'CCC', 'CC', 'C']

/** Who may apply. Every key is optional; an empty list means no restriction. */
export interface Eligibility {
  /** 4+4+6 class codes. */
  classes446?: string[]
  /** GB/T 4754 code prefixes (C, C39, …). */
  industry_prefixes?: string[]
  /** District names. */
  districts?: string[]
  sizes?: string[]
  /** Tag kind codes (high_tech, specialized, …). */
  tags?: string[]
  /** Directory codes (white_list, …). */
  directories?: string[]
  min_credit_grade?: string
  min_years?: number
  collateral_required?: boolean
  guarantee_required?: boolean
}

export interface PolicyLink {
  title: string
  url: string
  note: string
}

export interface Product {
  id: number
  institution_id: number
  institution_name: string
  name: string
  kind: string
  kind_name: string
  description: string
  amount_min_fen: number
  amount_max_fen: number
  term_min_months: number
  term_max_months: number
  rate_mode: RateMode
  /** Fixed: the rate; lpr_spread: the spread over the LPR (may be negative). Basis points. */
  rate_min_bp: number
  rate_max_bp: number
  /** The rate a borrower pays today (LPR added for lpr_spread). */
  effective_rate_min_bp: number
  effective_rate_max_bp: number
  /** The LPR used (1-year, or 5-year for terms over 60 months). */
  lpr_bp: number
  eligibility: Eligibility
  monthly_capacity: number
  valid_from: string
  valid_to: string
  policy_links: PolicyLink[]
  status: ProductStatus
  created_at: string
  updated_at: string
  version: number
}

export interface ProductFields {
  name?: string
  kind?: string
  description?: string
  amount_min_fen?: number
  amount_max_fen?: number
  term_min_months?: number
  term_max_months?: number
  rate_mode?: RateMode
  rate_min_bp?: number
  rate_max_bp?: number
  eligibility?: Eligibility
  monthly_capacity?: number
  valid_from?: string
  valid_to?: string
  policy_links?: PolicyLink[]
}

export interface ProductQuery extends PageQuery {
  kind?: string
  institution_id?: number
  status?: ProductStatus
}

export const listProducts = (query: ProductQuery, opts: { silent?: boolean } = {}) =>
  http.get<Page<Product>>('/products', { ...query }, opts)
export const getProduct = (id: number, opts: { silent?: boolean } = {}) => http.get<Product>(`/products/${id}`, undefined, opts)
export const createProduct = (body: ProductFields) => http.post<Product>('/products', body, { idempotent: true, silent: true })
export const updateProduct = (id: number, body: ProductFields & { version: number }) =>
  http.patch<Product>(`/products/${id}`, body, { silent: true })
export const changeProductStatus = (id: number, action: ProductAction) => http.post<Product>(`/products/${id}/${action}`)
