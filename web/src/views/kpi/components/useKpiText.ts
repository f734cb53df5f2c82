import { useI18n } from 'vue-i18n'
import type { Comparator, Indicator, ReportedStatus, TargetStatus, ValueType } from '@/api/kpi'
import { decimalToScaled, fenToUnit, fenToYuan, moneyUnitOf, scaledToDecimal, type MoneyUnit } from '@/utils/money'

type TagType = 'primary' | 'success' | 'warning' | 'danger' | 'info'

/** Status → Element Plus tag type: met green, on track blue, at risk orange, behind / missed red, no data grey. */
const STATUS_TYPES: Record<TargetStatus, TagType> = {
  met: 'success',
  on_track: 'primary',
  at_risk: 'warning',
  behind: 'danger',
  missed: 'danger',
  no_data: 'info'
}

/** The same as colours (progress bars, charts). */
export const STATUS_COLORS: Record<TargetStatus, string> = {
  met: '#67c23a',
  on_track: '#409eff',
  at_risk: '#e6a23c',
  behind: '#f56c6c',
  missed: '#f56c6c',
  no_data: '#909399'
}

/** Is the target lagging (its accountable units are shown)? */
export const isLagging = (s: TargetStatus) => s === 'at_risk' || s === 'behind' || s === 'missed' || s === 'no_data'

/** The plan's units (家, 笔 …) by a code for the English labels. */
const UNIT_CODES: Record<string, string> = { 家: 'jia', 笔: 'bi', 元: 'yuan', 项: 'xiang', 户: 'hu', 只: 'zhi', 场: 'chang', 比例: 'ratio' }

const group = (digits: string) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',')

/** How a value is typed in: a count as is, money in 元 (2 decimals), a ratio in % (4 decimals, ppm). */
export const INPUT_DIGITS: Record<ValueType, number> = { count: 0, money_fen: 2, ppm: 4 }

/** Typed text → the value in the indicator's value type, exactly (null when invalid). */
export function parseInput(text: string, vt: ValueType, digits = INPUT_DIGITS[vt]): number | null {
  return decimalToScaled(text, digits)
}

/** A value → the text for an input box (the inverse of {@link parseInput}). */
export function toInput(value: number | null | undefined, vt: ValueType, digits = INPUT_DIGITS[vt]): string {
  return scaledToDecimal(value, digits)
}

/** Labels and number formats of the KPI module (statuses, comparators, units, values by value type). */
export function useKpiText() {
  const { t, te, locale } = useI18n()
  const tr = (prefix: string, v: string | null | undefined) => (!v ? '' : te(`${prefix}.${v}`) ? t(`${prefix}.${v}`) : v)
  const isEn = () => locale.value === 'en'

  /** The plan's unit (家, 笔 …) in the current language. */
  function unitText(unit: string | null | undefined): string {
    if (!unit) return ''
    const code = UNIT_CODES[unit]
    return code && te(`kpi.unitNames.${code}`) ? t(`kpi.unitNames.${code}`) : unit
  }

  const moneyUnitText = (u: MoneyUnit) => t(`kpi.moneyUnits.${u}`)

  /** Fen → "9.46 亿元" / "520.00 万元" / "12.00 元" (display only). */
  function money(fen: number | null | undefined, unit: MoneyUnit = moneyUnitOf(fen)): string {
    if (fen === null || fen === undefined) return '—'
    return `${fenToUnit(fen, unit)} ${moneyUnitText(unit)}`
  }

  /** ppm → "38.50%". */
  function ppm(v: number | null | undefined, decimals = 2): string {
    if (v === null || v === undefined) return '—'
    return `${(v / 10_000).toFixed(decimals)}%`
  }

  /** A value in its value type, with its unit: 84 只, 9.46 亿元, 50.38%. */
  function value(v: number | null | undefined, vt: ValueType, unit?: string): string {
    if (v === null || v === undefined) return '—'
    if (vt === 'money_fen') return money(v)
    if (vt === 'ppm') return ppm(v)
    const u = unitText(unit)
    return u ? `${group(String(v))} ${u}` : group(String(v))
  }

  /** The value without rounding: money in 元 with 2 decimals, ratios with 4 decimals of %. */
  function exact(v: number | null | undefined, vt: ValueType, unit?: string): string {
    if (v === null || v === undefined) return '—'
    if (vt === 'money_fen') return `${fenToYuan(v)} ${moneyUnitText('yuan')}`
    if (vt === 'ppm') return `${scaledToDecimal(v, 4)}%`
    return value(v, vt, unit)
  }

  /** The unit a value is typed in: 元 for money, % for ratios, the plan's unit for counts. */
  function inputUnit(vt: ValueType, unit: string): string {
    if (vt === 'money_fen') return moneyUnitText('yuan')
    if (vt === 'ppm') return '%'
    return unitText(unit)
  }

  const comparatorText = (c: Comparator | string) => tr('kpi.comparators', c === '>=' ? 'ge' : c === '>' ? 'gt' : c === '~' ? 'approx' : c)

  /** "≥ 1,140.00 亿元". */
  const targetText = (c: Comparator | string, v: number, vt: ValueType, unit?: string) => `${comparatorText(c)} ${value(v, vt, unit)}`

  /** The indicator's name in the current language. */
  const indicatorName = (ind: Pick<Indicator, 'name_zh' | 'name_en'> | null | undefined, fallback = '') =>
    !ind ? fallback : isEn() && ind.name_en ? ind.name_en : ind.name_zh

  /** current / target in % (display only; null without both). */
  function progress(current: number | null | undefined, target: number): number | null {
    if (current === null || current === undefined || !target) return null
    return (current / target) * 100
  }

  return {
    unitText,
    moneyUnitText,
    money,
    ppm,
    value,
    exact,
    inputUnit,
    comparatorText,
    targetText,
    indicatorName,
    progress,
    statusText: (s: TargetStatus | string) => tr('kpi.status', s),
    statusType: (s: TargetStatus | string): TagType => STATUS_TYPES[s as TargetStatus] ?? 'info',
    statusColor: (s: TargetStatus | string) => STATUS_COLORS[s as TargetStatus] ?? STATUS_COLORS.no_data,
    reportedStatusText: (s: ReportedStatus | string) => tr('kpi.reported.statuses', s),
    reportedStatusType: (s: ReportedStatus | string): TagType =>
      s === 'confirmed' ? 'success' : s === 'pending' ? 'warning' : s === 'rejected' ? 'danger' : 'info',
    kindText: (k: string) => tr('kpi.kinds', k),
    sourceText: (s: string) => tr('kpi.sources', s),
    dimensionText: (d: string) => tr('kpi.dimensions', d),
    triggerText: (s: string) => tr('kpi.snapshots.triggers', s),
    rankingText: (k: string) => tr('kpi.ranking.keys', k)
  }
}
