import { afterEach, describe, expect, it } from '@jest/globals'
import { abortableSleep, listenForCancellation, type Cancellation } from '../src/runtime/cancellation.js'

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
