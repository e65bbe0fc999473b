import { describe, expect, it } from '@jest/globals'
import { runConcurrently } from '../src/runtime/run-concurrently.js'

describe('runConcurrently', () => {
  it('keeps the order of the items, whatever order the tasks finish in', async () => {
    const results = await runConcurrently([30, 10, 20, 0], 2, async (ms) => {
      await new Promise((resolve) => setTimeout(resolve, ms))
      return ms * 2
    })
    expect(results).toEqual([60, 20, 40, 0])
  })

  it.each([1, 3, 10])('never runs more than %i tasks at once', async (limit) => {
    let running = 0
    let most = 0
    await runConcurrently(Array.from({ length: 20 }, (_, n) => n), limit, async () => {
      most = Math.max(most, ++running)
      await new Promise((resolve) => setTimeout(resolve, 2))
      running--
    })
    expect(most).toBe(limit)
  })

  it('handles no items and a limit above the item count', async () => {
    expect(await runConcurrently([], 5, async () => 1)).toEqual([])
    expect(await runConcurrently(['a'], 5, async (item) => item.toUpperCase())).toEqual(['A'])
  })
})
