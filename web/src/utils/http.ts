/**
 * Thin fetch wrapper for the Chanrong API (`/api/v1`).
 *
 * - always sends the session cookie (`credentials: 'include'`) and JSON;
 * - maps the uniform error body `{error:{code,message,fields}}` to an {@link ApiError}
 *   and shows the server's message with Element Plus (unless `silent`);
 * - on 401 calls the handler installed by the router (go to /login).
 */
import { ElMessage } from 'element-plus'
import { i18n } from '@/locales'

export const API_BASE = '/api/v1'

export interface ApiFieldError {
  field: string
  code: string
  message: string
}

export interface ApiErrorBody {
  error?: {
    code?: string
    message?: string
    fields?: ApiFieldError[]
  }
  request_id?: string
}

export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly fields: ApiFieldError[]
  readonly requestId?: string

  constructor(status: number, code: string, message: string, fields: ApiFieldError[] = [], requestId?: string) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.fields = fields
    this.requestId = requestId
  }

  /** Message of the field error for `field`, if the server named it. */
  fieldMessage(field: string): string | undefined {
    return this.fields.find(f => f.field === field)?.message
  }
}

export type QueryValue = string | number | boolean | null | undefined
export type Query = Record<string, QueryValue | QueryValue[]>

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'
  query?: Query
  body?: unknown
  /** Do not show an error message (the caller handles it). */
  silent?: boolean
  /** Do not run the 401 handler (used by /auth/me and /auth/login). */
  skipAuthRedirect?: boolean
  /** Send an `Idempotency-Key` header (creating writes). */
  idempotent?: boolean
  signal?: AbortSignal
}

type UnauthorizedHandler = () => void
let onUnauthorized: UnauthorizedHandler | null = null

/** Installed once by the router: what to do when the session is gone. */
export function setUnauthorizedHandler(fn: UnauthorizedHandler) {
  onUnauthorized = fn
}

function t(key: string): string {
  return i18n.global.t(key) as string
}

export function buildQuery(query?: Query): string {
  if (!query) return ''
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    const values = Array.isArray(value) ? value : [value]
    for (const v of values) {
      if (v === undefined || v === null || v === '') continue
      params.append(key, String(v))
    }
  }
  const s = params.toString()
  return s ? `?${s}` : ''
}

export function newIdempotencyKey(): string {
  const c = globalThis.crypto as Crypto | undefined
  if (c && typeof c.randomUUID === 'function') return c.randomUUID()
  const bytes = new Uint8Array(16)
  if (c && typeof c.getRandomValues === 'function') c.getRandomValues(bytes)
  else for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256)
  return Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('')
}

function errorFromResponse(status: number, data: unknown): ApiError {
  const body = (data && typeof data === 'object' ? data : {}) as ApiErrorBody
  const e = body.error ?? {}
  const code = e.code || defaultCode(status)
  const key = `http.status.${status}`
  const message = e.message || (i18n.global.te(key) ? t(key) : `${t('http.unknown')} (HTTP ${status})`)
  return new ApiError(status, code, message, Array.isArray(e.fields) ? e.fields : [], body.request_id)
}

function defaultCode(status: number): string {
  switch (status) {
    case 400: return 'invalid_argument'
    case 401: return 'unauthenticated'
    case 403: return 'permission_denied'
    case 404: return 'not_found'
    case 409: return 'conflict'
    case 413: return 'payload_too_large'
    case 422: return 'failed_precondition'
    case 429: return 'resource_exhausted'
    default: return status >= 500 ? 'internal' : 'unknown'
  }
}

/** Human text for an error: the server's message plus its field messages. */
export function describeError(err: unknown): string {
  if (err instanceof ApiError) {
    const fields = err.fields
      .filter(f => f.message && !err.message.includes(f.message))
      .map(f => (f.field ? `${f.field}: ${f.message}` : f.message))
    return fields.length ? `${err.message}（${fields.join('；')}）` : err.message
  }
  if (err instanceof Error) return err.message
  return String(err)
}

export function showError(err: unknown) {
  ElMessage({ type: 'error', message: describeError(err), grouping: true, showClose: true, duration: 4000 })
}

async function send(path: string, opts: RequestOptions, accept: string): Promise<Response> {
  const headers: Record<string, string> = { Accept: accept }
  let body: BodyInit | undefined
  if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json'
    body = JSON.stringify(opts.body)
  }
  if (opts.idempotent) headers['Idempotency-Key'] = newIdempotencyKey()
  const url = `${API_BASE}${path}${buildQuery(opts.query)}`
  try {
    return await fetch(url, {
      method: opts.method ?? 'GET',
      credentials: 'include',
      headers,
      body,
      signal: opts.signal
    })
  } catch (cause) {
    const err = new ApiError(0, 'unavailable', t('http.network'))
    if (!opts.silent && !(cause instanceof DOMException && cause.name === 'AbortError')) showError(err)
    throw err
  }
}

