import { http } from '@/utils/http'
import type { Page } from './types'

export interface Department {
  id: number
  parent_id: number | null
  name: string
  code: string
  sort: number
  version: number
}

export interface DepartmentNode extends Department {
  children?: DepartmentNode[]
}

export interface CreateDepartment {
  name: string
  code: string
  parent_id?: number
  sort?: number
}

export interface UpdateDepartment {
  name?: string
  code?: string
  parent_id?: number | null
  sort?: number
  version: number
}

/** GET /departments — flat list; build the tree with `buildTree`. */
export const listDepartments = () => http.get<Page<Department>>('/departments')
export const createDepartment = (body: CreateDepartment) =>
  http.post<Department>('/departments', body, { idempotent: true, silent: true })
export const updateDepartment = (id: number, body: UpdateDepartment) =>
  http.patch<Department>(`/departments/${id}`, body, { silent: true })
export const deleteDepartment = (id: number) => http.delete<void>(`/departments/${id}`)
