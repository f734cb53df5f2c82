import { useI18n } from 'vue-i18n'
import type { PendingKind, PendingStatus } from '@/api/enterprise'
import type { useReference } from '@/utils/useReference'

/** Labels for pending changes (kind, status, a one-line summary of the payload). */
export function usePendingText(refs: ReturnType<typeof useReference>) {
  const { t, te } = useI18n()

  const kindText = (kind: PendingKind | string) => (te(`pending.kinds.${kind}`) ? t(`pending.kinds.${kind}`) : kind)
  const statusText = (s: PendingStatus | string) => (te(`pending.statuses.${s}`) ? t(`pending.statuses.${s}`) : s)
  const statusType = (s: PendingStatus | string) => (s === 'approved' ? 'success' : s === 'rejected' ? 'danger' : 'warning')

  function summary(kind: string, payload: Record<string, unknown> | null | undefined): string {
    const p = payload ?? {}
    const str = (k: string) => (typeof p[k] === 'string' || typeof p[k] === 'number' ? String(p[k]) : '')
    if (kind === 'industry') {
      const code = str('industry_code')
      return t('pending.industrySummary', { code, name: refs.industryName(code) })
    }
    if (kind === 'tag') {
      const parts = [
        t('pending.tagSummary', {
          name: refs.tagName(str('tag')),
          from: str('valid_from'),
          to: str('valid_to') || t('enterprise.openEnded')
        })
      ]
      if (str('evidence')) parts.push(t('pending.evidence', { evidence: str('evidence') }))
      if (str('chain')) parts.push(`${str('chain')}${str('chain_node') ? ` / ${str('chain_node')}` : ''}`)
      return parts.join('；')
    }
    return JSON.stringify(p)
  }

  return { kindText, statusText, statusType, summary }
}
