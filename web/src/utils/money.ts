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
