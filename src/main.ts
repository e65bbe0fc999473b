import * as core from '@actions/core'
import type { CodeBuildClient } from '@aws-sdk/client-codebuild'
import { isSettled, type BatchOutcome } from './batch-outcome.js'
import { abortableSleep, type Cancellation } from './cancellation.js'
import { createCodeBuildClient } from './codebuild-client.js'
import { ACTION_VERSION } from './constants.js'
import { forLog } from './escape.js'
import { errorMessage, InputError } from './errors.js'
import { buildOutputs } from './outputs.js'
import { pollUntilSettled, type WaitEnd } from './poll-until-settled.js'
import { problemLine, roundLine, stopLine, waitEndLine } from './render-log.js'
import { renderSummary } from './render-summary.js'
import { readSettings, type Settings } from './settings.js'
import { stopBatches } from './stop-batches.js'

/**
 * The action: read the inputs, stop every batch, wait until they settle, report. Every
 * failure ends as a failed step with a message the user can act on; a stack trace is
 * printed only for a bug, never for an expected failure.
 */
export async function run(cancellation: Cancellation): Promise<void> {
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
    core.info(`Stopping ${settings.batches.length} CodeBuild batch build(s).`)
    let outcomes = await stopBatches(settings.batches, clientFor, {
      onOutcome: (outcome) => core.info(stopLine(outcome))
    })
    let waitEnd: WaitEnd | undefined
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
    await report(settings, outcomes, waitEnd, Date.now() - started)
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

async function report(
  settings: Settings,
  outcomes: readonly BatchOutcome[],
  waitEnd: WaitEnd | undefined,
  elapsedMs: number
): Promise<void> {
  for (const [name, value] of Object.entries(buildOutputs(outcomes, settings.wait))) {
    core.setOutput(name, value)
  }
  if (settings.summary && process.env.GITHUB_STEP_SUMMARY) {
    await core.summary
      .addRaw(renderSummary({ outcomes, waited: settings.wait, waitEnd, elapsedMs }))
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
