import { computed, shallowRef } from 'vue'
import { http } from '@/utils/http'
import type { Department } from '@/api/department'
import type { Page } from '@/api/types'
import { useUserStore } from '@/store/modules/user'
import { buildTree } from './tree'

/** Departments for pickers (tree-selects). Quietly empty without `department:read`. */
export function useDepartments() {
  const store = useUserStore()
  const list = shallowRef<Department[]>([])
  const tree = computed(() => buildTree(list.value))
  const byId = computed(() => new Map(list.value.map(d => [d.id, d])))

  async function load() {
    if (!store.hasPerm('department:read')) return
    try {
      const res = await http.get<Page<Department>>('/departments', undefined, { silent: true })
      list.value = res?.items ?? []
    } catch {
      list.value = []
    }
  }

  const nameOf = (id: number | null | undefined) => (id != null ? byId.value.get(id)?.name : undefined)

  return { list, tree, byId, load, nameOf }
}
