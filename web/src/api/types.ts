/** Shared shapes of the Chanrong API (see data/openapi.json, served at /api/docs). */

/** A page of a list endpoint: `{items,total,offset,limit}`. */
export interface Page<T> {
  items: T[]
  total: number
  offset?: number
  limit?: number
}

export interface PageQuery {
  offset?: number
  limit?: number
  q?: string
}

/** `kind` of a user or a role. */
export type Kind = 'enterprise' | 'institution' | 'government' | 'administrator' | 'auditor'
export const KINDS: Kind[] = ['government', 'enterprise', 'institution', 'administrator', 'auditor']

export interface RoleRef {
  id: number
  code: string
  name: string
}

/** The largest page the server gives (limit ≤ 200). */
export const MAX_LIMIT = 200
