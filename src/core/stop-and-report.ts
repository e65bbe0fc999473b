import type { BuildBatch, CodeBuildClient } from '@aws-sdk/client-codebuild'
import { isSettled, type BatchOutcome } from '../codebuild/batch-outcome.js'
import { createCodeBuildClient } from '../codebuild/codebuild-client.js'
import { pollUntilSettled, type WaitEnd, type WaitResult } from '../codebuild/poll-until-settled.js'
import { previewBatches } from '../codebuild/stop-batches.js'
import { createStopQueue, type StopQueue } from '../codebuild/stop-queue.js'
import type { BatchRef } from '../inputs/batch-ref.js'
import { ACTION_VERSION } from '../inputs/constants.js'
import { forLog } from '../report/escape.js'
import { groupByCause } from '../report/causes.js'
import { buildOutputs } from '../report/outputs.js'
import { attemptLine, causeLine, failureLine, problemLine, roundLine, stopLine, waitEndLine } from '../report/render-log.js'
import { renderSummary, type DiscoverySummary, type GuardSummary, type SummaryInput } from '../report/render-summary.js'
import * as core from '../report/workflow-commands.js'
import { abortableSleep, type Cancellation } from '../runtime/cancellation.js'
import { enterQuietPhase } from '../runtime/memory.js'
import { failStep } from './fail-step.js'

/**
 * The core that every entrypoint shares (the stop action, the guard's post step): one
 * client per region, the cancel warning, and the handling of anything thrown; then stop,
 * wait and report with the same machinery, retry policy and escaping.
 */

/** How a step stops, waits and reports; the settings of both actions share these. */
export interface StopSettings {
  /** Report what would be stopped, and stop nothing. */
  readonly dryRun: boolean
  /** Poll after the stop requests until every batch and all its builds have settled. */
  readonly wait: boolean
  /** Longest time to wait, in milliseconds. */
  readonly waitTimeoutMs: number
  /** Time between two polls, in milliseconds. */
  readonly pollIntervalMs: number
  /** Report a batch that does not exist as a warning instead of a failure. */
  readonly ignoreNotFound: boolean
  /** Write the job summary. */
  readonly summary: boolean
}

/** What one step has to work with: its clients, its cancellation, its stop requests and its start time. */
export interface StepContext {
  readonly clientFor: (region: string) => CodeBuildClient
  readonly cancellation: Cancellation
  /** Every stop request of the step: sent as soon as its batch is known (see requestStops). */
  readonly stops: StopQueue
  /** Epoch milliseconds when the step started. */
  readonly started: number
}

/** What to stop, and what was found on the way, for the report. */
export interface StopRequest {
  readonly refs: readonly BatchRef[]
  /** Batch states already known (from discovery), by id, for a dry run. */
  readonly known?: ReadonlyMap<string, BuildBatch>
  readonly discovery?: DiscoverySummary
  /** What the guard's post step looked at, for the summary. */
  readonly guard?: GuardSummary
  /** Why each batch is stopped, by `region/id`, for the summary. */
  readonly reasons?: ReadonlyMap<string, string>
  /** Why finding batches failed; the step fails after stopping the rest. */
  readonly findError?: string
}

/**
 * Runs one step's body with its clients and cancel warning. Every failure ends as a failed
 * step (see failStep).
 */
export async function runStep(cancellation: Cancellation, body: (context: StepContext) => Promise<void>): Promise<void> {
  const started = Date.now()
  const onCancel = (): void => {
    core.warning(
      `Received ${cancellation.received() ?? 'a signal'}: the runner is cancelling this step; the stop requests still go out, waiting ends.`
    )
  }
  if (cancellation.signal.aborted) onCancel()
  else cancellation.signal.addEventListener('abort', onCancel, { once: true })
  // SIGTERM after SIGINT: the kill is 2.5 s away. (A SIGTERM that came first was announced above.)
  const onTerminate = (): void => {
    if (cancellation.received() === 'SIGTERM') return
    core.warning('Received SIGTERM: the runner ends this step in 2.5 s; reporting what is known now, without waiting for the answers still out.')
  }
  cancellation.terminated.addEventListener('abort', onTerminate, { once: true })
  const clients = new Map<string, CodeBuildClient>()
  const clientFor = (region: string): CodeBuildClient => {
    let client = clients.get(region)
    if (client === undefined) {
      // With the runner's debug logging on, every HTTP attempt is logged with its request id.
      client = createCodeBuildClient(
        region,
        ACTION_VERSION,
        process.env.RUNNER_DEBUG === '1' ? { onAttempt: (attempt) => core.debug(attemptLine(attempt)) } : {}
      )
      clients.set(region, client)
    }
    return client
  }
  const stops = createStopQueue(clientFor, {
    cancelled: cancellation.signal,
    terminated: cancellation.terminated,
    onOutcome: (outcome) => {
      core.info(stopLine(outcome))
      // The code is loaded and the rest is waiting on answers (runtime/memory.ts).
      if (stops.size() > 1) void enterQuietPhase()
    }
  })
  try {
    await body({ clientFor, cancellation, stops, started })
  } catch (error) {
    failStep(error)
  } finally {
    // The signal handlers stay: a SIGINT between here and the process's exit must not kill
    // it with Node's default handler while outputs are being flushed.
    cancellation.signal.removeEventListener('abort', onCancel)
    cancellation.terminated.removeEventListener('abort', onTerminate)
    for (const client of clients.values()) client.destroy()
  }
}

