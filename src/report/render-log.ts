import { runningBuildCount, type BatchOutcome } from '../codebuild/batch-outcome.js'
import type { RequestAttempt } from '../codebuild/codebuild-client.js'
import { namedIds, type Cause } from './causes.js'
import { forLog } from './escape.js'
import { utcTime } from './time-text.js'
import type { Discovery, DiscoveryQuery } from '../codebuild/discover-batches.js'
import type { WaitEnd, WaitProgress } from '../codebuild/poll-until-settled.js'
import type { CandidatesWithHistory, PullRequestCommitsLookup } from '../subject/pull-request-candidates.js'
import type { Candidates } from '../subject/source-candidates.js'
import type { RunIdentity } from '../subject/job-ownership.js'
import { candidatesOfRun } from '../subject/source-candidates.js'
import type { MalformedLine } from '../inputs/recorded-batches.js'
import type { ProjectFindings } from './render-summary.js'
import { Inputs } from '../inputs/constants.js'
import { byOrigin, distinctValues, keepWords, matchWords, originWords, roleWords } from './candidate-words.js'

/**
 * Log lines, built from plain data. Every line starts with this action's own words and
 * passes through `forLog`, so text from the API can never begin a line (and so never
 * become a workflow command).
 *
 * The line of each batch as its answer comes in. A batch that was not found or could not be
 * stopped gets a short line here: its cause is said once for all the batches it concerns,
 * by `causeLine`, when every answer is in.
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
    case 'already-complete': {
      // When CodeBuild gives the time (its own clock), the log says when the batch ended.
      const ended = utcTime(batch?.endTime)
      const when = ended === '' ? '' : ` at ${ended}`
      return forLog(`Batch ${ref.id} (${ref.region}) had already finished: ${batch?.buildBatchStatus ?? 'complete'}${when}`)
    }
    case 'not-found':
      return forLog(`Not found: ${ref.id} (${ref.region}).`)
    case 'failed':
      return forLog(`Could not stop ${ref.id} (${ref.region}).`)
    case 'requested':
      return forLog(
        `Stop requested for ${ref.id} (${ref.region}), not confirmed: no answer had come when the runner ended the step, so whether CodeBuild accepted it is not known`
      )
    case 'would-stop':
      // A running batch: it may have been started without a source version, and CodeBuild
      // resolves the commit only once the source is downloaded.
      return forLog(
        `Dry run: would stop ${ref.id} (${ref.region}): status ${batch?.buildBatchStatus ?? '?'}, source version ${batch?.sourceVersion ?? 'none'}, commit ${batch?.resolvedSourceVersion ?? 'not known yet'}`
      )
  }
}

/**
 * Where each candidate came from: one line per origin (the event, the pull request's commits,
 * the source-version input), each value with what it is to the run.
 */
export function candidateLines(candidates: Candidates, pullRequestCommits?: PullRequestCommitsLookup): string[] {
  return byOrigin(candidates.list).map(([origin, group]) => {
    const from = originWords(origin, candidates.eventName)
    if (origin === 'pull-request-commits') {
      const calls = pullRequestCommits?.calls ?? 0
      return forLog(
        `Candidates from ${from}, ${group.length} commit(s) of pull request #${pullRequestCommits?.pullRequest ?? '?'} listed in ${calls} request(s), oldest first: ${group.map(({ value }) => value).join(', ')}.`
      )
    }
    return forLog(`Candidates from ${from}: ${group.map((candidate) => `${candidate.value} (${roleWords(candidate)})`).join(', ')}.`)
  })
}

const COMMITS_MISSING = "Looking for the event's own candidates only: a batch built for an earlier commit of the pull request alone is not found."
const HEAD_MISSING = "Without it, a batch started for the pull request's head branch is not found, and superseded-only knows no head commit."
const BOTH_MISSING = "Looking for the pull request's refs only: a batch started by commit or for its head branch is not found."

/**
 * Why what the GitHub API adds about the pull request is missing, and what to grant when
 * something was refused: one warning, whether one lookup failed or both, or was cancelled.
 */
export function pullRequestWarnings(history: Pick<CandidatesWithHistory, 'pullRequestCommits' | 'pullRequestHead'>): string[] {
  const head = history.pullRequestHead?.state === 'listed' ? undefined : history.pullRequestHead
  const commits = history.pullRequestCommits?.state === 'listed' ? undefined : history.pullRequestCommits
  const number = (head ?? commits)?.pullRequest
  if (head?.state === 'cancelled' || commits?.state === 'cancelled') {
    return head === undefined
      ? [`The step was cancelled before the commits of pull request #${number} were listed. ${COMMITS_MISSING}`]
      : [`The step was cancelled before pull request #${number} was read with the GitHub API. ${commits === undefined ? HEAD_MISSING : BOTH_MISSING}`]
  }
  const grant = `Give the job's token the permission pull-requests: read (permissions: pull-requests: read), or pass a token that has it as ${Inputs.GitHubToken}.`
  if (head !== undefined && commits !== undefined) {
    // Both refused, as a token without the permission is: one warning, each reason once.
    const reasons = head.reason === commits.reason ? head.reason : `${head.reason}; listing its commits: ${commits.reason}`
    return [forLog(`Could not read pull request #${number} or list its commits with the GitHub API: ${reasons}. ${grant} ${BOTH_MISSING}`)]
  }
  return [
    ...(head === undefined ? [] : [forLog(`Could not read pull request #${number} with the GitHub API: ${head.reason}. ${grant} ${HEAD_MISSING}`)]),
    ...(commits === undefined ? [] : [forLog(`Could not list the commits of pull request #${number} with the GitHub API: ${commits.reason}. ${grant} ${COMMITS_MISSING}`)])
  ]
}

