import { useI18n } from 'vue-i18n'
import type { MatchDriver, MatchFactor } from '@/api/matching'

type TagType = 'primary' | 'success' | 'warning' | 'danger' | 'info'

/** Labels of the matching engine's codes (factors, model features, batch methods …) and its number formats. */
export function useMatchingText() {
  const { t, te } = useI18n()
  const tr = (prefix: string, v: string | null | undefined, fallback?: string) =>
    !v ? fallback ?? '' : te(`${prefix}.${v}`) ? t(`${prefix}.${v}`) : fallback || v

  /** 0..1 → "82.6%" (empty for null). */
  const percent = (v: number | null | undefined, digits = 1) =>
    v === null || v === undefined || !Number.isFinite(v) ? '' : `${(v * 100).toFixed(digits)}%`
  /** 0..1 → 0..100 for el-progress. */
  const progress = (v: number | null | undefined) => (v === null || v === undefined ? 0 : Math.max(0, Math.min(100, Math.round(v * 1000) / 10)))
  /** A factor's contribution in points of the score (0.508 → "+50.8"). */
  const points = (v: number) => `${v >= 0 ? '+' : ''}${(v * 100).toFixed(1)}`
  /** Green from 70%, amber from 40%, red below. */
  const level = (v: number): TagType => (v >= 0.7 ? 'success' : v >= 0.4 ? 'warning' : 'danger')

  /** The factor's name in the UI language; the server's Chinese label for an unknown one. */
  const factorLabel = (f: Pick<MatchFactor, 'factor' | 'label'>) => tr('matching.factors', f.factor, f.label)

  /** A model feature ("grade:AAA", "size:large", "years:8+", "collateral") → "信用等级 AAA". */
  function featureText(feature: string): string {
    const i = feature.indexOf(':')
    const group = i < 0 ? feature : feature.slice(0, i)
    const value = i < 0 ? '' : feature.slice(i + 1)
    const name = tr('matching.features', group, group)
    let v = value
    if (group === 'size') v = tr('size', value, value)
    else if (group === 'purpose') v = tr('finance.purposes', value, value)
    else if (group === 'guarantee') v = tr('matching.guaranteeKinds', value, value)
    return v ? `${name} ${v}` : name
  }
  const driverText = (d: MatchDriver) => `${featureText(d.feature)} ${d.weight >= 0 ? '+' : ''}${d.weight.toFixed(2)}`

  /** Seconds → "0.2 ms" / "1.35 s". */
  function duration(seconds: number | null | undefined): string {
    if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—'
    if (seconds < 1) return `${(seconds * 1000).toFixed(1)} ms`
    return `${seconds.toFixed(2)} s`
  }

  return {
    percent,
    progress,
    points,
    level,
    factorLabel,
    featureText,
    driverText,
    duration,
    methodText: (v: string | null | undefined) => tr('matching.methods', v),
    scopeText: (v: string | null | undefined) => tr('matching.scopes', v),
    originText: (v: string | null | undefined) => tr('matching.origins', v),
    changeText: (v: string | null | undefined) => tr('matching.changes', v)
  }
}
