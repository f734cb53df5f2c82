/**
 * 统一社会信用代码 (GB 32100-2015): 18 characters from a 31-character alphabet (no I, O, S, V, Z),
 * character 17 is the organisation-code check (GB 11714), character 18 the overall check.
 * The server validates and gives the exact reason; the UI uses this only for a quick hint.
 */
const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY'
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]

/** 18 characters of the allowed alphabet (upper case). */
export function usccShapeOk(code: string): boolean {
  return code.length === 18 && [...code].every(c => CHARSET.includes(c))
}

function orgCheck(eight: string): string | null {
  let sum = 0
  for (let i = 0; i < 8; i++) {
    const c = eight[i]
    const v = c >= '0' && c <= '9' ? c.charCodeAt(0) - 48 : c >= 'A' && c <= 'Z' ? c.charCodeAt(0) - 55 : -1
    if (v < 0) return null
    sum += v * ORG_WEIGHTS[i]
  }
  const check = 11 - (sum % 11)
  return check === 10 ? 'X' : check === 11 ? '0' : String(check)
}

/** True if shape and both check characters are right. */
export function usccValid(code: string): boolean {
  if (!usccShapeOk(code)) return false
  if (orgCheck(code.slice(8, 16)) !== code[16]) return false
  let sum = 0
  for (let i = 0; i < 17; i++) sum += CHARSET.indexOf(code[i]) * WEIGHTS[i]
  return CHARSET[(31 - (sum % 31)) % 31] === code[17]
}
