import { http } from '@/utils/http'

/** Reference lists of the registry (small, rarely changing: cached for the page's life). */

export interface District {
  code: string
  name: string
  sort: number
}

export interface TagKind {
  code: string
  name: string
  /** A tag of this kind must name its industry chain (链主/链上企业). */
  needs_chain: boolean
  sort: number
}

export type Tier446 = 'pillar' | 'strategic_emerging' | 'future' | string

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

/** Forgets the cached lists, so pages read what an administrator just changed. */
export function clearReferenceCache() {
  cache.clear()
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

// ---- administrators' edits (permission reference:write) --------------------------------------------------------

export type DistrictInput = Omit<District, 'code'>
export type TagKindInput = Omit<TagKind, 'code'>
export type TaxonomyClassInput = Omit<Taxonomy446, 'version' | 'code'>

export interface MappingRule {
  version: string
  prefix: string
  code: string
  note: string
}

/** Lower bounds of one tier; null for an indicator the industry does not use. Amounts in fen. */
export interface SizeTierBounds {
  employees: number | null
  revenue_fen: number | null
  assets_fen: number | null
}

export interface SizeThresholdRow {
  industry_zh: string
  industry_en: string
  scope: string
  indicators: ('employees' | 'revenue' | 'assets')[]
  large: SizeTierBounds
  medium: SizeTierBounds
  small: SizeTierBounds
}

export interface SizeThresholdVersion {
  id: number
  note: string
  created_at: string
  created_by: string
}

export interface SizeThresholds {
  version: SizeThresholdVersion | null
  rows: SizeThresholdRow[]
}

export interface PublishedThresholds {
  id: number
  note: string
  rows: number
  enterprises_reclassified: number
}

/** Writes are silent: the forms show the server's field messages themselves. */
const silent = { silent: true }
const edited = <T>(p: Promise<T>) => p.finally(clearReferenceCache)

export const putDistrict = (code: string, body: DistrictInput) =>
  edited(http.put<District>(`/districts/${encodeURIComponent(code)}`, body, silent))
export const deleteDistrict = (code: string) => edited(http.delete<void>(`/districts/${encodeURIComponent(code)}`))
export const putTagKind = (code: string, body: TagKindInput) =>
  edited(http.put<TagKind>(`/tag-kinds/${encodeURIComponent(code)}`, body, silent))
export const deleteTagKind = (code: string) => edited(http.delete<void>(`/tag-kinds/${encodeURIComponent(code)}`))

export const listMapping = () => http.get<Items<MappingRule>>('/taxonomy-446-mapping').then(r => r?.items ?? [])
export const putTaxonomyClass = (version: string, code: string, body: TaxonomyClassInput) =>
  edited(http.put<Taxonomy446>(`/taxonomy-446/${encodeURIComponent(version)}/${encodeURIComponent(code)}`, body, silent))
/** Sets the class a GB/T 4754 prefix maps to; an empty code removes the rule. */
export const putMapping = (version: string, prefix: string, code: string, note: string) =>
  http.put<MappingRule & { enterprises_rederived: number }>(
    `/taxonomy-446-mapping/${encodeURIComponent(version)}/${encodeURIComponent(prefix)}`,
    { code, note },
    silent
  )

export const getSizeThresholds = () => http.get<SizeThresholds>('/size-thresholds')
export const listSizeThresholdVersions = () =>
  http.get<Items<SizeThresholdVersion>>('/size-thresholds/versions').then(r => r?.items ?? [])
export const publishSizeThresholds = (content: string, note: string) =>
  http.post<PublishedThresholds>('/size-thresholds/versions', { content, note }, silent)
export const downloadSizeThresholds = (id: number) =>
  http.download(`/size-thresholds/versions/${id}/document`, {}, `sme-size-thresholds-v${id}.csv`)
