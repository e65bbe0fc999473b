import * as core from './workflow-commands.js'
import type { BuildBatch, CodeBuildClient } from '@aws-sdk/client-codebuild'
import { isSettled, type BatchOutcome } from './batch-outcome.js'
import { refOfListedBatch, type BatchRef } from './batch-ref.js'
import { abortableSleep, listenForCancellation, type Cancellation } from './cancellation.js'
import { createCodeBuildClient } from './codebuild-client.js'
import { ACTION_VERSION, Inputs } from './constants.js'
import { discoverBatches, DiscoveryError } from './discover-batches.js'
import { forLog } from './escape.js'
import { errorMessage, InputError } from './errors.js'
import { buildOutputs } from './outputs.js'
import { pollUntilSettled, type WaitEnd } from './poll-until-settled.js'
import { describeCandidates, discoveryLines, lookingForLine, problemLine, roundLine, stopLine, waitEndLine } from './render-log.js'
import { renderSummary, type DiscoverySummary } from './render-summary.js'
import { readRunEvent } from './run-event.js'
import { readSettings, type DiscoverySettings, type Settings } from './settings.js'
import { candidatesFromEvent, candidatesFromInput } from './source-candidates.js'
import { previewBatches, stopBatches } from './stop-batches.js'

/**
 * The action: read the inputs, stop every batch, wait until they settle, report. Every
 * failure ends as a failed step with a message the user can act on; a stack trace is
 * printed only for a bug, never for an expected failure.
 */
export async function run(cancellation: Cancellation = listenForCancellation()): Promise<void> {
  const started = Date.now()
  const onCancel = (): void => {
    core.warning(`Received ${cancellation.received() ?? 'a signal'}: the runner is cancelling this step; the stop requests still go out, waiting ends.`)
  }
  if (cancellation.signal.aborted) onCancel()
  else cancellation.signal.addEventListener('abort', onCancel, { once: true })
  const clients = new Map<string, CodeBuildClient>()
  const clientFor = (region: string): CodeBuildClient => {
    let client = clients.get(region)
    if (client === undefined) {
      client = createCodeBuildClient(region, ACTION_VERSION)
      clients.set(region, client)
    }
    return client
  }
  try {
    const settings = readSettings((name) => core.getInput(name), process.env)
    const found = settings.discovery === undefined ? undefined : await findBatches(settings.discovery, clientFor)
    const refs = mergeRefs(settings.batches, found?.refs ?? [])
    let outcomes: BatchOutcome[]
    let waitEnd: WaitEnd | undefined
    if (settings.dryRun) {
      core.info(`Dry run: looking up ${refs.length} CodeBuild batch build(s); no stop is sent.`)
      outcomes = await previewBatches(refs, clientFor, found?.known)
      for (const outcome of outcomes) core.info(stopLine(outcome))
    } else {
      core.info(`Stopping ${refs.length} CodeBuild batch build(s).`)
      outcomes = await stopBatches(refs, clientFor, {
        onOutcome: (outcome) => core.info(stopLine(outcome))
      })
      if (settings.wait) {
        const waited = await pollUntilSettled(outcomes, clientFor, {
          timeoutMs: settings.waitTimeoutMs,
          intervalMs: settings.pollIntervalMs,
          sleep: abortableSleep,
          now: Date.now,
          signal: cancellation.signal,
          onRound: (round, unsettled) => core.info(roundLine(round, unsettled)),
          onProblem: (message) => core.warning(problemLine(message))
        })
        outcomes = waited.outcomes
        waitEnd = waited.end
        reportWaitEnd(waitEnd, Date.now() - started, outcomes)
      }
    }
    await report(settings, outcomes, { waitEnd, elapsedMs: Date.now() - started, discovery: found?.summary })
    if (found?.error !== undefined) core.setFailed(forLog(found.error))
  } catch (error) {
    if (error instanceof InputError) {
      core.setFailed(forLog(error.message))
    } else {
      // Not expected: say so plainly, with the stack for a bug report.
      core.setFailed(forLog(`Unexpected error: ${errorMessage(error)}`))
      if (error instanceof Error && error.stack !== undefined) core.debug(forLog(error.stack))
    }
  } finally {
    // The signal handlers stay: a SIGINT between here and the process's exit must not kill
    // it with Node's default handler while outputs are being flushed.
    cancellation.signal.removeEventListener('abort', onCancel)
    for (const client of clients.values()) client.destroy()
  }
}

