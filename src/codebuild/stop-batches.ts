import {
  BatchGetBuildBatchesCommand,
  StopBuildBatchCommand,
  type BuildBatch,
  type CodeBuildClient
} from '@aws-sdk/client-codebuild'
import type { BatchOutcome } from './batch-outcome.js'
import { projectArnOf, refKey, type BatchRef } from '../inputs/batch-ref.js'
import { describeAwsError, errorName } from '../runtime/errors.js'
import { chunksByRegion } from './region-chunks.js'

/**
 * The part of the CodeBuild client the action uses; tests hand in a mocked client. `config`
 * gives the SDK's estimate of how far CodeBuild's clock is from this machine's.
 */
export type CodeBuildApi = Pick<CodeBuildClient, 'send'> & {
  readonly config?: { readonly systemClockOffset?: number }
}

/** The client for a region. Batches from several regions can be stopped in one run. */
export type ClientForRegion = (region: string) => CodeBuildApi

/**
 * Stop calls in flight at once. CodeBuild publishes no rate limit for StopBuildBatch; ten
 * concurrent calls stop 100 batches in about ten round trips and stay far from the burst
 * that throttles (what throttling remains is retried by the client).
 */
export const STOP_CONCURRENCY = 10

/** Final statuses a batch can have had before this action asked to stop it. */
const FINISHED_STATUSES = new Set(['SUCCEEDED', 'FAILED', 'FAULT', 'TIMED_OUT'])

/**
 * How much earlier than the stop request a STOPPED batch's `endTime` must be for the batch to
 * count as stopped before the request (by a person, by an earlier run), not by it. CodeBuild
 * answers STOPPED for both, and only the time tells them apart.
 *
 * Both times are on CodeBuild's clock: `endTime` is CodeBuild's, and the moment the request
 * was sent is this machine's clock corrected by the SDK's estimate of the offset, which it
 * takes from the Date header of every CodeBuild answer. That estimate errs early (the header
 * has whole seconds and is stamped before the answer travels back), which only makes a batch
 * more likely to count as stopped by this run. What is left to allow for is the clocks of
 * CodeBuild's own hosts, and this machine's clock when no answer carried a Date header. Five
 * seconds covers both with room. Erring the other way would be worse: a batch this run
 * stopped would be left out of `stopped-ids`; a batch someone else stopped in the same five
 * seconds is listed there, and it was being stopped at that very moment anyway.
 */
export const STOPPED_EARLIER_ALLOWANCE_MS = 5000

/**
 * Requests the stop of one batch and classifies the answer. Never throws: a batch that could
 * not be stopped is an outcome like the others. Not cancellable on purpose: the runner's
 * cancel signal must not prevent the very requests that a cancellation step exists to send
 * (stop-queue.ts decides when each request goes out).
 */
export async function stopBatch(ref: BatchRef, client: CodeBuildApi, now: () => number): Promise<BatchOutcome> {
  // Taken before the first attempt: a retried request may have stopped the batch already.
  const sentAt = now()
  try {
    const { buildBatch } = await client.send(new StopBuildBatchCommand({ id: ref.id }))
    const finished =
      FINISHED_STATUSES.has(buildBatch?.buildBatchStatus ?? '') ||
      stoppedBeforeRequest(buildBatch, sentAt + serviceClockOffsetMs(client))
    return { ref, result: finished ? 'already-complete' : 'stopped', batch: buildBatch }
  } catch (error) {
    const name = errorName(error)
    if (name === 'ResourceNotFoundException') {
      return { ref, result: 'not-found', error: notFoundMessage(ref) }
    }
    const failure = describeAwsError(error, { operation: 'StopBuildBatch', projectArn: projectArnOf(ref) })
    if (name === 'InvalidInputException') {
      // CodeBuild has answered a batch that does not exist, and (in some versions of the
      // service) a batch that already finished, with InvalidInputException. The batch's
      // own state tells which, so it is looked up before anything is reported.
      return lookUpAfterRefusal(ref, client, failure)
    }
    return { ref, result: 'failed', error: failure }
  }
}

