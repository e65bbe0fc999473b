import { BatchGetBuildBatchesCommand, type BuildBatch } from '@aws-sdk/client-codebuild'
import { isSettled, type BatchOutcome } from './batch-outcome.js'
import { projectArnOf } from '../inputs/batch-ref.js'
import { untilAborted } from '../runtime/cancellation.js'
import { describeAwsError, isRefusal } from '../runtime/errors.js'
import { chunksByRegion } from './region-chunks.js'
import type { ClientForRegion } from './stop-batches.js'

/**
 * How waiting ended: everything settled, the time ran out, the runner cancelled, or
 * CodeBuild refused to describe some batches (so whether they settled is unknown).
 */
export type WaitEnd = 'settled' | 'timed-out' | 'interrupted' | 'unconfirmed'

/** Where the requested batches stand after a round of polls; the four add up to all of them. */
export interface WaitProgress {
  /** Stopped (or finished before), and none of their builds still runs. */
  readonly settled: number
  /** Stopped, with builds still running when last seen. */
  readonly stopping: number
  /** Stopped and not settled when last seen, and this round's poll of them failed (asked again next round). */
  readonly unanswered: number
  /** CodeBuild refused to describe them or no longer finds them: whether they settled is unknown. */
  readonly unconfirmed: number
  /** Not waited for: not found, or their stop could not be requested. */
  readonly notWaited: number
}

export interface WaitOptions {
  readonly timeoutMs: number
  readonly intervalMs: number
  /** Resolves after `ms`, or as soon as `signal` aborts. */
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>
  readonly now: () => number
  /** Aborted when the runner cancels the step: waiting ends, the state so far is kept. */
  readonly signal: AbortSignal
  /** A signal that aborts after `ms`, which bounds a poll by the deadline; AbortSignal.timeout by default. */
  readonly deadlineSignal?: (ms: number) => AbortSignal
  /** Called after each round of polls with where the batches stand. */
  readonly onRound?: (round: number, progress: WaitProgress) => void
  /** Called when a poll fails; the wait goes on for the other batches. */
  readonly onProblem?: (message: string) => void
}

export interface WaitResult {
  readonly outcomes: BatchOutcome[]
  readonly end: WaitEnd
  /** Rounds of polling done. */
  readonly rounds: number
  /** Where the batches stood when waiting ended. */
  readonly progress: WaitProgress
  /** A poll was still in flight at the deadline, and was aborted and abandoned. */
  readonly abandoned: boolean
}

/**
 * The longest time kept for the last poll before the deadline. The last round starts this
 * much before the deadline (at most half of the time left), so that the report has a fresh
 * state and the wait still ends by wait-timeout.
 */
export const LAST_POLL_MS = 1000

/**
 * Polls the stopped batches until every one is settled (see `isSettled`), the timeout
 * passes, or the signal aborts. Each round sends one BatchGetBuildBatches call per region
 * and per 100 batches, never one call per batch.
 *
 * `timeoutMs` bounds the whole wait: a poll still in flight at the deadline is aborted and
 * abandoned, even in the middle of the client's retries, so a slow or throttled CodeBuild
 * can never hold the step past wait-timeout (and past the runner's cancel window, with the
 * outputs and summary lost). A poll that keeps failing after the client's retries is
 * reported and asked again next round; only a refusal (see `isRefusal`) or a batch that
 * CodeBuild no longer finds ends the wait for those batches, which keep their last known
 * state.
 */
