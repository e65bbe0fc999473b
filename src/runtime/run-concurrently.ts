/**
 * Maps every item with at most `limit` calls of `task` running at once, and keeps the
 * order of the items in the result. A task that throws rejects the whole call (the tasks
 * already started still run to their end); callers that must lose nothing return a
 * failure as a result instead.
 */
export async function runConcurrently<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>
): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++
      results[index] = await task(items[index])
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return results
}
