/**
 * Money is stored and sent as integer fen (分). The UI shows and takes it in 万元
 * (1 万元 = 10,000 元 = 1,000,000 分). Only integer (BigInt) arithmetic is used, never floats.
 */

const FEN_PER_WAN = 1_000_000n
const FEN_PER_HUNDREDTH_WAN = 10_000n

function toBig(fen: number | string | bigint): bigint | null {
  try {
    return typeof fen === 'bigint' ? fen : BigInt(fen)
  } catch {
    return null
  }
}

function group(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
}

/**
 * Fen → 万元 with exactly 2 decimals, rounded half away from zero, with thousands separators
 * (e.g. 520000000000 → "520,000.00"). Empty for null/undefined.
 */
export function fenToWan(fen: number | string | bigint | null | undefined, grouping = true): string {
  if (fen === null || fen === undefined || fen === '') return ''
  let n = toBig(fen)
  if (n === null) return String(fen)
  const negative = n < 0n
  if (negative) n = -n
  const hundredths = (n + FEN_PER_HUNDREDTH_WAN / 2n) / FEN_PER_HUNDREDTH_WAN
  const whole = (hundredths / 100n).toString()
  const frac = (hundredths % 100n).toString().padStart(2, '0')
  const sign = negative && hundredths > 0n ? '-' : ''
  return `${sign}${grouping ? group(whole) : whole}.${frac}`
}

/** Fen → the exact 万元 amount for an input box (up to 6 decimals, no rounding, no grouping). */
export function fenToWanInput(fen: number | string | bigint | null | undefined): string {
  if (fen === null || fen === undefined || fen === '') return ''
  let n = toBig(fen)
  if (n === null) return ''
  const negative = n < 0n
  if (negative) n = -n
  const whole = (n / FEN_PER_WAN).toString()
  const frac = (n % FEN_PER_WAN).toString().padStart(6, '0').replace(/0+$/, '')
  return `${negative ? '-' : ''}${whole}${frac ? `.${frac}` : ''}`
}

/** Is `text` a 万元 amount we can convert exactly (at most 6 decimals, i.e. whole fen)? */
export function isWanAmount(text: string, allowNegative = false): boolean {
  const re = allowNegative ? /^-?\d+(\.\d{1,6})?$/ : /^\d+(\.\d{1,6})?$/
  return re.test(text.trim().replace(/,/g, ''))
}

/**
 * 万元 text → integer fen ("12.5" → 12500000). Null for an empty or invalid amount
 * or one beyond the safe integer range.
 */
export function wanToFen(text: string, allowNegative = false): number | null {
  const s = text.trim().replace(/,/g, '')
  if (!s || !isWanAmount(s, allowNegative)) return null
  const negative = s.startsWith('-')
  const [whole, frac = ''] = (negative ? s.slice(1) : s).split('.')
  const fen = BigInt(whole) * FEN_PER_WAN + BigInt(frac.padEnd(6, '0') || '0')
  const signed = negative ? -fen : fen
  if (signed > BigInt(Number.MAX_SAFE_INTEGER) || signed < -BigInt(Number.MAX_SAFE_INTEGER)) return null
  return Number(signed)
}

/** Fen → 元 with exactly 2 decimals and thousands separators (e.g. 320000000 → "3,200,000.00"). Empty for null. */
export function fenToYuan(fen: number | string | bigint | null | undefined, grouping = true): string {
  if (fen === null || fen === undefined || fen === '') return ''
  let n = toBig(fen)
  if (n === null) return String(fen)
  const negative = n < 0n
  if (negative) n = -n
  const whole = (n / 100n).toString()
  const frac = (n % 100n).toString().padStart(2, '0')
  return `${negative && n > 0n ? '-' : ''}${grouping ? group(whole) : whole}.${frac}`
}

// ---- exact decimals and large amounts (试点监测) ------------------------------------------------------------

const POW10 = (n: number) => 10n ** BigInt(n)