/** What discovery looks for, before it looks. */
export function lookingForLine(query: DiscoveryQuery): string {
  const { candidates } = query
  const superseded = !query.supersededOnly
    ? ''
    : candidates.head === undefined
      ? "; superseded-only, and the run's head is not known, so none is known to be older and every one is kept"
      : `; superseded-only: stopping only those of commits known to be older than the head ${candidates.head}`
  return forLog(`Looking for in-progress batches of project ${query.project} (${query.region}) built for ${describeCandidates(candidates)}${superseded}.`)
}

/** What discovery found: the matching batches, which candidate each matched, and those kept. */
export function discoveryLines(query: DiscoveryQuery, discovery: Discovery): string[] {
  const lines: string[] = []
  if (discovery.matched.length === 0) {
    lines.push(
      `No in-progress batch of project ${query.project} matched (${discovery.inProgress} in progress, looked for ${describeCandidates(query.candidates)}).`
    )
  } else {
    lines.push(
      `Found ${discovery.inProgress} in-progress batch(es) of project ${query.project}; ${discovery.matched.length} match: ${discovery.matched.map((batch) => batch.id).join(', ')}.`
    )
  }
  for (const batch of discovery.matched) {
    const match = discovery.matches.get(batch.id ?? '')
    if (match !== undefined) lines.push(`Matched ${batch.id}: ${matchWords(match, query.candidates.eventName)}.`)
  }
  for (const { batch, reason } of discovery.kept) {
    lines.push(`Keeping ${batch.id}: ${keepWords(reason, query.candidates, query.repository)}.`)
  }
  return lines.map(forLog)
}

export function describeCandidates(candidates: Candidates): string {
  const count = distinctValues(candidates.list)
  if (count === 0) return 'nothing (the event names no source version)'
  if (count === 1) return `${candidates.list[0].value} (${roleWords(candidates.list[0])})`
  return `any of ${count} candidates (listed above)`
}

/** The guard's main step: what it guards, and what its post step will stop. */
export function guardingLine(guard: {
  readonly projects: readonly string[]
  readonly region: string
  readonly startedAt: number
  readonly batchFile: string
  readonly identity: RunIdentity
}): string {
  const { identity } = guard
  const runId = identity.runId === '' ? '' : `those carrying GITHUB_RUN_ID ${identity.runId}, or carrying none and `
  const versions = candidatesOfRun(identity).list.map(({ value }) => value)
  return forLog(
    `Guarding CodeBuild project(s) ${guard.projects.join(', ')} (${guard.region}): if this job is cancelled, fails or times out, ` +
      `its post step stops every batch recorded in $STOP_CODEBUILD_BATCH_FILE (${guard.batchFile}) and the in-progress batches of these projects ` +
      `that this job starts from ${utcTime(new Date(guard.startedAt))} on: ${runId}built for ${versions.join(' or ') || 'nothing (the run names no commit or ref)'}; never a webhook's or another run's.`
  )
}

/** The post step: what the job's steps recorded. */
export function recordedLine(ids: readonly string[]): string {
  return ids.length === 0
    ? 'No batch is recorded in $STOP_CODEBUILD_BATCH_FILE.'
    : forLog(`Recorded in $STOP_CODEBUILD_BATCH_FILE: ${ids.length} batch(es): ${ids.join(', ')}.`)
}

export function malformedLine(malformed: MalformedLine): string {
  return forLog(`Line ${malformed.line} of $STOP_CODEBUILD_BATCH_FILE is not a batch id or ARN, so it is skipped: ${malformed.reason}.`)
}

export function batchFileUnreadableLine(file: string, reason: string): string {
  return forLog(
    `Could not read $STOP_CODEBUILD_BATCH_FILE (${file}): ${reason}. Only the batches found in the projects are stopped.`
  )
}

/** The post step: what it found in one project, and why each batch is stopped or kept. */
export function projectFindingLines(found: ProjectFindings): string[] {
  if (found.error !== undefined) return [forLog(found.error)]
  const lines = [
    `Project ${found.project} (${found.region}): ${found.inProgress} in-progress batch(es), ${found.owned.length} started by this job.`,
    ...found.owned.map(({ id, reason }) => `Stopping ${id}: ${reason}.`),
    ...found.kept.map(({ id, reason }) => `Keeping ${id}: ${reason}.`)
  ]
  if (found.startedBefore > 0) {
    lines.push(`Keeping ${found.startedBefore} batch(es) of project ${found.project} that started before this job's guard.`)
  }
  return lines.map(forLog)
}

