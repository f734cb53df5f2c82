import type { Department, DepartmentNode } from '@/api/department'

/** Build the department tree from the flat list (children sorted by `sort`, then name). */
export function buildTree(items: Department[]): DepartmentNode[] {
  const byId = new Map<number, DepartmentNode>()
  for (const d of items) byId.set(d.id, { ...d })
  const roots: DepartmentNode[] = []
  for (const node of byId.values()) {
    const parent = node.parent_id != null ? byId.get(node.parent_id) : undefined
    if (parent && parent !== node) (parent.children ??= []).push(node)
    else roots.push(node)
  }
  const sort = (nodes: DepartmentNode[]) => {
    nodes.sort((a, b) => (a.sort ?? 0) - (b.sort ?? 0) || a.name.localeCompare(b.name))
    for (const n of nodes) if (n.children) sort(n.children)
  }
  sort(roots)
  return roots
}

/** Ids of `id` and all its descendants (used to forbid moving a department under itself). */
export function descendantIds(items: Department[], id: number): Set<number> {
  const out = new Set<number>([id])
  let grew = true
  while (grew) {
    grew = false
    for (const d of items) {
      if (d.parent_id != null && out.has(d.parent_id) && !out.has(d.id)) {
        out.add(d.id)
        grew = true
      }
    }
  }
  return out
}
