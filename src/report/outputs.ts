import type { BuildBatch } from '@aws-sdk/client-codebuild'
import { isSettled, runningBuildCount, type BatchOutcome } from '../codebuild/batch-outcome.js'
import { MIXED, Outputs, type OutputName } from '../inputs/constants.js'

/** One entry of the `batches` output. */
export interface BatchReport {
  id: string
  arn: string
  region: string
  status: string
  currentPhase: string
  complete: boolean
  /** Complete, and none of its builds is still IN_PROGRESS or PENDING. */
  settled: boolean
  /** Builds of the batch still IN_PROGRESS or PENDING when the action ended. */
  runningBuilds: number
  buildBatchNumber: number | null
  result: string
  error?: string
}

export function batchReport(outcome: BatchOutcome): BatchReport {
  const { ref, batch } = outcome
  return {
    id: ref.id,
    arn: batch?.arn ?? ref.arn ?? '',
    region: ref.region,
    status: batch?.buildBatchStatus ?? '',
    currentPhase: batch?.currentPhase ?? '',
    complete: batch?.complete === true,
    settled: isSettled(batch),
    runningBuilds: batch === undefined ? 0 : runningBuildCount(batch),
    buildBatchNumber: batch?.buildBatchNumber ?? null,
    result: outcome.result,
    ...(outcome.error === undefined ? {} : { error: outcome.error })
  }
}

/**
 * Every output of the action, from the outcomes. `waited` says whether the action polled
 * until the builds settled; only then does `complete` promise that no build still runs.
 */
export function buildOutputs(outcomes: readonly BatchOutcome[], waited: boolean): Record<OutputName, string> {
  // A batch CodeBuild does not know has no state to report; every other one counts, and
  // one whose state is unknown (its stop failed) keeps `complete` false.
  const known = outcomes.filter((outcome) => outcome.result !== 'not-found')
  const batches = known.flatMap((outcome) => (outcome.batch === undefined ? [] : [outcome.batch]))
  const isDone = (batch: BuildBatch | undefined): boolean => (waited ? isSettled(batch) : batch?.complete === true)
  const single = outcomes.length === 1 ? outcomes[0] : undefined
  return {
    [Outputs.Status]: shared(batches.map((batch) => batch.buildBatchStatus ?? '')),
    // Vacuously true when nothing was found or matched: nothing is left running.
    [Outputs.Complete]: String(known.every((outcome) => isDone(outcome.batch))),
    [Outputs.CurrentPhase]: shared(batches.map((batch) => batch.currentPhase ?? '')),
    [Outputs.BatchId]: single?.ref.id ?? '',
    [Outputs.BatchArn]: single === undefined ? '' : (single.batch?.arn ?? single.ref.arn ?? ''),
    [Outputs.BuildBatchNumber]: String(single?.batch?.buildBatchNumber ?? ''),
    [Outputs.StoppedIds]: JSON.stringify(
      outcomes.filter((outcome) => outcome.result === 'stopped').map((outcome) => outcome.ref.id)
    ),
    [Outputs.Batches]: JSON.stringify(outcomes.map(batchReport))
  }
}

/** The value all share, '' for none, MIXED when they differ. */
function shared(values: readonly string[]): string {
  if (values.length === 0) return ''
  return values.every((value) => value === values[0]) ? values[0] : MIXED
}
