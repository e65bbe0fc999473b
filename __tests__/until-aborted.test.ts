import { describe, expect, it } from '@jest/globals'
import { untilAborted } from '../src/runtime/cancellation.js'

describe('untilAborted', () => {
  it('settles as the promise does while the signal holds', async () => {
    const signal = new AbortController().signal
    await expect(untilAborted(Promise.resolve(7), signal)).resolves.toBe(7)
    await expect(untilAborted(Promise.reject(new Error('no')), signal)).rejects.toThrow('no')
  })

  it('rejects with the reason as soon as the signal aborts, abandoning a promise that never settles', async () => {
    const controller = new AbortController()
    const waiting = untilAborted(new Promise(() => undefined), controller.signal)
    controller.abort(new Error('deadline'))
    await expect(waiting).rejects.toThrow('deadline')
  })

  it('rejects at once when the signal has already aborted', async () => {
    const controller = new AbortController()
    controller.abort(new Error('cancelled'))
    await expect(untilAborted(Promise.reject(new Error('ignored')), controller.signal)).rejects.toThrow('cancelled')
  })
})