/**
 * Sends the stop requests of the batches not requested before, at once (see StopQueue): an
 * entrypoint calls it as soon as it knows a batch, stopAndReport for the rest.
 */
export function requestStops(context: StepContext, refs: readonly BatchRef[]): void {
  const earlier = context.stops.size()
  const added = context.stops.add(refs)
  if (added.length > 0) core.info(`Stopping ${added.length}${earlier > 0 ? ' more' : ''} CodeBuild batch build(s).`)
}

/**
 * Error annotations for the causes of failure, at most. The runner keeps about ten error
 * annotations per step, and the step's verdict (the last one) must be among them; further
 * causes are written to the log as plain lines.
 */
export const MAX_CAUSE_ERRORS = 3

/** Stops every requested batch, waits (when asked), writes outputs and summary, and fails the step when a batch could not be stopped. */
export async function stopAndReport(context: StepContext, request: StopRequest, settings: StopSettings): Promise<void> {
  const { clientFor, cancellation, started } = context
  const { refs } = request
  let outcomes: BatchOutcome[]
  let waitEnd: WaitEnd | undefined
  if (settings.dryRun) {
    core.info(`Dry run: looking up ${refs.length} CodeBuild batch build(s); no stop is sent.`)
    outcomes = await previewBatches(refs, clientFor, request.known)
    for (const outcome of outcomes) core.info(stopLine(outcome))
    reportCauses(outcomes, settings)
  } else {
    requestStops(context, refs)
    outcomes = await context.stops.outcomes(refs)
    // Each answered stop was logged as it came; these had no answer when the runner ended the step.
    for (const outcome of outcomes) if (outcome.result === 'requested') core.warning(stopLine(outcome))
    reportCauses(outcomes, settings)
    if (settings.wait) {
      const seenProblems = new Set<string>()
      const waited = await pollUntilSettled(outcomes, clientFor, {
        timeoutMs: settings.waitTimeoutMs,
        intervalMs: settings.pollIntervalMs,
        sleep: abortableSleep,
        now: Date.now,
        signal: cancellation.signal,
        onRound: (round, progress) => core.info(roundLine(round, progress)),
        onProblem: (message) => {
          // A poll that keeps failing fails the same way every round: warn once.
          if (seenProblems.has(message)) return core.info('The poll failed again for the same reason.')
          seenProblems.add(message)
          core.warning(problemLine(message))
        }
      })
      outcomes = waited.outcomes
      waitEnd = waited.end
      reportWaitEnd(waited, Date.now() - started)
    }
  }
  await report(settings, outcomes, {
    waitEnd,
    elapsedMs: Date.now() - started,
    discovery: request.discovery,
    guard: request.guard,
    reasons: request.reasons
  })
  if (request.findError !== undefined) core.setFailed(forLog(request.findError))
}

/**
 * Says once why batches were not found or could not be stopped, naming the batches that
 * share each cause: an error for each of the first causes, a plain line for any further
 * one, and a warning for missing batches with ignore-not-found.
 */
function reportCauses(outcomes: readonly BatchOutcome[], settings: StopSettings): void {
  let errors = 0
  for (const cause of groupByCause(outcomes)) {
    const line = causeLine(cause, settings.dryRun)
    if (cause.kind === 'not-found' && settings.ignoreNotFound) core.warning(line)
    else if (errors++ < MAX_CAUSE_ERRORS) core.error(line)
    else core.info(line)
  }
}

function reportWaitEnd(waited: WaitResult, elapsedMs: number): void {
  const { outcomes, end, progress } = waited
  // Nothing was stopped (every batch missing or failed): there was nothing to wait for.
  if (progress.settled + progress.stopping + progress.unanswered + progress.unconfirmed === 0) return
  // Every batch had finished before: nothing was running, nothing was waited for.
  if (end === 'settled' && !outcomes.some((outcome) => outcome.result === 'stopped')) return
  const unsettled = outcomes.filter(
    (outcome) => (outcome.result === 'stopped' || outcome.result === 'already-complete') && !isSettled(outcome.batch)
  )
  const line = waitEndLine(end, elapsedMs, unsettled, progress, waited.abandoned)
  if (end === 'settled') core.info(line)
  else core.warning(line)
}

async function report(
  settings: StopSettings,
  outcomes: readonly BatchOutcome[],
  context: Pick<SummaryInput, 'waitEnd' | 'elapsedMs' | 'discovery' | 'guard' | 'reasons'>
): Promise<void> {
  const waited = settings.wait && !settings.dryRun
  for (const [name, value] of Object.entries(buildOutputs(outcomes, waited))) {
    core.setOutput(name, value)
  }
  if (settings.summary && process.env.GITHUB_STEP_SUMMARY) {
    await core.summary.addRaw(renderSummary({ ...context, outcomes, waited, dryRun: settings.dryRun })).write()
  }
  const failed = outcomes.filter(
    (outcome) => outcome.result === 'failed' || (outcome.result === 'not-found' && !settings.ignoreNotFound)
  )
  if (failed.length > 0) {
    core.setFailed(failureLine(failed.map((outcome) => outcome.ref.id), outcomes.length))
  }
}