/**
 * A STOPPED batch whose `endTime` is before the stop request was sent had stopped before
 * it. Without an `endTime` that cannot be told, and the stop counts as this run's.
 */
function stoppedBeforeRequest(batch: BuildBatch | undefined, sentAtOnServiceClock: number): boolean {
  const endTime = batch?.endTime?.getTime()
  return (
    batch?.buildBatchStatus === 'STOPPED' &&
    endTime !== undefined &&
    !Number.isNaN(endTime) &&
    endTime < sentAtOnServiceClock - STOPPED_EARLIER_ALLOWANCE_MS
  )
}

/** Milliseconds from this machine's clock to CodeBuild's, as the SDK last measured them; 0 when unknown. */
function serviceClockOffsetMs(client: CodeBuildApi): number {
  const offset = client.config?.systemClockOffset
  return typeof offset === 'number' && Number.isFinite(offset) ? offset : 0
}

async function lookUpAfterRefusal(ref: BatchRef, client: CodeBuildApi, failure: string): Promise<BatchOutcome> {
  let batch: BuildBatch | undefined
  try {
    const answer = await client.send(new BatchGetBuildBatchesCommand({ ids: [ref.id] }))
    if (answer.buildBatchesNotFound?.includes(ref.id)) {
      return { ref, result: 'not-found', error: notFoundMessage(ref) }
    }
    batch = answer.buildBatches?.find((candidate) => candidate.id === ref.id)
  } catch {
    // The lookup was only a second opinion; the stop's own error says what went wrong.
    return { ref, result: 'failed', error: failure }
  }
  if (batch?.complete === true) {
    return { ref, result: 'already-complete', batch }
  }
  return { ref, result: 'failed', batch, error: failure }
}

function notFoundMessage(ref: BatchRef): string {
  return `CodeBuild has no batch ${ref.id} in ${ref.region}: check the id and the region.`
}

/**
 * A dry run: what stopBatches would do, without a single stop. Batches whose state is
 * already known (found by discovery) are reported as they are; the others are described
 * with BatchGetBuildBatches, 100 ids a call per region.
 */
export async function previewBatches(
  refs: readonly BatchRef[],
  clientFor: ClientForRegion,
  known: ReadonlyMap<string, BuildBatch> = new Map()
): Promise<BatchOutcome[]> {
  const states = new Map<string, BuildBatch | 'not-found' | { error: string }>()
  for (const ref of refs) {
    const batch = known.get(ref.id)
    if (batch !== undefined) states.set(refKey(ref), batch)
  }
  const unknown = refs.filter((ref) => !states.has(refKey(ref)))
  for (const chunk of chunksByRegion(unknown, (ref) => ref.region)) {
    const { region } = chunk[0]
    try {
      const answer = await clientFor(region).send(new BatchGetBuildBatchesCommand({ ids: chunk.map((ref) => ref.id) }))
      for (const batch of answer.buildBatches ?? []) states.set(refKey({ region, id: batch.id ?? '' }), batch)
      for (const id of answer.buildBatchesNotFound ?? []) states.set(refKey({ region, id }), 'not-found')
    } catch (error) {
      const message = describeAwsError(error, { operation: 'BatchGetBuildBatches', projectArn: projectArnOf(chunk[0]) })
      for (const ref of chunk) states.set(refKey(ref), { error: message })
    }
  }
  return refs.map((ref): BatchOutcome => {
    const state = states.get(refKey(ref))
    if (state === undefined || state === 'not-found') return { ref, result: 'not-found', error: notFoundMessage(ref) }
    if ('error' in state) return { ref, result: 'failed', error: state.error }
    return { ref, result: state.complete === true ? 'already-complete' : 'would-stop', batch: state }
  })
}
