import { BatchGetBuildBatchesCommand, type BuildBatch } from '@aws-sdk/client-codebuild'
import { isSettled, type BatchOutcome } from './batch-outcome.js'
import { projectArnOf } from '../inputs/batch-ref.js'
import { describeAwsError, httpStatusOf } from '../runtime/errors.js'
import { chunksByRegion } from './region-chunks.js'
import type { ClientForRegion } from './stop-batches.js'

/**
 * How waiting ended: everything settled, the time ran out, the runner cancelled, or
 * CodeBuild refused to describe some batches (so whether they settled is unknown).
 */
export type WaitEnd = 'settled' | 'timed-out' | 'interrupted' | 'unconfirmed'

export interface WaitOptions {
  readonly timeoutMs: number
  readonly intervalMs: number
  /** Resolves after `ms`, or as soon as `signal` aborts. */
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>
  readonly now: () => number
  /** Aborted when the runner cancels the step: waiting ends, the state so far is kept. */
  readonly signal: AbortSignal
  /** Called after each round of polls with the number of batches still not settled. */
  readonly onRound?: (round: number, unsettled: number) => void
  /** Called when a poll fails; the wait goes on for the other batches. */
  readonly onProblem?: (message: string) => void
}

export interface WaitResult {
  readonly outcomes: BatchOutcome[]
  readonly end: WaitEnd
  /** Rounds of polling done. */
  readonly rounds: number
}

/**
 * Polls the stopped batches until every one is settled (see `isSettled`), the timeout
 * passes, or the signal aborts. Each round sends one BatchGetBuildBatches call per region
 * and per 100 batches, never one call per batch. A poll that keeps failing after the
 * client's retries is reported and tried again next round; one that CodeBuild refuses (for
 * example access denied) is not, and those batches keep their last known state.
 */
export async function pollUntilSettled(
  outcomes: readonly BatchOutcome[],
  clientFor: ClientForRegion,
  options: WaitOptions
): Promise<WaitResult> {
  const current = [...outcomes]
  const refused = new Set<number>()
  const deadline = options.now() + options.timeoutMs
  let rounds = 0
  const unsettled = (): number[] =>
    current.flatMap((outcome, index) =>
      (outcome.result === 'stopped' || outcome.result === 'already-complete') &&
      !isSettled(outcome.batch) &&
      !refused.has(index)
        ? [index]
        : []
    )

  for (;;) {
    const pending = unsettled()
    if (pending.length === 0) return { outcomes: current, end: refused.size > 0 ? 'unconfirmed' : 'settled', rounds }
    if (options.signal.aborted) return { outcomes: current, end: 'interrupted', rounds }
    const remaining = deadline - options.now()
    if (remaining <= 0) return { outcomes: current, end: 'timed-out', rounds }

    await options.sleep(Math.min(options.intervalMs, remaining), options.signal)
    if (options.signal.aborted) return { outcomes: current, end: 'interrupted', rounds }

    rounds++
    await Promise.all(
      chunksByRegion(pending, (index) => current[index].ref.region).map(async (indices) => {
        const { region } = current[indices[0]].ref
        const ids = indices.map((index) => current[index].ref.id)
        try {
          const answer = await clientFor(region).send(new BatchGetBuildBatchesCommand({ ids }), {
            abortSignal: options.signal
          })
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
          if (options.signal.aborted) return
          const message = describeAwsError(error, {
            operation: 'BatchGetBuildBatches',
            projectArn: projectArnOf(current[indices[0]].ref)
          })
          const status = httpStatusOf(error)
          if (status !== undefined && status >= 400 && status < 500) {
            for (const index of indices) refused.add(index)
            options.onProblem?.(`stopped waiting for ${ids.length} batch(es) in ${region}: ${message}`)
          } else {
            options.onProblem?.(`polling ${ids.length} batch(es) in ${region} failed, trying again: ${message}`)
          }
        }
      })
    )
    if (options.signal.aborted) return { outcomes: current, end: 'interrupted', rounds }
    options.onRound?.(rounds, unsettled().length)
  }
}
