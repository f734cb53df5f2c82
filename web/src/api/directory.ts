import { http } from '@/utils/http'
import type { Page, PageQuery } from './types'

export type MemberKind = 'enterprise' | 'project'

export interface Directory {
  id: number
  code: string
  name: string
  member_kind: MemberKind
  /** '' or a comma list such as 'base,cultivation'. */
  layers: string
  chain: string
  description: string
  member_count: number
  subscribed: boolean
  /** Entries and exits since the viewer last looked (subscribed directories). */
  unseen_changes: number
}

/** One stay of an enterprise or project in a directory. */
export interface DirectoryEntry {
  id: number
  enterprise_id: number | null
  project_id: number | null
  name: string
  uscc: string | null
  layer: string
  effective_from: string
  effective_to: string | null
  entry_reason: string
  entry_evidence: string
  entry_approved_by: string
  exit_reason: string
  exit_evidence: string
  exit_approved_by: string
  created_at: string
  updated_at: string
}

export interface MembersPage extends Page<DirectoryEntry> {
  as_of: string
}

export interface DirectoryDiff {
  from: string
  to: string
  added: DirectoryEntry[]
  removed: DirectoryEntry[]
  changed: { before: DirectoryEntry; after: DirectoryEntry }[]
}

export interface DirectoryChanges {
  since: string | null
  entered: DirectoryEntry[]
  left: DirectoryEntry[]
}

export interface NewEntry {
  enterprise_id?: number
  project_id?: number
  layer?: string
  effective_from: string
  reason: string
  evidence?: string
}

export interface ExitInput {
  effective_to: string
  reason: string
  evidence?: string
}

export type ProjectStage = 'planning' | 'construction' | 'operation'
export const PROJECT_STAGES: ProjectStage[] = ['planning', 'construction', 'operation']

export interface Project {
  id: number
  name: string
  enterprise_id: number | null
  enterprise_name: string
  investment_fen: number | null
  financing_need_fen: number | null
  stage: ProjectStage | ''
  district: string
  industry_446: string
  green_category: string
}

export type NewProject = Partial<Omit<Project, 'id' | 'name' | 'enterprise_name'>> & { name: string }

export const listDirectories = () => http.get<Page<Directory>>('/directories')
export const listMembers = (id: number, query: PageQuery & { as_of?: string; layer?: string }) =>
  http.get<MembersPage>(`/directories/${id}/members`, { ...query })
export const listHistory = (id: number, query: PageQuery & { enterprise_id?: number }) =>
  http.get<Page<DirectoryEntry>>(`/directories/${id}/history`, { ...query })
/** GET /directories/{id}/diff/export?from=…&to=…&format=… as a download. */
export const exportDiff = (id: number, format: 'xlsx' | 'csv', from: string, to: string) =>
  http.download(`/directories/${id}/diff/export`, { format, from, to }, `directory-${id}-diff.${format}`)
export const diffDirectory = (id: number, from: string, to: string) =>
  http.get<DirectoryDiff>(`/directories/${id}/diff`, { from, to })
export const addEntry = (id: number, body: NewEntry) =>
  http.post<DirectoryEntry>(`/directories/${id}/entries`, body, { idempotent: true, silent: true })
export const exitEntry = (entryId: number, body: ExitInput) =>
  http.post<DirectoryEntry>(`/directory-entries/${entryId}/exit`, body, { silent: true })
/** GET /directories/{id}/members/export?format=…&as_of=… as a browser download (streamed by the server). */
export const exportMembers = (id: number, format: 'xlsx' | 'csv', asOf: string) =>
  http.download(`/directories/${id}/members/export`, { format, as_of: asOf }, `directory-${id}-${asOf}.${format}`)
/** GET /directories/{id}/history/export?format=…[&enterprise_id=…]: every stay, entry and exit, as a download. */
export const exportHistory = (id: number, format: 'xlsx' | 'csv', enterpriseId?: number) =>
  http.download(`/directories/${id}/history/export`, { format, enterprise_id: enterpriseId }, `directory-${id}-history.${format}`)
export const subscribeDirectory = (id: number) => http.post<void>(`/directories/${id}/subscribe`)
/** Entered/left since the last look; marks them seen. */
export const directoryChanges = (id: number) => http.post<DirectoryChanges>(`/directories/${id}/changes`)

export const listProjects = (query: PageQuery, opts: { silent?: boolean } = {}) =>
  http.get<Page<Project>>('/projects', { ...query }, opts)
/** GET /projects/export?format=… as a download. */
export const exportProjects = (format: 'xlsx' | 'csv') => http.download('/projects/export', { format }, `projects.${format}`)
export const createProject = (body: NewProject) => http.post<Project>('/projects', body, { idempotent: true, silent: true })