async function fail(resp: Response, opts: RequestOptions): Promise<never> {
  let data: unknown
  const text = await resp.text().catch(() => '')
  if (text) {
    try {
      data = JSON.parse(text)
    } catch {
      data = undefined
    }
  }
  const err = errorFromResponse(resp.status, data)
  if (resp.status === 401 && !opts.skipAuthRedirect) {
    if (!opts.silent) {
      ElMessage({ type: 'warning', message: t('http.sessionExpired'), grouping: true })
    }
    onUnauthorized?.()
    throw err
  }
  if (!opts.silent) showError(err)
  throw err
}

export async function request<T = unknown>(path: string, opts: RequestOptions = {}): Promise<T> {
  const resp = await send(path, opts, 'application/json')
  if (!resp.ok) return fail(resp, opts)
  if (resp.status === 204) return undefined as T
  const text = await resp.text()
  if (!text) return undefined as T
  try {
    return JSON.parse(text) as T
  } catch {
    return text as unknown as T
  }
}

function filenameFromDisposition(header: string | null): string | undefined {
  if (!header) return undefined
  const star = /filename\*\s*=\s*(?:UTF-8'')?([^;]+)/i.exec(header)
  if (star) {
    try {
      return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ''))
    } catch {
      /* fall through */
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(header)
  return plain ? plain[1].trim() : undefined
}

/** GET a file and hand it to the browser as a download. */
export async function download(path: string, query: Query, fallbackName: string, opts: RequestOptions = {}) {
  const resp = await send(path, { ...opts, query }, '*/*')
  if (!resp.ok) return fail(resp, opts)
  const blob = await resp.blob()
  const name = filenameFromDisposition(resp.headers.get('Content-Disposition')) || fallbackName
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = name
  a.rel = 'noopener'
  a.style.display = 'none'
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 30_000)
}

export interface UploadOptions {
  query?: Query
  /** Content-Type of the raw body (defaults to the file's own type). */
  contentType?: string
  /** Called with the share of the body sent so far (0–100). */
  onProgress?: (percent: number) => void
  silent?: boolean
  /** Lets the caller abort the upload. */
  signal?: AbortSignal
}

/**
 * POST a file as the raw request body (not multipart), with upload progress (XHR: fetch cannot report it).
 * Errors are mapped like {@link request}: an {@link ApiError}, a message unless `silent`, 401 → /login.
 */
export function upload<T = unknown>(path: string, file: Blob, opts: UploadOptions = {}): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', `${API_BASE}${path}${buildQuery(opts.query)}`)
    xhr.withCredentials = true
    xhr.setRequestHeader('Accept', 'application/json')
    xhr.setRequestHeader('Content-Type', opts.contentType || file.type || 'application/octet-stream')
    xhr.upload.onprogress = e => {
      if (e.lengthComputable && opts.onProgress) opts.onProgress(Math.min(100, Math.round((e.loaded / e.total) * 100)))
    }
    xhr.onload = () => {
      const text = xhr.responseText
      let data: unknown
      if (text) {
        try {
          data = JSON.parse(text)
        } catch {
          data = text
        }
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        opts.onProgress?.(100)
        resolve(data as T)
        return
      }
      const err = errorFromResponse(xhr.status, data)
      if (xhr.status === 401) {
        if (!opts.silent) ElMessage({ type: 'warning', message: t('http.sessionExpired'), grouping: true })
        onUnauthorized?.()
      } else if (!opts.silent) {
        showError(err)
      }
      reject(err)
    }
    const networkError = () => {
      const err = new ApiError(0, 'unavailable', t('http.network'))
      if (!opts.silent) showError(err)
      reject(err)
    }
    xhr.onerror = networkError
    xhr.ontimeout = networkError
    xhr.onabort = () => reject(new ApiError(0, 'cancelled', t('http.cancelled')))
    if (opts.signal) {
      if (opts.signal.aborted) {
        xhr.abort()
        return
      }
      opts.signal.addEventListener('abort', () => xhr.abort(), { once: true })
    }
    xhr.send(file)
  })
}

export const http = {
  request,
  get: <T>(path: string, query?: Query, opts: Omit<RequestOptions, 'query' | 'method'> = {}) =>
    request<T>(path, { ...opts, method: 'GET', query }),
  post: <T>(path: string, body?: unknown, opts: Omit<RequestOptions, 'body' | 'method'> = {}) =>
    request<T>(path, { ...opts, method: 'POST', body }),
  patch: <T>(path: string, body?: unknown, opts: Omit<RequestOptions, 'body' | 'method'> = {}) =>
    request<T>(path, { ...opts, method: 'PATCH', body }),
  put: <T>(path: string, body?: unknown, opts: Omit<RequestOptions, 'body' | 'method'> = {}) =>
    request<T>(path, { ...opts, method: 'PUT', body }),
  delete: <T>(path: string, opts: Omit<RequestOptions, 'method'> = {}) =>
    request<T>(path, { ...opts, method: 'DELETE' }),
  download,
  upload
}

export default http
