// Valid Unified Social Credit Codes for tests (GB 32100-2015: the organisation code's check and character 18).
const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
/** A valid credit code for organisation body `n` (eight digits; the organisation check must be a digit). */
export function uscc(n, prefix = '91350206') {
  const body = String(n).padStart(8, '0');
  const org = 11 - ([...body].reduce((s, c, i) => s + Number(c) * [3, 7, 9, 10, 5, 8, 4, 2][i], 0) % 11);
  if (org === 10) return null;
  const code17 = prefix + body + (org === 11 ? '0' : String(org));
  const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  const sum = [...code17].reduce((s, c, i) => s + CHARSET.indexOf(c) * weights[i], 0);
  return code17 + CHARSET[(31 - (sum % 31)) % 31];
}
