const pad = (n: number) => String(n).padStart(2, '0')

/** ISO-8601 → local `YYYY-MM-DD HH:mm:ss` (empty for null). */
export function formatTime(value: string | null | undefined): string {
  if (!value) return ''
  const d = new Date(value)
  if (Number.isNaN(d.getTime())) return value
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
}

/** Date → ISO-8601 UTC without milliseconds, as the API writes times. */
export function toIso(value: Date | string | number | null | undefined): string | undefined {
  if (value === null || value === undefined || value === '') return undefined
  const d = value instanceof Date ? value : new Date(value)
  if (Number.isNaN(d.getTime())) return undefined
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/** Pretty JSON for display (empty for null/undefined). */
export function prettyJson(value: unknown): string {
  if (value === null || value === undefined || value === '') return ''
  if (typeof value === 'string') {
    try {
      return JSON.stringify(JSON.parse(value), null, 2)
    } catch {
      return value
    }
  }
  return JSON.stringify(value, null, 2)
}

/** Is a `locked_until` time still in the future? */
export function isLocked(lockedUntil: string | null | undefined): boolean {
  if (!lockedUntil) return false
  const t = new Date(lockedUntil).getTime()
  return !Number.isNaN(t) && t > Date.now()
}

/** Local date as `YYYY-MM-DD` (today by default). */
export function formatDate(value: Date = new Date()): string {
  return `${value.getFullYear()}-${pad(value.getMonth() + 1)}-${pad(value.getDate())}`
}

/** Today's local date as `YYYY-MM-DD`. */
export const today = () => formatDate(new Date())
