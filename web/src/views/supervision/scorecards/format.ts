/** Hours as the server gives them (1 decimal), "—" without observations. */
export const formatHours = (h: number | null | undefined) => (h === null || h === undefined ? '—' : h.toFixed(1))

/** A share (0..1) as a percentage with 1 decimal, "—" when unknown. */
export const formatShare = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}%`)