export function nothingToStopLine(projects: readonly string[]): string {
  return forLog(
    `Nothing to stop: no batch is recorded in $STOP_CODEBUILD_BATCH_FILE, and no in-progress batch of ${projects.join(', ')} was started by this job.`
  )
}

/**
 * Why several batches could not be stopped, or were not found, said once for all of them.
 * In a dry run nothing is stopped: the failure was to look the batches up.
 */
export function causeLine(cause: Cause, dryRun = false): string {
  const one = cause.ids.length === 1
  if (cause.kind === 'not-found') {
    return forLog(
      one
        ? `CodeBuild has no batch ${cause.ids[0]} in ${cause.region}: check the id and the region.`
        : `CodeBuild has none of the ${cause.ids.length} batches ${namedIds(cause.ids)} in ${cause.region}: check the ids and the region.`
    )
  }
  const verb = dryRun ? 'Could not look up' : 'Could not stop'
  return forLog(
    one ? `${verb} ${cause.ids[0]}: ${cause.message}` : `${verb} ${cause.ids.length} batches (${namedIds(cause.ids)}): ${cause.message}`
  )
}

/** The step's verdict when some batches could not be stopped, as its last error line. */
export function failureLine(failedIds: readonly string[], total: number): string {
  return forLog(`${failedIds.length} of ${total} batch(es) could not be stopped: ${namedIds(failedIds)}.`)
}

/**
 * Where the batches stand after a round of polls. "Every batch has stopped" is said only
 * when it is so: a batch whose stop failed, or that CodeBuild refused to describe, keeps
 * that line from being written.
 */
export function roundLine(round: number, progress: WaitProgress): string {
  const { settled, stopping, unanswered, unconfirmed, notWaited } = progress
  if (stopping + unanswered + unconfirmed + notWaited === 0) return `Poll ${round}: every batch has stopped.`
  if (settled + unanswered + unconfirmed + notWaited === 0) return `Poll ${round}: ${stopping} batch(es) still stopping.`
  const parts = [
    settled > 0 ? `${settled} stopped` : '',
    stopping > 0 ? `${stopping} still stopping` : '',
    unanswered > 0 ? `${unanswered} not described this time (asked again next round)` : '',
    unconfirmed > 0 ? `${unconfirmed} that CodeBuild will not describe (their state is unknown)` : '',
    notWaited > 0 ? `${notWaited} not stopped (see above)` : ''
  ].filter(Boolean)
  return `Poll ${round}: of ${settled + stopping + unanswered + unconfirmed + notWaited} batch(es), ${parts.join(', ')}.`
}

export function waitEndLine(
  end: WaitEnd,
  elapsedMs: number,
  unsettled: readonly BatchOutcome[],
  progress: WaitProgress,
  abandoned = false
): string {
  const seconds = (elapsedMs / 1000).toFixed(1)
  const ids = unsettled.map((outcome) => outcome.ref.id).join(', ')
  switch (end) {
    case 'settled':
      return progress.notWaited === 0
        ? `All batches and their builds have stopped (waited ${seconds} s).`
        : `${progress.settled} of ${progress.settled + progress.notWaited} batch(es) and all their builds have stopped (waited ${seconds} s); the other ${progress.notWaited} were not stopped (see above).`
    case 'timed-out':
      return forLog(
        `Gave up waiting after ${seconds} s: the stop was requested, but ${unsettled.length} batch(es) were still stopping when last seen: ${ids}.${abandoned ? ' The poll in flight at the deadline was abandoned.' : ''} Raise wait-timeout to wait longer.`
      )
    case 'interrupted':
      return forLog(
        `The step was cancelled while waiting (${seconds} s): the stop was requested; reporting the last known state of ${unsettled.length} batch(es) still stopping: ${ids}.`
      )
    case 'unconfirmed':
      return forLog(
        `Could not confirm that every batch stopped (see the warnings above): the stop was requested; ${unsettled.length} batch(es) were last seen still stopping: ${ids}.`
      )
  }
}

export function problemLine(message: string): string {
  return forLog(message)
}

/** One HTTP attempt of a CodeBuild call, for the debug log (RUNNER_DEBUG=1). */
export function attemptLine(attempt: RequestAttempt): string {
  const outcome =
    attempt.status !== undefined
      ? `HTTP ${attempt.status}${attempt.errorName === undefined ? '' : ` ${attempt.errorName}`}`
      : `no answer (${attempt.errorName ?? 'unknown error'})`
  return forLog(
    `CodeBuild ${attempt.operation} attempt ${attempt.attempt ?? '?'}${attempt.maxAttempts === undefined ? '' : ` of ${attempt.maxAttempts}`}: ${outcome} after ${attempt.durationMs} ms, request id ${attempt.requestId ?? 'none'}`
  )
}
