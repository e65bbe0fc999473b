/** BatchGetBuildBatches takes at most 100 ids per call. */
export const MAX_IDS_PER_CALL = 100

/**
 * Groups items by region (a client serves one region), then cuts each group into calls of
 * at most `size` items, keeping the items' order within each call.
 */
export function chunksByRegion<T>(items: readonly T[], regionOf: (item: T) => string, size = MAX_IDS_PER_CALL): T[][] {
  const byRegion = new Map<string, T[]>()
  for (const item of items) {
    const region = regionOf(item)
    const group = byRegion.get(region)
    if (group === undefined) byRegion.set(region, [item])
    else group.push(item)
  }
  return [...byRegion.values()].flatMap((group) => {
    const chunks: T[][] = []
    for (let start = 0; start < group.length; start += size) chunks.push(group.slice(start, start + size))
    return chunks
  })
}
