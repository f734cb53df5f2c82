/**
 * Interest rates are stored and sent as integer basis points (1 bp = 0.01%). The UI shows and takes
 * them as percentages with two decimals ("3.85" ↔ 385). Integer arithmetic only, never floats.
 */

/** Basis points → percent text with exactly 2 decimals, without the % sign (385 → "3.85", -50 → "-0.50"). */
export function bpToPercent(bp: number | null | undefined): string {
  if (bp === null || bp === undefined || !Number.isInteger(bp)) return ''
  const negative = bp < 0
  const n = Math.abs(bp)
  const whole = Math.trunc(n / 100)
  const frac = String(n % 100).padStart(2, '0')
  return `${negative ? '-' : ''}${whole}.${frac}`
}

/** Basis points → "3.85%" (empty for null). */
export function formatRate(bp: number | null | undefined): string {
  const s = bpToPercent(bp)
  return s ? `${s}%` : ''
}

/** A range of rates: "3.00%–4.50%", or one rate when both ends are equal. */
export function formatRateRange(min: number | null | undefined, max: number | null | undefined): string {
  if (min === max) return formatRate(min)
  return `${formatRate(min)}–${formatRate(max)}`
}

/** A spread over the LPR with its sign ("+0.50%", "-0.25%"). */
export function formatSpread(bp: number | null | undefined): string {
  const s = bpToPercent(bp)
  if (!s) return ''
  return `${bp! >= 0 ? '+' : ''}${s}%`
}

/** Is `text` a percentage with at most 2 decimals (i.e. whole basis points)? */
export function isPercent(text: string, allowNegative = false): boolean {
  const re = allowNegative ? /^-?\d{1,3}(\.\d{1,2})?$/ : /^\d{1,3}(\.\d{1,2})?$/
  return re.test(text.trim())
}

/** Percent text → integer basis points ("3.85" → 385, "-0.5" → -50). Null for an empty or invalid text. */
export function percentToBp(text: string, allowNegative = false): number | null {
  const s = text.trim()
  if (!s || !isPercent(s, allowNegative)) return null
  const negative = s.startsWith('-')
  const [whole, frac = ''] = (negative ? s.slice(1) : s).split('.')
  const bp = Number(whole) * 100 + Number(frac.padEnd(2, '0'))
  return negative ? -bp : bp
}
