import { ApiError, http } from '@/utils/http'
import { i18n } from '@/locales'
import type { Page, PageQuery } from './types'

export type ImportKind = 'enterprises' | 'figures' | 'tags' | 'directory'
export const IMPORT_KINDS: ImportKind[] = ['enterprises', 'figures', 'tags', 'directory']

export type FileFormat = 'xlsx' | 'csv'

export const CONTENT_TYPES: Record<FileFormat, string> = {
  csv: 'text/csv',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
}

/** Largest file the server takes. */
export const MAX_UPLOAD_BYTES = 64 * 1024 * 1024

export interface ImportProblem {
  row: number
  column: string
  value: string
  reason: string
  severity: 'error' | 'warning'
}

export interface ImportResult {
  import_id: number
  kind: ImportKind
  dry_run: boolean
  strict: boolean
  applied: boolean
  total_rows: number
  valid_rows: number
  created: number
  updated: number
  unchanged: number
  rejected_rows: number
  flagged_rows: number
  problems: ImportProblem[]
}

/** Where a background run is: waiting, checking rows, writing rows, finished or failed. */
export type ImportPhase = 'queued' | 'validating' | 'applying' | 'indexing' | 'done' | 'failed'

/** A run as GET /imports/{id} shows it: phase and progress, then (once done) the result. */
export interface ImportJob extends ImportResult {
  id: number
  phase: ImportPhase
  /** Rows handled in the current phase. */
  rows_done: number
  /** Data rows of the file (estimated while a CSV is being checked). */
  rows_total: number
  /** Why it failed (phase failed). */
  error: string
  user: string
  at: string
  started_at: string | null
  finished_at: string | null
}

export interface ImportRun {
  id: number
  kind: ImportKind
  file_name: string
  dry_run: boolean
  strict: boolean
  applied: boolean
  total_rows: number
  created: number
  updated: number
  rejected_rows: number
  flagged_rows: number
  user: string
  at: string
  phase: ImportPhase
  rows_done: number
  rows_total: number
  error: string
}

export interface RunImport {
  kind: ImportKind
  dryRun: boolean
  strict: boolean
  directoryId?: number
  /** Original file name (recorded with the run). */
  fileName?: string
}

/** The file's format from its name (xlsx or csv), or null. */
export function formatOf(name: string): FileFormat | null {
  const lower = name.toLowerCase()
  if (lower.endsWith('.xlsx')) return 'xlsx'
  if (lower.endsWith('.csv')) return 'csv'
  return null
}

export const downloadTemplate = (kind: ImportKind, format: FileFormat) =>
  http.download(`/imports/templates/${kind}`, { format }, `${kind}-template.${format}`)

/**
 * POST /imports/{kind} with the file as the raw body; `onProgress` gets the upload share (0–100). The server
 * queues the run and answers 202 with it (phase queued); follow it with {@link waitForImport}.
 */
export const startImport = (file: File, opts: RunImport, onProgress?: (percent: number) => void, signal?: AbortSignal) =>
  http.upload<ImportJob>(`/imports/${opts.kind}`, file, {
    query: {
      dry_run: opts.dryRun,
      strict: opts.strict,
      directory_id: opts.kind === 'directory' ? opts.directoryId : undefined,
      file_name: opts.fileName
    },
    contentType: CONTENT_TYPES[formatOf(file.name) ?? 'csv'],
    onProgress,
    signal,
    silent: true
  })

/** GET /imports/{id}: the run's phase, progress and (once done) result. */
export const getImport = (id: number, signal?: AbortSignal) => http.get<ImportJob>(`/imports/${id}`, undefined, { silent: true, signal })

/** How often a running import is asked for its progress. */
export const IMPORT_POLL_MS = 400

/**
 * Polls the run until it is done (resolves with it) or failed (rejects with its reason), telling `onJob` every
 * answer. Stops when `signal` aborts (the run itself goes on on the server).
 */
export async function waitForImport(job: ImportJob, onJob: (job: ImportJob) => void, signal?: AbortSignal): Promise<ImportJob> {
  let current = job
  onJob(current)
  while (current.phase !== 'done' && current.phase !== 'failed') {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, IMPORT_POLL_MS)
      signal?.addEventListener('abort', () => {
        clearTimeout(timer)
        reject(new ApiError(0, 'cancelled', i18n.global.t('http.cancelled') as string))
      }, { once: true })
    })
    current = await getImport(current.id, signal)
    onJob(current)
  }
  if (current.phase === 'failed') throw new Error(current.error || 'import failed')
  return current
}

/** Uploads the file and follows the run to its end: the result, with `onJob` told each step on the way. */
export async function runImport(
  file: File,
  opts: RunImport,
  onProgress: (percent: number) => void,
  onJob: (job: ImportJob) => void,
  signal?: AbortSignal
): Promise<ImportJob> {
  const job = await startImport(file, opts, onProgress, signal)
  return waitForImport(job, onJob, signal)
}

export const downloadImportReport = (id: number) =>
  http.download(`/imports/${id}/report`, { format: 'xlsx' }, `import-${id}-report.xlsx`)

export const listImports = (query: PageQuery) => http.get<Page<ImportRun>>('/imports', { ...query })
/** GET /imports/export?format=…: every run, newest first, as a download. */
export const exportImports = (format: 'xlsx' | 'csv') => http.download('/imports/export', { format }, `imports.${format}`)
