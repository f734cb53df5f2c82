import { http } from '@/utils/http'

/** Reference lists of the registry (small, rarely changing: cached for the page's life). */

export interface District {
  code: string
  name: string
}

export interface TagKind {
  code: string
  name: string
}

export type Tier446 = 'pillar' | 'strategic' | 'future' | string

export interface Taxonomy446 {
  version: string
  code: string
  tier: Tier446
  name: string
  name_en: string
  lead_unit: string
  valid_from: string
  valid_to: string | null
}

export type IndustryLevel = 'section' | 'division' | 'group' | 'class'

export interface IndustryCode {
  code: string
  level: IndustryLevel
  name: string
  parent: string | null
}

interface Items<T> {
  items: T[]
}

const cache = new Map<string, Promise<unknown[]>>()

function cached<T>(path: string): Promise<T[]> {
  let p = cache.get(path) as Promise<T[]> | undefined
  if (!p) {
    p = http.get<Items<T>>(path, undefined, { silent: true }).then(r => r?.items ?? [])
    p.catch(() => cache.delete(path))
    cache.set(path, p as Promise<unknown[]>)
  }
  return p
}

export const getDistricts = () => cached<District>('/districts')
export const getTagKinds = () => cached<TagKind>('/tag-kinds')
export const getTaxonomy446 = () => cached<Taxonomy446>('/taxonomy-446')
export const getIndustryCodes = () => cached<IndustryCode>('/industry-codes')

/** A financial product kind (信用贷, 抵押贷, …). */
export interface ProductKind {
  code: string
  name: string
}

/** A reason an institution gives when it rejects an application, with the advice shown to the enterprise. */
export interface RejectionReason {
  code: string
  name: string
  advice: string
}

export const getProductKinds = () => cached<ProductKind>('/product-kinds')
export const getRejectionReasons = () => cached<RejectionReason>('/rejection-reasons')
