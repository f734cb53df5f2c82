import { useI18n } from 'vue-i18n'
import type { CreditRecord } from '@/api/credit'
import { fenToYuan } from '@/utils/money'

type TagType = 'primary' | 'success' | 'warning' | 'danger' | 'info'

/** Grades from best to worst, for colouring only (the bands themselves come from the model). */
const GRADE_ORDER = ['AAA', 'AA', 'A', 'BBB', 'BB', 'B', 'CCC', 'CC', 'C']

/** Labels and colours of the credit module's codes (grade, record status, trigger …) and its number formats. */
export function useCreditText() {
  const { t, te } = useI18n()
  const tr = (prefix: string, v: string | null | undefined) => (!v ? '' : te(`${prefix}.${v}`) ? t(`${prefix}.${v}`) : v)

  /** AAA–A green, BBB–B blue/orange, CCC–C red. */
  function gradeType(grade: string | null | undefined): TagType {
    const rank = GRADE_ORDER.indexOf(grade ?? '')
    if (rank < 0) return 'info'
    if (rank <= 2) return 'success'
    if (rank <= 4) return 'primary'
    if (rank <= 5) return 'warning'
    return 'danger'
  }

  /** 0..1 → "0.06%" (up to 2 decimals, more for tiny values). */
  function percent(v: number | null | undefined, digits = 2): string {
    if (v === null || v === undefined || Number.isNaN(v)) return '—'
    const p = v * 100
    const d = p !== 0 && Math.abs(p) < 0.01 ? 4 : digits
    return `${p.toFixed(d)}%`
  }

  /** The record's value: grade or level, amount in 元, count, or — for a flag. */
  function recordValue(r: Pick<CreditRecord, 'value' | 'amount_fen' | 'quantity'>): string {
    const parts: string[] = []
    if (r.value) parts.push(r.value)
    if (r.amount_fen !== null && r.amount_fen !== undefined) parts.push(`${fenToYuan(r.amount_fen)} ${t('credit.yuan')}`)
    if (r.quantity !== null && r.quantity !== undefined) parts.push(String(r.quantity))
    return parts.join(' · ') || '—'
  }

  const statusTypes: Record<string, TagType> = { active: 'primary', closed: 'info', removed: 'info' }

  /** load:12 → 数据报送 #12, manual → 手动重新评分, model:2026.2 → 启用模型 2026.2. */
  function triggerText(trigger: string | null | undefined): string {
    if (!trigger) return ''
    const [kind, arg = ''] = trigger.split(/:(.*)/s)
    return te(`credit.triggers.${kind}`) ? t(`credit.triggers.${kind}`, { arg }) : trigger
  }

  return {
    gradeType,
    percent,
    recordValue,
    triggerText,
    recordStatusText: (v: string | null | undefined) => tr('credit.recordStatus', v),
    recordStatusType: (v: string | null | undefined): TagType => statusTypes[v ?? ''] ?? 'info',
    valueKindText: (v: string | null | undefined) => tr('credit.valueKinds', v),
    candidateStatusText: (v: string | null | undefined) => tr('credit.whitelist.statuses', v),
    candidateStatusType: (v: string | null | undefined): TagType => (v === 'approved' ? 'success' : v === 'rejected' ? 'danger' : 'warning'),
    originText: (v: string | null | undefined) => tr('credit.model.origins', v)
  }
}
