import type { BuildBatch } from '@aws-sdk/client-codebuild'
import type { BatchRef } from '../inputs/batch-ref.js'

/**
 * What happened to one requested batch:
 * - `stopped`: CodeBuild accepted the stop while the batch was running;
 * - `already-complete`: the batch had finished before the stop request (its final status is
 *   reported), STOPPED included when it ended before the request was sent;
 * - `not-found`: CodeBuild does not know the batch;
 * - `failed`: the stop could not be requested (see `error`);
 * - `would-stop`: a dry run found the batch running and sent no stop.
 */
export type StopResult = 'stopped' | 'already-complete' | 'not-found' | 'failed' | 'would-stop'

export interface BatchOutcome {
  readonly ref: BatchRef
  readonly result: StopResult
  /** The batch as CodeBuild last described it; absent when it was never seen. */
  readonly batch?: BuildBatch
  /** What went wrong, for `failed` and `not-found`; or why waiting stopped early. */
  readonly error?: string
}

/** Build statuses of a build that has not stopped yet. */
const RUNNING_BUILD_STATUSES = new Set(['IN_PROGRESS', 'PENDING'])

/** Builds of the batch that are still running or waiting to run. */
export function runningBuildCount(batch: BuildBatch): number {
  return (batch.buildGroups ?? []).filter((group) =>
    RUNNING_BUILD_STATUSES.has(group.currentBuildSummary?.buildStatus ?? '')
  ).length
}

/**
 * Settled means stopped for real: CodeBuild can answer STOPPED and complete for the batch
 * at once while its builds are still IN_PROGRESS and being torn down, so the builds are
 * checked too.
 */
export function isSettled(batch: BuildBatch | undefined): boolean {
  return batch?.complete === true && runningBuildCount(batch) === 0
}