function reportWaitEnd(end: WaitEnd, elapsedMs: number, outcomes: readonly BatchOutcome[]): void {
  const unsettled = outcomes.filter(
    (outcome) => (outcome.result === 'stopped' || outcome.result === 'already-complete') && !isSettled(outcome.batch)
  )
  // Nothing was stopped (every batch missing or failed): there was nothing to wait for.
  if (!outcomes.some((outcome) => outcome.result === 'stopped' || outcome.result === 'already-complete')) return
  const line = waitEndLine(end, elapsedMs, unsettled)
  if (end === 'settled') core.info(line)
  else core.warning(line)
}

interface FoundBatches {
  /** The matching batches, as references to stop. */
  readonly refs: readonly BatchRef[]
  /** Their state as discovery saw it, by id, for a dry run. */
  readonly known: ReadonlyMap<string, BuildBatch>
  readonly summary: DiscoverySummary
  /** Why discovery failed; the explicit ids are still stopped, and the step fails. */
  readonly error?: string
}

/** Finds the batches of this run's pull request, branch or commit, and says so in the log. */
async function findBatches(
  settings: DiscoverySettings,
  clientFor: (region: string) => CodeBuildClient
): Promise<FoundBatches> {
  const event = readRunEvent()
  const candidates =
    settings.sourceVersions.length > 0
      ? candidatesFromInput(settings.sourceVersions, event)
      : candidatesFromEvent(event)
  if (settings.supersededOnly && candidates.head === undefined) {
    throw new InputError(
      `Input '${Inputs.SupersededOnly}' needs the run's head commit, and the ${event.eventName || 'unknown'} event names none (GITHUB_SHA is empty).`
    )
  }
  const query = { ...settings, candidates }
  core.info(lookingForLine(query))
  const base = {
    project: settings.project,
    region: settings.region,
    lookedFor: describeCandidates(candidates),
    origin: candidates.origin
  }
  if (candidates.versions.length === 0 && candidates.commits.length === 0) {
    core.warning(`The ${event.eventName || 'unknown'} event names no source version or commit: nothing to look for.`)
    return { refs: [], known: new Map(), summary: { ...base, inProgress: 0, matched: 0, kept: [] } }
  }
  try {
    const discovery = await discoverBatches(clientFor(settings.region), query)
    for (const line of discoveryLines(query, discovery)) core.info(line)
    return {
      refs: discovery.matched.map((batch) => refOfListedBatch(batch.id ?? '', batch.arn, settings.region)),
      known: new Map(discovery.matched.map((batch) => [batch.id ?? '', batch])),
      summary: {
        ...base,
        inProgress: discovery.inProgress,
        matched: discovery.matched.length,
        kept: discovery.kept.map(({ batch, reason }) => ({ id: batch.id ?? '', reason }))
      }
    }
  } catch (error) {
    if (!(error instanceof DiscoveryError)) throw error
    return { refs: [], known: new Map(), summary: { ...base, kept: [], error: error.message }, error: error.message }
  }
}

/** The explicit batches first, then the discovered ones that are not among them. */
function mergeRefs(explicit: readonly BatchRef[], discovered: readonly BatchRef[]): BatchRef[] {
  const seen = new Set(explicit.map((ref) => `${ref.region}/${ref.id}`))
  return [...explicit, ...discovered.filter((ref) => !seen.has(`${ref.region}/${ref.id}`))]
}

async function report(
  settings: Settings,
  outcomes: readonly BatchOutcome[],
  context: { waitEnd: WaitEnd | undefined; elapsedMs: number; discovery: DiscoverySummary | undefined }
): Promise<void> {
  for (const [name, value] of Object.entries(buildOutputs(outcomes, settings.wait && !settings.dryRun))) {
    core.setOutput(name, value)
  }
  if (settings.summary && process.env.GITHUB_STEP_SUMMARY) {
    await core.summary
      .addRaw(
        renderSummary({
          outcomes,
          waited: settings.wait && !settings.dryRun,
          waitEnd: context.waitEnd,
          elapsedMs: context.elapsedMs,
          discovery: context.discovery,
          dryRun: settings.dryRun
        })
      )
      .write()
  }
  const failed = outcomes.filter(
    (outcome) => outcome.result === 'failed' || (outcome.result === 'not-found' && !settings.ignoreNotFound)
  )
  for (const outcome of outcomes) {
    if (outcome.result === 'not-found' && settings.ignoreNotFound) core.warning(stopLine(outcome))
  }
  for (const outcome of failed) core.error(stopLine(outcome))
  if (failed.length > 0) {
    core.setFailed(
      `${failed.length} of ${outcomes.length} batch(es) could not be stopped: ${failed.map((outcome) => outcome.ref.id).join(', ')}.`
    )
  }
}
