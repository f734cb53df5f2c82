import { computed, shallowRef } from 'vue'
import { useI18n } from 'vue-i18n'
import {
  getDistricts,
  getIndustryCodes,
  getTagKinds,
  getTaxonomy446,
  type District,
  type IndustryCode,
  type TagKind,
  type Taxonomy446
} from '@/api/reference'

export const TIER_ORDER = ['pillar', 'strategic_emerging', 'future']

/** A node of the GB/T 4754 tree for el-cascader / el-tree-select. */
export interface IndustryNode {
  value: string
  label: string
  level: IndustryCode['level']
  children?: IndustryNode[]
  leaf?: boolean
  [key: string]: unknown
}

function buildIndustryTree(rows: IndustryCode[]): IndustryNode[] {
  const byCode = new Map<string, IndustryNode>()
  for (const r of rows) byCode.set(r.code, { value: r.code, label: `${r.code} ${r.name}`, level: r.level })
  const roots: IndustryNode[] = []
  for (const r of rows) {
    const node = byCode.get(r.code)!
    const parent = r.parent ? byCode.get(r.parent) : undefined
    if (parent) (parent.children ??= []).push(node)
    else roots.push(node)
  }
  for (const node of byCode.values()) node.leaf = !node.children?.length
  return roots
}

/**
 * The registry's reference lists (districts, tag kinds, 4+4+6 taxonomy, GB/T 4754 codes) for pickers
 * and labels. Call `load()` with what the page needs; failures leave the lists empty.
 */
export function useReference() {
  const { locale } = useI18n()
  const districts = shallowRef<District[]>([])
  const tagKinds = shallowRef<TagKind[]>([])
  const taxonomyAll = shallowRef<Taxonomy446[]>([])
  const industryCodes = shallowRef<IndustryCode[]>([])

  /** The 4+4+6 classes of the current (greatest) version. */
  const taxonomy = computed(() => {
    const versions = [...new Set(taxonomyAll.value.map(t => t.version))].sort()
    const current = versions[versions.length - 1]
    return taxonomyAll.value.filter(t => t.version === current)
  })
  /** Code → class, the current version winning over older ones. */
  const taxonomyByCode = computed(() => {
    const m = new Map<string, Taxonomy446>()
    const sorted = [...taxonomyAll.value].sort((a, b) => a.version.localeCompare(b.version))
    for (const t of sorted) m.set(t.code, t)
    return m
  })
  /** The current classes grouped by tier: 4 pillar, 4 strategic emerging, 6 future industries. */
  const taxonomyGroups = computed(() => {
    const groups = new Map<string, Taxonomy446[]>()
    for (const c of taxonomy.value) groups.set(c.tier, [...(groups.get(c.tier) ?? []), c])
    const rank = (tier: string) => (TIER_ORDER.includes(tier) ? TIER_ORDER.indexOf(tier) : TIER_ORDER.length)
    return [...groups.entries()].sort((a, b) => rank(a[0]) - rank(b[0])).map(([tier, items]) => ({ tier, items }))
  })
  const tagByCode = computed(() => new Map(tagKinds.value.map(t => [t.code, t])))
  const industryByCode = computed(() => new Map(industryCodes.value.map(c => [c.code, c])))
  const industryTree = computed(() => buildIndustryTree(industryCodes.value))

  const class446Name = (code: string | null | undefined) => {
    if (!code) return ''
    const t = taxonomyByCode.value.get(code)
    if (!t) return code
    return locale.value === 'en' && t.name_en ? t.name_en : t.name
  }
  const tagName = (code: string | null | undefined) => (code ? tagByCode.value.get(code)?.name ?? code : '')
  /** Whether a tag of this kind must name its industry chain (set by administrators). */
  const tagNeedsChain = (code: string) => !!tagByCode.value.get(code)?.needs_chain
  const industryName = (code: string | null | undefined) => (code ? industryByCode.value.get(code)?.name ?? '' : '')

  async function load(what: ('districts' | 'tags' | 'taxonomy' | 'industries')[]) {
    const jobs: Promise<unknown>[] = []
    const quiet = <T>(p: Promise<T[]>, set: (v: T[]) => void) =>
      jobs.push(p.then(set).catch(() => set([])))
    if (what.includes('districts')) quiet(getDistricts(), v => (districts.value = v))
    if (what.includes('tags')) quiet(getTagKinds(), v => (tagKinds.value = v))
    if (what.includes('taxonomy')) quiet(getTaxonomy446(), v => (taxonomyAll.value = v))
    if (what.includes('industries')) quiet(getIndustryCodes(), v => (industryCodes.value = v))
    await Promise.all(jobs)
  }

  return {
    districts,
    tagKinds,
    tagNeedsChain,
    taxonomy,
    taxonomyGroups,
    industryCodes,
    industryTree,
    class446Name,
    tagName,
    industryName,
    load
  }
}
