import { runningBuildCount, type BatchOutcome } from './batch-outcome.js'
import { forLog } from './escape.js'
import type { WaitEnd } from './poll-until-settled.js'

/**
 * Log lines, built from plain data. Every line starts with this action's own words and
 * passes through `forLog`, so text from the API can never begin a line (and so never
 * become a workflow command).
 */
export function stopLine(outcome: BatchOutcome): string {
  const { ref, batch } = outcome
  switch (outcome.result) {
    case 'stopped': {
      const running = batch === undefined ? 0 : runningBuildCount(batch)
      const state = batch === undefined ? 'no state in the answer' : `status ${batch.buildBatchStatus ?? '?'}, phase ${batch.currentPhase ?? '?'}`
      const builds = running > 0 ? `, ${running} build(s) still stopping` : ''
      return forLog(`Stop requested for ${ref.id} (${ref.region}): ${state}${builds}`)
    }
    case 'already-complete':
      return forLog(`Batch ${ref.id} (${ref.region}) had already finished: ${batch?.buildBatchStatus ?? 'complete'}`)
    case 'not-found':
      return forLog(outcome.error ?? `CodeBuild has no batch ${ref.id} in ${ref.region}.`)
    case 'failed':
      return forLog(`Could not stop ${ref.id}: ${outcome.error ?? 'unknown error'}`)
  }
}

export function roundLine(round: number, unsettled: number): string {
  return unsettled === 0
    ? `Poll ${round}: every batch has stopped.`
    : `Poll ${round}: ${unsettled} batch(es) still stopping.`
}

export function waitEndLine(end: WaitEnd, elapsedMs: number, unsettled: readonly BatchOutcome[]): string {
  const seconds = (elapsedMs / 1000).toFixed(1)
  const ids = unsettled.map((outcome) => outcome.ref.id).join(', ')
  switch (end) {
    case 'settled':
      return `All batches and their builds have stopped (waited ${seconds} s).`
    case 'timed-out':
      return forLog(
        `Gave up waiting after ${seconds} s: the stop was requested, but ${unsettled.length} batch(es) have not finished stopping: ${ids}. Raise wait-timeout to wait longer.`
      )
    case 'interrupted':
      return forLog(
        `The step was cancelled while waiting (${seconds} s): the stop was requested; reporting the last known state of ${unsettled.length} batch(es) still stopping: ${ids}.`
      )
  }
}

export function problemLine(message: string): string {
  return forLog(message)
}