export async function pollUntilSettled(
  outcomes: readonly BatchOutcome[],
  clientFor: ClientForRegion,
  options: WaitOptions
): Promise<WaitResult> {
  const current = [...outcomes]
  const refused = new Set<number>()
  const deadline = options.now() + options.timeoutMs
  const deadlineSignal = options.deadlineSignal ?? ((ms: number) => AbortSignal.timeout(ms))
  let rounds = 0
  let lastRoundDone = false
  const waitedFor = (outcome: BatchOutcome): boolean =>
    outcome.result === 'stopped' || outcome.result === 'already-complete'
  const unsettled = (): number[] =>
    current.flatMap((outcome, index) =>
      waitedFor(outcome) && !isSettled(outcome.batch) && !refused.has(index) ? [index] : []
    )
  const progress = (unanswered: ReadonlySet<number> = new Set()): WaitProgress => {
    const counts = { settled: 0, stopping: 0, unanswered: 0, unconfirmed: 0, notWaited: 0 }
    current.forEach((outcome, index) => {
      if (!waitedFor(outcome)) counts.notWaited++
      else if (isSettled(outcome.batch)) counts.settled++
      else if (refused.has(index)) counts.unconfirmed++
      else if (unanswered.has(index)) counts.unanswered++
      else counts.stopping++
    })
    return counts
  }
  let abandoned = false
  const done = (end: WaitEnd): WaitResult => ({ outcomes: current, end, rounds, progress: progress(), abandoned })

  for (;;) {
    const pending = unsettled()
    if (pending.length === 0) return done(refused.size > 0 ? 'unconfirmed' : 'settled')
    if (options.signal.aborted) return done('interrupted')
    const remaining = deadline - options.now()
    if (remaining <= 0 || lastRoundDone) return done('timed-out')

    const lastRound = remaining <= options.intervalMs
    await options.sleep(lastRound ? remaining - Math.min(LAST_POLL_MS, remaining / 2) : options.intervalMs, options.signal)
    if (options.signal.aborted) return done('interrupted')
    const left = deadline - options.now()
    if (left <= 0) return done('timed-out')

    rounds++
    lastRoundDone = lastRound
    // Aborts at the deadline as well as on a cancel: the request, the client's backoff
    // between retries, and this round's wait for it.
    const roundSignal = AbortSignal.any([options.signal, deadlineSignal(left)])
    const unanswered = new Set<number>()
    await Promise.all(
      chunksByRegion(pending, (index) => current[index].ref.region).map(async (indices) => {
        const { region } = current[indices[0]].ref
        const ids = indices.map((index) => current[index].ref.id)
        try {
          const answer = await untilAborted(
            clientFor(region).send(new BatchGetBuildBatchesCommand({ ids }), { abortSignal: roundSignal }),
            roundSignal
          )
          const byId = new Map<string, BuildBatch>((answer.buildBatches ?? []).map((batch) => [batch.id ?? '', batch]))
          const notFound = new Set(answer.buildBatchesNotFound ?? [])
          for (const index of indices) {
            const batch = byId.get(current[index].ref.id)
            if (batch !== undefined) current[index] = { ...current[index], batch }
            if (notFound.has(current[index].ref.id)) {
              refused.add(index)
              options.onProblem?.(`stopped waiting for ${current[index].ref.id}: CodeBuild no longer finds it`)
            }
          }
        } catch (error) {
          // Cancelled or out of time: the wait ends below, and that is what gets reported.
          if (roundSignal.aborted) return
          const message = describeAwsError(error, {
            operation: 'BatchGetBuildBatches',
            projectArn: projectArnOf(current[indices[0]].ref)
          })
          if (isRefusal(error)) {
            for (const index of indices) refused.add(index)
            options.onProblem?.(`stopped waiting for ${ids.length} batch(es) in ${region}: ${message}`)
          } else {
            for (const index of indices) unanswered.add(index)
            options.onProblem?.(`polling ${ids.length} batch(es) in ${region} failed, trying again next round: ${message}`)
          }
        }
      })
    )
    if (options.signal.aborted) return done('interrupted')
    // Cut off by the deadline: this round saw nothing to report.
    if (roundSignal.aborted) {
      abandoned = true
      return done('timed-out')
    }
    options.onRound?.(rounds, progress(unanswered))
  }
}
