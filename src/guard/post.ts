import type { BuildBatch, CodeBuildClient } from '@aws-sdk/client-codebuild'
import { readFileSync } from 'node:fs'
import { describeInProgressBatches, DiscoveryError } from '../codebuild/discover-batches.js'
import { requestStops, runStep, stopAndReport } from '../core/stop-and-report.js'
import { partitionOf, refKey, refOfListedBatch, uniqueRefs, type BatchRef } from '../inputs/batch-ref.js'
import { BATCH_FILE_VARIABLE, GUARD_STATE_NAME } from '../inputs/constants.js'
import { readGuardStopSettings } from '../inputs/guard-settings.js'
import { parseRecordedBatches, type RecordedBatches } from '../inputs/recorded-batches.js'
import {
  batchFileUnreadableLine,
  malformedLine,
  nothingToStopLine,
  projectFindingLines,
  recordedLine
} from '../report/render-log.js'
import type { ProjectFindings } from '../report/render-summary.js'
import * as core from '../report/workflow-commands.js'
import { listenForCancellation, type Cancellation } from '../runtime/cancellation.js'
import { errorMessage } from '../runtime/errors.js'
import { runConcurrently } from '../runtime/run-concurrently.js'
import { decideOwnership } from '../subject/job-ownership.js'
import { parseGuardState, type GuardState } from './guard-state.js'

/**
 * The guard's post step, which the runner starts only when the job did not succeed
 * (`post-if: '!success()'`): stops every batch recorded in $STOP_CODEBUILD_BATCH_FILE and
 * every in-progress batch of the guarded projects that this job started, then waits and
 * reports with the core the stop action uses.
 */
export async function run(cancellation: Cancellation = listenForCancellation()): Promise<void> {
  await runStep(cancellation, async (context) => {
    const state = parseGuardState(core.getState(GUARD_STATE_NAME))
    if (state === undefined) {
      core.info("Nothing to stop: the guard's main step did not finish (see its error), so it saved nothing to guard.")
      return
    }
    const settings = readGuardStopSettings((name) => core.getInput(name))
    const file = process.env[BATCH_FILE_VARIABLE] || state.batchFile
    const recorded = readRecordedBatches(file, state.region)
    // The recorded batches are the job's for certain: their stops go out at once, while the
    // projects are searched (a slow listing must not hold them back), and each project's
    // own batches as soon as its search ends, after the lines that say why.
    requestStops(context, recorded?.refs ?? [])
    const projects = await runConcurrently(state.projects, 4, async (project) => {
      const found = await findJobBatches(state, project, context.clientFor)
      for (const line of projectFindingLines(found.findings)) core.info(line)
      requestStops(context, found.owned.map(({ ref }) => ref))
      return found
    })

    const refs = uniqueRefs([...(recorded?.refs ?? []), ...projects.flatMap((found) => found.owned.map(({ ref }) => ref))])
    if (refs.length === 0) core.info(nothingToStopLine(state.projects))
    const errors = projects.flatMap((found) => (found.findings.error === undefined ? [] : [found.findings.error]))
    await stopAndReport(
      context,
      {
        refs,
        reasons: reasonsOf(recorded, projects),
        guard: {
          since: state.startedAt,
          recorded: recorded?.refs.length ?? 0,
          malformed: recorded?.malformed.length ?? 0,
          fileUnreadable: recorded === undefined,
          projects: projects.map((found) => found.findings)
        },
        ...(errors.length > 0 ? { findError: errors.join(' ') } : {})
      },
      settings
    )
  })
}

/**
 * The batches the job's steps recorded; undefined when the file cannot be read (a step
 * removed it, for example), which must not keep the projects' batches from being stopped.
 */
function readRecordedBatches(file: string, region: string): RecordedBatches | undefined {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    core.warning(batchFileUnreadableLine(file, errorMessage(error)))
    return undefined
  }
  const recorded = parseRecordedBatches(text, region)
  for (const malformed of recorded.malformed) core.warning(malformedLine(malformed))
  core.info(recordedLine(recorded.refs.map((ref) => ref.id)))
  return recorded
}

interface JobBatches {
  /** The batches this job started, to stop, and why each one counts as the job's. */
  readonly owned: ReadonlyArray<{ readonly ref: BatchRef; readonly reason: string }>
  readonly findings: ProjectFindings
}

/** The in-progress batches of one project, judged by the ownership rule. */
async function findJobBatches(
  state: GuardState,
  project: string,
  clientFor: (region: string) => CodeBuildClient
): Promise<JobBatches> {
  const { region } = state
  const base = { project, region, inProgress: 0, owned: [], kept: [], startedBefore: 0 }
  let batches: readonly BuildBatch[]
  let inProgress: number
  try {
    ;({ batches, inProgress } = await describeInProgressBatches(clientFor(region), { project, region, partition: partitionOf(region) }))
  } catch (error) {
    if (!(error instanceof DiscoveryError)) throw error
    return { owned: [], findings: { ...base, error: error.message } }
  }
  const owned: Array<{ batch: BuildBatch; reason: string }> = []
  const kept: Array<{ id: string; reason: string }> = []
  let startedBefore = 0
  for (const batch of batches) {
    const decision = decideOwnership(state.identity, state.startedAt, batch)
    if (decision.owned) owned.push({ batch, reason: decision.reason })
    else if (decision.code === 'started-before') startedBefore++
    else kept.push({ id: batch.id ?? '', reason: decision.reason })
  }
  return {
    owned: owned.map(({ batch, reason }) => ({ ref: refOfListedBatch(batch.id ?? '', batch.arn, region), reason })),
    findings: {
      ...base,
      inProgress,
      owned: owned.map(({ batch, reason }) => ({ id: batch.id ?? '', reason })),
      kept,
      startedBefore
    }
  }
}

/** Why each batch is stopped, by `region/id`, for the summary. */
function reasonsOf(recorded: RecordedBatches | undefined, projects: readonly JobBatches[]): Map<string, string> {
  const reasons = new Map<string, string>()
  for (const [key, line] of recorded?.lines ?? []) reasons.set(key, `recorded in $STOP_CODEBUILD_BATCH_FILE, line ${line}`)
  for (const { ref, reason } of projects.flatMap((found) => found.owned)) {
    const key = refKey(ref)
    reasons.set(key, reasons.has(key) ? `${reasons.get(key)}; and ${reason}` : reason)
  }
  return reasons
}
