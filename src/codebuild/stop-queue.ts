import type { BatchOutcome } from './batch-outcome.js'
import { stopBatch, STOP_CONCURRENCY, type ClientForRegion } from './stop-batches.js'
import { refKey, type BatchRef } from '../inputs/batch-ref.js'
import { errorMessage } from '../runtime/errors.js'

/**
 * When the stop requests go out, under the runner's cancel sequence (SIGINT, SIGTERM 7.5 s
 * later, SIGKILL 2.5 s after that):
 * - a batch is queued the moment it is known (the ids of batch-id at start-up, the ones
 *   discovery finds later), and its stop goes out at once, never behind a slower step;
 * - at most `concurrency` stops are in flight while nothing is cancelled, which keeps clear
 *   of CodeBuild's throttling;
 * - after the first cancel signal every stop still waiting goes out at once: 400 stops at
 *   10 at a time and 350 ms an answer take 14 s, longer than the 10 s the runner leaves
 *   before the kill; all at once (the SDK opens up to 50 connections), under 3 s;
 * - at SIGTERM the answers are no longer waited for: a stop without one is reported as
 *   `requested`, so that the outputs and the summary are written before the kill.
 */
export interface StopQueue {
  /** Queues a stop for each batch not queued before, and sends it as soon as a slot is free; returns the new ones. */
  add(refs: readonly BatchRef[]): BatchRef[]
  /**
   * The outcome of each of `refs` (queued before), in their order, once every one has its
   * answer; at `terminated`, at once, with `requested` for those still unanswered.
   */
  outcomes(refs: readonly BatchRef[]): Promise<BatchOutcome[]>
  /** How many batches were queued so far. */
  size(): number
}

export interface StopQueueOptions {
  /** Stop calls in flight at once until `cancelled`; STOP_CONCURRENCY unless given. */
  readonly concurrency?: number
  /** Aborts at the first cancel signal: every stop still waiting goes out at once. */
  readonly cancelled: AbortSignal
  /** Aborts when the step must end: answers are no longer waited for. */
  readonly terminated: AbortSignal
  /** Called as soon as each batch's stop request has its answer, for progress in the log. */
  readonly onOutcome?: (outcome: BatchOutcome) => void
  /** This machine's clock, epoch milliseconds; Date.now unless a test gives one. */
  readonly now?: () => number
}

interface Entry {
  readonly ref: BatchRef
  outcome?: BatchOutcome
  readonly answered: Promise<void>
  readonly send: () => void
}

export function createStopQueue(clientFor: ClientForRegion, options: StopQueueOptions): StopQueue {
  const concurrency = options.concurrency ?? STOP_CONCURRENCY
  const now = options.now ?? Date.now
  const entries = new Map<string, Entry>()
  const waiting: Entry[] = []
  let inFlight = 0

  const pump = (): void => {
    const cancelled = options.cancelled.aborted || options.terminated.aborted
    const limit = cancelled ? Number.POSITIVE_INFINITY : concurrency
    while (waiting.length > 0 && inFlight < limit) waiting.shift()?.send()
  }
  options.cancelled.addEventListener('abort', pump, { once: true })
  const terminated = new Promise<void>((resolve) => {
    if (options.terminated.aborted) return resolve()
    options.terminated.addEventListener('abort', () => (pump(), resolve()), { once: true })
  })

  const entryFor = (ref: BatchRef): Entry => {
    let answer: () => void = () => undefined
    const entry: Entry = {
      ref,
      answered: new Promise<void>((resolve) => (answer = resolve)),
      send: () => {
        inFlight++
        void request(ref).then((outcome) => {
          entry.outcome = outcome
          inFlight--
          options.onOutcome?.(outcome)
          answer()
          pump()
        })
      }
    }
    return entry
  }

  // stopBatch never throws; a client that cannot even be made is one more failure to report.
  const request = async (ref: BatchRef): Promise<BatchOutcome> => {
    try {
      return await stopBatch(ref, clientFor(ref.region), now)
    } catch (error) {
      return { ref, result: 'failed', error: errorMessage(error) }
    }
  }

  return {
    add(refs) {
      const added: BatchRef[] = []
      for (const ref of refs) {
        const key = refKey(ref)
        if (entries.has(key)) continue
        const entry = entryFor(ref)
        entries.set(key, entry)
        waiting.push(entry)
        added.push(ref)
      }
      pump()
      return added
    },
    async outcomes(refs) {
      const wanted = refs.map((ref) => {
        const entry = entries.get(refKey(ref))
        if (entry === undefined) throw new Error(`no stop was queued for ${ref.id} (${ref.region})`)
        return entry
      })
      await Promise.race([Promise.all(wanted.map((entry) => entry.answered)), terminated])
      return wanted.map((entry): BatchOutcome => entry.outcome ?? { ref: entry.ref, result: 'requested' })
    },
    size: () => entries.size
  }
}

const NEVER = new AbortController().signal

/**
 * Requests a stop for every batch, at most `concurrency` at once, and resolves once each has
 * its answer. Never throws: a batch that could not be stopped is an outcome like the others,
 * so partial failure loses nothing.
 */
export function stopBatches(
  refs: readonly BatchRef[],
  clientFor: ClientForRegion,
  options: Omit<StopQueueOptions, 'cancelled' | 'terminated'> = {}
): Promise<BatchOutcome[]> {
  const queue = createStopQueue(clientFor, { ...options, cancelled: NEVER, terminated: NEVER })
  queue.add(refs)
  return queue.outcomes(refs)
}
