import { useI18n } from 'vue-i18n'
import type { Campaign } from '@/api/campaign'

type TagType = 'primary' | 'success' | 'warning' | 'danger' | 'info'

/** Status, progress and deadline texts of a 需求征集 campaign (shared by the officers' pages and the enterprise's card). */
export function useCampaignText() {
  const { t } = useI18n()
  /** 征集中 / 已推送 (closed by the push) / 已过截止日期 (open but past its deadline). */
  const statusText = (c: Campaign) =>
    c.status === 'closed' ? t(c.pushed_at ? 'finance.campaign.statuses.pushed' : 'finance.campaign.statuses.closed') : c.past_deadline ? t('finance.campaign.statuses.overdue') : t('finance.campaign.statuses.open')
  const statusType = (c: Campaign): TagType => (c.status === 'closed' ? (c.pushed_at ? 'success' : 'info') : c.past_deadline ? 'warning' : 'primary')
  /** 0–100 for el-progress. */
  const percent = (c: Campaign) => (c.completion === null || c.completion === undefined ? 0 : Math.round(Math.min(1, Math.max(0, c.completion)) * 100))
  /** "1 / 3 家已填报". */
  const progressText = (c: Pick<Campaign, 'answered' | 'targets'>) => t('finance.campaign.progress', { answered: c.answered, targets: c.targets })
  return { statusText, statusType, percent, progressText }
}
