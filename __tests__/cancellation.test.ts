import { afterEach, describe, expect, it } from '@jest/globals'
import { abortableSleep, listenForCancellation, untilAborted, type Cancellation } from '../src/runtime/cancellation.js'

describe('listenForCancellation', () => {
  let cancellation: Cancellation | undefined
  afterEach(() => cancellation?.dispose())

  it.each(['SIGINT', 'SIGTERM'] as const)('aborts on %s and remembers which signal came', (name) => {
    cancellation = listenForCancellation()
    expect(cancellation.signal.aborted).toBe(false)

    process.emit(name, name)

    expect(cancellation.signal.aborted).toBe(true)
    expect(cancellation.received()).toBe(name)
  })

  it('keeps the first signal when a second one arrives', () => {
    cancellation = listenForCancellation()
    process.emit('SIGTERM', 'SIGTERM')
    process.emit('SIGINT', 'SIGINT')
    expect(cancellation.received()).toBe('SIGTERM')
  })

  it("ends the step at SIGTERM, as the runner's sequence does 7.5 s after SIGINT, and never at a second SIGINT", () => {
    cancellation = listenForCancellation()
    process.emit('SIGINT', 'SIGINT')
    process.emit('SIGINT', 'SIGINT')
    expect([cancellation.signal.aborted, cancellation.terminated.aborted]).toEqual([true, false])
    process.emit('SIGTERM', 'SIGTERM')
    expect(cancellation.terminated.aborted).toBe(true)
    expect(cancellation.received()).toBe('SIGINT')
  })

  it('ends the step at once on a SIGTERM that comes first', () => {
    cancellation = listenForCancellation()
    process.emit('SIGTERM', 'SIGTERM')
    expect([cancellation.signal.aborted, cancellation.terminated.aborted]).toEqual([true, true])
  })

  it('leaves no handler behind once disposed', () => {
    const before = process.listenerCount('SIGINT')
    cancellation = listenForCancellation()
    expect(process.listenerCount('SIGINT')).toBe(before + 1)
    cancellation.dispose()
    expect(process.listenerCount('SIGINT')).toBe(before)
    expect(process.listenerCount('SIGTERM')).toBe(before)
  })
})

describe('abortableSleep', () => {
  it('resolves after the time has passed', async () => {
    const started = performance.now()
    await abortableSleep(30, new AbortController().signal)
    expect(performance.now() - started).toBeGreaterThanOrEqual(25)
  })

  it('resolves as soon as the signal aborts', async () => {
    const controller = new AbortController()
    const started = performance.now()
    setTimeout(() => controller.abort(), 10)
    await abortableSleep(60_000, controller.signal)
    expect(performance.now() - started).toBeLessThan(1000)
  })

  it('resolves at once when already aborted', async () => {
    const controller = new AbortController()
    controller.abort()
    const started = performance.now()
    await abortableSleep(60_000, controller.signal)
    expect(performance.now() - started).toBeLessThan(50)
  })
})

describe('untilAborted', () => {
  it('settles as the promise does while the signal stays quiet', async () => {
    const signal = new AbortController().signal
    await expect(untilAborted(Promise.resolve(7), signal)).resolves.toBe(7)
    await expect(untilAborted(Promise.reject(new Error('no')), signal)).rejects.toThrow('no')
  })

  it('rejects with the reason as soon as the signal aborts, whatever the promise still does', async () => {
    const controller = new AbortController()
    const never = new Promise<number>(() => undefined)
    setTimeout(() => controller.abort(new Error('received SIGTERM')), 10)
    await expect(untilAborted(never, controller.signal)).rejects.toThrow('received SIGTERM')
  })

  it('rejects at once when already aborted, and leaves no unhandled rejection behind', async () => {
    const controller = new AbortController()
    controller.abort(new Error('gone'))
    await expect(untilAborted(Promise.reject(new Error('late')), controller.signal)).rejects.toThrow('gone')
  })
})
