import { http } from '@/utils/http'
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

/** POST /imports/{kind} with the file as the raw body; `onProgress` gets the upload share (0–100). */
export const runImport = (file: File, opts: RunImport, onProgress?: (percent: number) => void, signal?: AbortSignal) =>
  http.upload<ImportResult>(`/imports/${opts.kind}`, file, {
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

export const downloadImportReport = (id: number) =>
  http.download(`/imports/${id}/report`, { format: 'xlsx' }, `import-${id}-report.xlsx`)

export const listImports = (query: PageQuery) => http.get<Page<ImportRun>>('/imports', { ...query })