/**
 * A decimal text with at most `digits` decimals → the integer `value × 10^digits`, exactly (BigInt, no floats):
 * "12.5" with 2 digits → 1250 (元 → fen), "38.5" with 4 digits → 385000 (% → ppm). Null for an empty or invalid
 * text, more decimals than `digits`, or a result beyond the safe integer range.
 */
export function decimalToScaled(text: string, digits: number, allowNegative = false): number | null {
  const s = text.trim().replace(/,/g, '')
  const re = digits > 0 ? new RegExp(`^${allowNegative ? '-?' : ''}\\d+(\\.\\d{1,${digits}})?$`) : new RegExp(`^${allowNegative ? '-?' : ''}\\d+$`)
  if (!s || !re.test(s)) return null
  const negative = s.startsWith('-')
  const [whole, frac = ''] = (negative ? s.slice(1) : s).split('.')
  const n = BigInt(whole) * POW10(digits) + BigInt(frac.padEnd(digits, '0') || '0')
  const signed = negative ? -n : n
  if (signed > BigInt(Number.MAX_SAFE_INTEGER) || signed < -BigInt(Number.MAX_SAFE_INTEGER)) return null
  return Number(signed)
}

/** The inverse of {@link decimalToScaled} for an input box: 1250 with 2 digits → "12.5" (no grouping, no rounding). */
export function scaledToDecimal(value: number | string | bigint | null | undefined, digits: number): string {
  if (value === null || value === undefined || value === '') return ''
  let n = toBig(value)
  if (n === null) return ''
  const negative = n < 0n
  if (negative) n = -n
  const whole = (n / POW10(digits)).toString()
  const frac = digits > 0 ? (n % POW10(digits)).toString().padStart(digits, '0').replace(/0+$/, '') : ''
  return `${negative ? '-' : ''}${whole}${frac ? `.${frac}` : ''}`
}

/** 元 text (at most 2 decimals) → integer fen, exactly ("1,234.5" → 123450). */
export const yuanToFen = (text: string) => decimalToScaled(text, 2)
/** Fen → the exact 元 amount for an input box (123450 → "1234.5"). */
export const fenToYuanInput = (fen: number | string | bigint | null | undefined) => scaledToDecimal(fen, 2)

/** The unit a large amount reads best in: 亿元 from 1 亿, 万元 from 1 万, else 元. */
export type MoneyUnit = 'yi' | 'wan' | 'yuan'

/** Fen per 元, 万元 and 亿元. */
const FEN_PER: Record<MoneyUnit, bigint> = { yuan: 100n, wan: 1_000_000n, yi: 10_000_000_000n }

export function moneyUnitOf(fen: number | string | bigint | null | undefined): MoneyUnit {
  const n = fen === null || fen === undefined || fen === '' ? null : toBig(fen)
  if (n === null) return 'yuan'
  const abs = n < 0n ? -n : n
  if (abs >= FEN_PER.yi) return 'yi'
  if (abs >= FEN_PER.wan) return 'wan'
  return 'yuan'
}

/**
 * Fen → the amount in `unit` with `decimals` decimals, rounded half away from zero, with thousands separators
 * (94636000000 in 亿元 → "9.46"). For display only: the exact value stays in fen. Empty for null.
 */
export function fenToUnit(fen: number | string | bigint | null | undefined, unit: MoneyUnit, decimals = 2, grouping = true): string {
  if (fen === null || fen === undefined || fen === '') return ''
  let n = toBig(fen)
  if (n === null) return String(fen)
  const negative = n < 0n
  if (negative) n = -n
  const scale = POW10(decimals)
  const per = FEN_PER[unit]
  const scaled = (n * scale + per / 2n) / per
  const whole = (scaled / scale).toString()
  const frac = decimals > 0 ? `.${(scaled % scale).toString().padStart(decimals, '0')}` : ''
  return `${negative && scaled > 0n ? '-' : ''}${grouping ? group(whole) : whole}${frac}`
}

/** Fen → a plain number in `unit`, for chart axes only (floating point, never for sums). */
export const fenToUnitNumber = (fen: number | null | undefined, unit: MoneyUnit): number | null =>
  fen === null || fen === undefined ? null : Number(fen) / Number(FEN_PER[unit])
