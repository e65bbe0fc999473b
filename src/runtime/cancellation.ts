/**
 * The runner cancels a step by sending SIGINT, then SIGTERM 7.5 s later, then SIGKILL 2.5 s
 * after that. Node's default for SIGINT and SIGTERM is to die at once, which would lose the
 * outputs and the summary, so both are caught. The first signal, whichever it is, aborts
 * `signal`: the wait ends, and every stop still to be sent goes out at once. SIGTERM also
 * aborts `terminated`: the kill is 2.5 s away, so the action stops waiting for answers,
 * reports what it knows and exits. Any further signal does nothing more.
 */
export interface Cancellation {
  /** Aborts at the first signal (SIGINT or SIGTERM). */
  readonly signal: AbortSignal
  /** Aborts at SIGTERM, whether it came first or after SIGINT: the step must end now. */
  readonly terminated: AbortSignal
  /** The first signal's name once one arrived (`SIGINT`, `SIGTERM`). */
  readonly received: () => string | undefined
  /** Stops listening, so that a finished action leaves no handler behind. */
  dispose(): void
}

export function listenForCancellation(): Cancellation {
  const cancelled = new AbortController()
  const terminated = new AbortController()
  let received: string | undefined
  const handler = (signalName: NodeJS.Signals): void => {
    received ??= signalName
    cancelled.abort(new Error(`received ${received}`))
    if (signalName === 'SIGTERM') terminated.abort(new Error('received SIGTERM'))
  }
  process.on('SIGINT', handler)
  process.on('SIGTERM', handler)
  return {
    signal: cancelled.signal,
    terminated: terminated.signal,
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
 * resolves credentials), or where work cannot be cut short from outside at all (a paginated
 * listing in the AWS SDK) but the step must not wait for it any longer.
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
