import { describe, expect, it } from '@jest/globals'
import { allowQuietPhase, enterQuietPhase, QUIET_PHASE_FLAGS } from '../src/runtime/memory.js'

describe('the quiet phase', () => {
  it('changes nothing unless the entry allowed it', async () => {
    expect(await enterQuietPhase()).toBe(false)
  })

  it('applies its flags once, in order, when allowed', async () => {
    const applied: string[] = []
    allowQuietPhase((flag) => void applied.push(flag))

    expect(await enterQuietPhase()).toBe(true)
    expect(await enterQuietPhase()).toBe(false)
    expect(applied).toEqual(['--semi-space-growth-factor=1', '--no-turbofan'])
    expect(applied).toEqual([...QUIET_PHASE_FLAGS])
  })

  it('never rejects, so that a saving of memory cannot fail the step', async () => {
    allowQuietPhase(() => {
      throw new Error('no such flag')
    })

    expect(await enterQuietPhase()).toBe(false)
    expect(await enterQuietPhase()).toBe(false)
  })
})
