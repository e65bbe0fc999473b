/**
 * The runner cancels a step by sending SIGINT, then SIGTERM 7.5 s later, then SIGKILL 2.5 s
 * after that. Node's default for SIGINT and SIGTERM is to die at once, which would lose the
 * outputs and the summary, so both are caught: the returned signal aborts, the wait ends,
 * and the action reports the last known state and exits. A second signal does nothing more.
 */
export interface Cancellation {
  readonly signal: AbortSignal
  /** The signal's name once one arrived (`SIGINT`, `SIGTERM`). */
  readonly received: () => string | undefined
  /** Stops listening, so that a finished action leaves no handler behind. */
  dispose(): void
}

export function listenForCancellation(): Cancellation {
  const controller = new AbortController()
  let received: string | undefined
  const handler = (signalName: NodeJS.Signals): void => {
    if (received !== undefined) return
    received = signalName
    controller.abort(new Error(`received ${signalName}`))
  }
  process.on('SIGINT', handler)
  process.on('SIGTERM', handler)
  return {
    signal: controller.signal,
    received: () => received,
    dispose: () => {
      process.off('SIGINT', handler)
      process.off('SIGTERM', handler)
    }
  }
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve()
    const done = (): void => {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal.addEventListener('abort', done)
  })
}

/**
 * Settles as `promise` does, or rejects with the signal's reason as soon as the signal
 * aborts: the caller stops waiting for the promise, whatever it is still doing. Used where
 * an AbortSignal handed to the AWS SDK may not end its work at once (for example while it
 * resolves credentials).
 */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => undefined)
    return Promise.reject(signal.reason)
  }
  return new Promise<T>((resolve, reject) => {
    const abandon = (): void => reject(signal.reason)
    signal.addEventListener('abort', abandon, { once: true })
    promise.then(
      (value) => {
        signal.removeEventListener('abort', abandon)
        resolve(value)
      },
      (error: unknown) => {
        signal.removeEventListener('abort', abandon)
        reject(error)
      }
    )
  })
}
