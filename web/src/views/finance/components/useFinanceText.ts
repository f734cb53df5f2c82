import { useI18n } from 'vue-i18n'
import type { Product } from '@/api/product'
import { fenToWan } from '@/utils/money'
import { formatRateRange, formatSpread, formatRate } from '@/utils/rate'

type TagType = 'primary' | 'success' | 'warning' | 'danger' | 'info'

/** Labels and tag colours of the financing loop's codes (status, purpose, event, …), and money/term/rate text. */
export function useFinanceText() {
  const { t, te } = useI18n()
  const tr = (prefix: string, v: string | null | undefined, fallback?: string) =>
    !v ? '' : te(`${prefix}.${v}`) ? t(`${prefix}.${v}`) : fallback || v

  const productStatusTypes: Record<string, TagType> = {
    draft: 'info',
    pending_review: 'warning',
    published: 'success',
    suspended: 'warning',
    withdrawn: 'info',
    rejected: 'danger'
  }
  const appStatusTypes: Record<string, TagType> = {
    submitted: 'info',
    accepted: 'primary',
    under_review: 'primary',
    more_docs: 'warning',
    approved: 'success',
    rejected: 'danger',
    disbursed: 'success',
    withdrawn: 'info',
    expired: 'info'
  }
  const urgencyTypes: Record<string, TagType> = { normal: 'info', urgent: 'warning', very_urgent: 'danger' }

  /** Fen → "1,234.00 万元". */
  const wan = (fen: number | null | undefined) => (fen === null || fen === undefined ? '' : `${fenToWan(fen)} ${t('finance.wan')}`)
  const amountRange = (min: number, max: number) =>
    min === max ? wan(min) : `${fenToWan(min)}–${fenToWan(max)} ${t('finance.wan')}`
  const term = (n: number | null | undefined) => (n === null || n === undefined ? '' : t('finance.monthsN', { n }))
  const termRange = (min: number, max: number) => (min === max ? term(min) : t('finance.monthsRange', { min, max }))

  /** A product's rate as offered: a fixed range, or LPR plus a spread range. */
  function productRate(p: Pick<Product, 'rate_mode' | 'rate_min_bp' | 'rate_max_bp'>) {
    if (p.rate_mode === 'lpr_spread') return `LPR ${spreadRange(p)}`
    return formatRateRange(p.rate_min_bp, p.rate_max_bp)
  }
  /** The spread over the LPR of an lpr_spread product ("-0.20%～+0.80%"). */
  const spreadRange = (p: Pick<Product, 'rate_min_bp' | 'rate_max_bp'>) =>
    p.rate_min_bp === p.rate_max_bp ? formatSpread(p.rate_min_bp) : `${formatSpread(p.rate_min_bp)}～${formatSpread(p.rate_max_bp)}`
  /** What the borrower pays today (the LPR added for a spread). */
  const effectiveRate = (p: Pick<Product, 'effective_rate_min_bp' | 'effective_rate_max_bp'>) =>
    formatRateRange(p.effective_rate_min_bp, p.effective_rate_max_bp)

  return {
    wan,
    amountRange,
    term,
    termRange,
    rate: formatRate,
    productRate,
    spreadRange,
    effectiveRate,
    purposeText: (v: string | null | undefined) => tr('finance.purposes', v),
    urgencyText: (v: string | null | undefined) => tr('finance.urgencies', v),
    urgencyType: (v: string | null | undefined): TagType => urgencyTypes[v ?? ''] ?? 'info',
    productStatusText: (v: string | null | undefined) => tr('finance.productStatus', v),
    productStatusType: (v: string | null | undefined): TagType => productStatusTypes[v ?? ''] ?? 'info',
    /** The status in the UI language; the server's Chinese name for an unknown code. */
    appStatusText: (v: string | null | undefined, serverName?: string) => tr('finance.appStatus', v, serverName),
    appStatusType: (v: string | null | undefined): TagType => appStatusTypes[v ?? ''] ?? 'info',
    eventText: (v: string | null | undefined) => tr('finance.events', v),
    actionText: (v: string | null | undefined) => tr('finance.actions', v),
    originText: (v: string | null | undefined) => tr('finance.origins', v),
    rateModeText: (v: string | null | undefined) => tr('finance.rateModes', v),
    flagText: (v: string | null | undefined) => tr('finance.flags', v),
    loanSourceText: (v: string | null | undefined) => tr('finance.loanSources', v)
  }
}
