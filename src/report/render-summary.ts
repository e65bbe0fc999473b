import type { BuildBatch, BuildBatchPhase, BuildGroup } from '@aws-sdk/client-codebuild'
import { isSettled, runningBuildCount, type BatchOutcome } from '../codebuild/batch-outcome.js'
import { groupByCause } from './causes.js'
import { forHtml } from './escape.js'
import { byOrigin, fieldWords, originWords, roleWords } from './candidate-words.js'
import { causeLine } from './render-log.js'
import { utcTime } from './time-text.js'
import type { WaitEnd } from '../codebuild/poll-until-settled.js'
import { Inputs } from '../inputs/constants.js'
import { refKey } from '../inputs/batch-ref.js'
import type { CandidateMatch } from '../subject/match-batch.js'
import type { PullRequestCommitsLookup, PullRequestHeadLookup } from '../subject/pull-request-candidates.js'
import type { Candidates } from '../subject/source-candidates.js'

/** What discovery looked for and found, for the summary. */
export interface DiscoverySummary {
  readonly project: string
  readonly region: string
  /** What was looked for, and where each candidate came from. */
  readonly candidates: Candidates
  /** How listing the pull request's commits went, when the event is about a pull request. */
  readonly pullRequestCommits?: PullRequestCommitsLookup
  /** How reading the pull request went, when the event names it only by number. */
  readonly pullRequestHead?: PullRequestHeadLookup
  readonly inProgress?: number
  readonly matched?: number
  /** Which candidate each matching batch matched, by batch id. */
  readonly matches?: ReadonlyMap<string, CandidateMatch>
  /** The batches a candidate connects to the run that were kept, each with why, in words (unescaped). */
  readonly kept: ReadonlyArray<{ readonly id: string; readonly reason: string }>
  /** Why discovery failed, when it did. */
  readonly error?: string
}

/** A batch the guard judged, and why. */
export interface JudgedBatch {
  readonly id: string
  /** In words; it quotes the batch's own fields, unescaped. */
  readonly reason: string
}

/** What the guard's post step found in one project. */
export interface ProjectFindings {
  readonly project: string
  readonly region: string
  /** In-progress batches of the project. */
  readonly inProgress: number
  /** Those this job started: to stop. */
  readonly owned: readonly JudgedBatch[]
  /** Those kept running although they started after the guard: a webhook's, another run's, … */
  readonly kept: readonly JudgedBatch[]
  /** Those that started before the guard: counted, not listed. */
  readonly startedBefore: number
  /** Why the project could not be searched, when it could not. */
  readonly error?: string
}

/** What the guard's post step looked at, for the summary. */
export interface GuardSummary {
  /** When the guard's main step started, epoch milliseconds. */
  readonly since: number
  /** Batches recorded in $STOP_CODEBUILD_BATCH_FILE, each once. */
  readonly recorded: number
  /** Lines of the file that were not batch ids or ARNs. */
  readonly malformed: number
  /** The file could not be read when the post step ran (a step removed it, for example). */
  readonly fileUnreadable: boolean
  readonly projects: readonly ProjectFindings[]
}

export interface SummaryInput {
  readonly outcomes: readonly BatchOutcome[]
  readonly discovery?: DiscoverySummary
  readonly guard?: GuardSummary
  /** Why each batch is stopped, by `region/id`, when the step knows more than that it was asked to. */
  readonly reasons?: ReadonlyMap<string, string>
  readonly dryRun?: boolean
  /** Whether the action polled until the builds settled. */
  readonly waited: boolean
  readonly waitEnd?: WaitEnd
  readonly elapsedMs: number
}

/**
 * The runner refuses a step summary over 1 MiB. The whole summary is kept under half of
 * that: the overview first, then the details of as many batches as fit, and a line saying
 * how many were left out.
 */
export const SUMMARY_BUDGET_BYTES = 512 * 1024

/** Longest piece of API text shown in one cell; a context message can be long. */
const MAX_TEXT_LENGTH = 300

const RESULT_LABELS: Record<BatchOutcome['result'], string> = {
  stopped: '⏹️ stopped',
  // The batch's own final status follows (see resultLabel): it may be FAILED, which no
  // success mark may dress up.
  'already-complete': '🏁 already finished',
  'not-found': '❓ not found',
  failed: '❌ could not be stopped',
  'would-stop': '🔎 would stop',
  requested: '📨 requested, not confirmed'
}

const RESULT_WORDS: Record<BatchOutcome['result'], string> = {
  stopped: 'stopped',
  'already-complete': 'already finished',
  'not-found': 'not found',
  failed: 'could not be stopped',
  'would-stop': 'would be stopped',
  requested: 'requested and not confirmed'
}

/**
 * The job summary as HTML blocks in Markdown. Every string from the API goes through `text`
 * (escaped, cut), every block is on lines of its own, and blocks are separated by one blank
 * line, so nothing from the API can end a block early.
 */
export function renderSummary(input: SummaryInput): string {
  // Room kept for the closing note and the blank lines between blocks.
  const budget = SUMMARY_BUDGET_BYTES - 1024
  const blocks = [heading(input)]
  const causes = groupByCause(input.outcomes)
  if (causes.length > 0) {
    blocks.push(`<ul>\n${causes.map((cause) => `<li>${text(causeLine(cause, input.dryRun), 2000)}</li>`).join('\n')}\n</ul>`)
  }
  if (input.discovery !== undefined) blocks.push(discoveryBlock(input.discovery))
  if (input.guard !== undefined) blocks.push(guardBlock(input.guard))
  let size = blocks.reduce((total, block) => total + byteLength(block) + 2, 0)
  if (input.outcomes.length > 0) {
    const table = overview(input.outcomes, budget / 2)
    blocks.push(table)
    size += byteLength(table) + 2
  }
  let omitted = 0
  for (const outcome of input.outcomes) {
    // One batch's details are open; with several, each is collapsed under the overview.
    const reason = input.reasons?.get(refKey(outcome.ref))
    const section = omitted > 0 ? '' : details(outcome, input.discovery, reason, input.outcomes.length === 1)
    const sectionSize = byteLength(section) + 2
    if (omitted > 0 || size + sectionSize > budget) {
      omitted++
      continue
    }
    blocks.push(section)
    size += sectionSize
  }
  if (omitted > 0) {
    blocks.push(
      `<p><em>Details of ${omitted} of ${input.outcomes.length} batches were left out to keep this summary under GitHub's 1 MiB limit; the <code>batches</code> output lists every batch.</em></p>`
    )
  }
  return `${blocks.join('\n\n')}\n`
}

/**
 * The title and the headline: how many batches were stopped, had already finished, were not
 * found or could not be stopped, then how waiting went. "Every batch and all its builds had
 * stopped" is said only when that is so; with nothing stopped, the headline says that.
 */
function heading(input: SummaryInput): string {
  const count = input.outcomes.length
  const counts = (result: BatchOutcome['result']): number => input.outcomes.filter((outcome) => outcome.result === result).length
  const tally = (Object.keys(RESULT_WORDS) as Array<BatchOutcome['result']>)
    .map((result) => [result, counts(result)] as const)
    .filter(([, n]) => n > 0)
    .map(([result, n]) => `${n} ${result === 'failed' && input.dryRun === true ? 'could not be looked up' : RESULT_WORDS[result]}`)
    .join(', ')
  const title = `${input.dryRun === true ? 'Dry run: ' : ''}Stop CodeBuild batch builds: ${count} ${count === 1 ? 'batch' : 'batches'}`
  const headline = count === 0 ? 'No batch to stop.' : `${tally}. ${waitSentence(input, counts)}`
  return [`<h2>${title}</h2>`, `<p>${headline}</p>`].join('\n')
}

function waitSentence(input: SummaryInput, counts: (result: BatchOutcome['result']) => number): string {
  if (input.dryRun === true) return 'Dry run: no stop was sent.'
  const stopped = counts('stopped')
  const finished = counts('already-complete')
  const notStopped = counts('not-found') + counts('failed')
  const seconds = (input.elapsedMs / 1000).toFixed(1)
  if (stopped === 0 && finished === 0) {
    // A stop without an answer may have stopped its batch: that is not known, so not said.
    const requested = counts('requested')
    return requested === 0 ? 'No batch was stopped.' : 'No stop was confirmed before the runner ended the step.'
  }
  if (!input.waited) return 'Did not wait for the builds to stop (wait: false).'
  switch (input.waitEnd) {
    case 'timed-out':
      return `⚠️ Gave up waiting after ${seconds} s: some builds were still stopping.`
    case 'interrupted':
      return `⚠️ The step was cancelled after ${seconds} s while waiting: this is the last known state.`
    case 'unconfirmed':
      return '⚠️ CodeBuild refused to describe some batches, so whether their builds stopped is unknown.'
    default:
      if (stopped === 0) return notStopped > 0 ? 'No batch was stopped.' : 'Nothing was running, so nothing was stopped.'
      return notStopped === 0
        ? `Every batch and all its builds had stopped after ${seconds} s.`
        : `${stopped + finished} of ${input.outcomes.length} batches and all their builds had stopped after ${seconds} s; the other ${notStopped} were not stopped.`
  }
}

function discoveryBlock(discovery: DiscoverySummary): string {
  const found =
    discovery.error !== undefined
      ? `❌ ${text(discovery.error, 1000)}`
      : discovery.matched === 0
        ? `Nothing matched among ${discovery.inProgress ?? 0} in-progress batches.`
        : `${discovery.matched ?? 0} of ${discovery.inProgress ?? 0} in-progress batches matched.`
  const grant = `Add <code>permissions: pull-requests: read</code> to the job, or pass a token that has it as <code>${Inputs.GitHubToken}</code>`
  const head = discovery.pullRequestHead
  const headWarning =
    head?.state === 'failed'
      ? [`<br>⚠️ Pull request #${head.pullRequest} could not be read with the GitHub API: ${text(head.reason, 1000)}. ${grant}; its head commit and branch were not looked for.`]
      : head?.state === 'cancelled'
        ? [`<br>⚠️ The step was cancelled before pull request #${head.pullRequest} was read; its head commit and branch were not looked for.`]
        : []
  const lookup = discovery.pullRequestCommits
  const warning =
    lookup?.state === 'failed'
      ? [
          `<br>⚠️ The commits of pull request #${lookup.pullRequest} could not be listed with the GitHub API: ${text(lookup.reason, 1000)}. ` +
            `${grant}; only the event's own candidates were looked for.`
        ]
      : lookup?.state === 'cancelled'
        ? [`<br>⚠️ The step was cancelled before the commits of pull request #${lookup.pullRequest} were listed; only the event's own candidates were looked for.`]
        : []
  const kept = discovery.kept.map(({ id, reason }) => `<br>Kept <code>${text(id)}</code>: ${text(reason, 1000)}.`)
  return `<p><b>Project <code>${text(discovery.project)}</code> (${text(discovery.region)}):</b> looked for in-progress batches built for ${candidateWords(discovery)}. ${found}${[...headWarning, ...warning, ...kept].join('')}</p>`
}

/** Where each candidate came from; the pull request's commits, which can be 250, by their count, oldest and newest. */
function candidateWords(discovery: DiscoverySummary): string {
  const { candidates, pullRequestCommits } = discovery
  const groups = byOrigin(candidates.list).map(([origin, group]) => {
    const from = `from ${originWords(origin, candidates.eventName)}`
    if (origin === 'pull-request-commits') {
      const first = group[0].value
      const last = group[group.length - 1].value
      const range = group.length === 1 ? `<code>${text(first)}</code>` : `from the oldest <code>${text(first)}</code> to the newest <code>${text(last)}</code>`
      return `${text(from)}: ${group.length} commit(s) of pull request #${pullRequestCommits?.pullRequest ?? '?'} listed in ${pullRequestCommits?.calls ?? 0} request(s), ${range}`
    }
    return `${text(from)}: ${group.map((candidate) => `<code>${text(candidate.value)}</code> (${text(roleWords(candidate))})`).join(', ')}`
  })
  return groups.length === 0 ? 'nothing (the event names no source version)' : `the candidates ${groups.join('; and ')}`
}

function guardBlock(guard: GuardSummary): string {
  const file = guard.fileUnreadable
    ? '⚠️ <code>$STOP_CODEBUILD_BATCH_FILE</code> could not be read (see the log).'
    : `Recorded in <code>$STOP_CODEBUILD_BATCH_FILE</code>: ${guard.recorded} ${guard.recorded === 1 ? 'batch' : 'batches'}${guard.malformed > 0 ? ` (⚠️ ${guard.malformed} malformed ${guard.malformed === 1 ? 'line' : 'lines'} skipped)` : ''}.`
  const projects = guard.projects.map((found) => {
    const where = `Project <code>${text(found.project)}</code> (${text(found.region)}):`
    if (found.error !== undefined) return `${where} ❌ ${text(found.error, 1000)}`
    const before = found.startedBefore > 0 ? `; ${found.startedBefore} started before the guard` : ''
    const kept = found.kept.map(({ id, reason }) => `<br>Kept <code>${text(id)}</code>: ${text(reason, 1000)}.`)
    return `${where} ${found.owned.length} of ${found.inProgress} in-progress ${found.inProgress === 1 ? 'batch was' : 'batches were'} started by this job${before}.${kept.join('')}`
  })
  return `<p><b>Guard of this job</b>, from ${utcTime(new Date(guard.since))}: the job did not succeed, so the batches it started are stopped.<br>${[file, ...projects].join('<br>')}</p>`
}

function overview(outcomes: readonly BatchOutcome[], budget: number): string {
  const rows: string[] = []
  let size = 0
  for (const outcome of outcomes) {
    const { batch } = outcome
    const row = tr([
      batchLink(outcome),
      resultLabel(outcome),
      text(batch?.buildBatchStatus),
      text(batch?.currentPhase),
      batch === undefined ? '' : String(runningBuildCount(batch)),
      text(batch?.buildBatchNumber)
    ])
    const rowSize = byteLength(row) + 1
    if (size + rowSize > budget) break
    rows.push(row)
    size += rowSize
  }
  const cut =
    rows.length < outcomes.length
      ? `\n<p><em>${outcomes.length - rows.length} more batches are not listed here; the <code>batches</code> output lists every batch.</em></p>`
      : ''
  return table(['Batch', 'Result', 'Status', 'Phase', 'Builds still running', 'Build number'], rows) + cut
}

function details(
  outcome: BatchOutcome,
  discovery: DiscoverySummary | undefined,
  reason: string | undefined,
  open: boolean
): string {
  const { batch } = outcome
  const link = consoleUrl(outcome)
  const match = discovery?.matches?.get(outcome.ref.id)
  const facts = [
    ...(link === undefined ? [] : [`<a href="${link}">CodeBuild console</a>`]),
    `<b>Result:</b> ${resultLabel(outcome)}`,
    ...(match === undefined || discovery === undefined ? [] : [`<b>Matched:</b> ${matchHtml(match, discovery.candidates.eventName)}`]),
    `<b>Status:</b> ${text(batch?.buildBatchStatus) || 'unknown'}`,
    ...(batch?.buildBatchNumber === undefined ? [] : [`<b>Build number:</b> ${text(batch.buildBatchNumber)}`]),
    ...(batch === undefined ? [] : [sourceFacts(batch)]),
    ...(batch?.initiator === undefined ? [] : [`<b>Initiator:</b> ${text(batch.initiator)}`]),
    ...(batch?.endTime === undefined ? [] : [`<b>Ended:</b> ${time(batch.endTime)}`]),
    ...(batch === undefined ? [] : [`<b>Builds settled:</b> ${isSettled(batch) ? 'yes' : 'no'}`])
  ]
  const parts = [
    `<details${open ? ' open' : ''}><summary><code>${text(outcome.ref.id)}</code>: ${resultLabel(outcome)}</summary>`,
    `<p>${facts.join(' · ')}</p>`
  ]
  if (reason !== undefined) parts.push(`<p><b>Why:</b> ${text(reason, 1000)}.</p>`)
  if (outcome.error !== undefined) {
    parts.push(`<p><b>Error:</b> ${text(outcome.error, 1000)}</p>`)
  }
  if (batch?.phases !== undefined && batch.phases.length > 0) {
    parts.push(phaseTable(batch))
  }
  if (batch?.buildGroups !== undefined && batch.buildGroups.length > 0) {
    parts.push(groupTable(batch.buildGroups))
  } else if (batch !== undefined) {
    // CodeBuild lists build groups once the batch spec is read; before that there are none.
    parts.push(`<p>CodeBuild reports no build groups for this batch${batch.complete === true ? '' : ' yet'}.</p>`)
  }
  parts.push('</details>')
  // No blank line inside: a Markdown HTML block ends at the first one.
  return parts.join('\n')
}

/** The result, and for a batch that had finished before, its own final status. */
function resultLabel(outcome: BatchOutcome): string {
  const status = outcome.batch?.buildBatchStatus
  return outcome.result === 'already-complete' && status !== undefined
    ? `${RESULT_LABELS[outcome.result]}: ${text(status)}`
    : RESULT_LABELS[outcome.result]
}

/** `source version <code>pr/42</code>, the pull request, from the pull_request event` */
function matchHtml(match: CandidateMatch, eventName: string): string {
  const { candidate, field } = match
  return `${fieldWords(field)} <code>${text(candidate.value)}</code>, ${text(roleWords(candidate))}, from ${text(originWords(candidate.origin, eventName))}`
}

/**
 * What the batch builds: the source version it was started with and the commit CodeBuild
 * resolved. A batch started without a source version has none; the commit is known only
 * once the source was downloaded, so a batch that ended before that has none either.
 */
function sourceFacts(batch: BuildBatch): string {
  const version = batch.sourceVersion === undefined ? '<em>none</em>' : `<code>${text(batch.sourceVersion)}</code>`
  const commit =
    batch.resolvedSourceVersion !== undefined
      ? `<code>${text(batch.resolvedSourceVersion)}</code>`
      : batch.complete === true
        ? '<em>none</em>'
        : '<em>not known yet</em>'
  return `<b>Source version:</b> ${version} · <b>Commit:</b> ${commit}`
}

/** Phase types that end a batch: the last phase of a finished batch, with only a start time. */
const TERMINAL_PHASES = new Set(['SUCCEEDED', 'FAILED', 'STOPPED'])

/**
 * The phases. CodeBuild gives the terminal phase of a finished batch only a start time, and
 * the current phase of a running batch no status: the Status cell says which is which, so
 * that a row without an end never reads as still running once the batch has finished.
 */
function phaseTable(batch: BuildBatch): string {
  const phases = batch.phases ?? []
  const finished = batch.complete === true
  const statusOf = (phase: BuildBatchPhase, last: boolean): string => {
    if (phase.phaseStatus !== undefined) return text(phase.phaseStatus)
    if (!finished) return last ? '<em>current</em>' : ''
    return last && TERMINAL_PHASES.has(phase.phaseType ?? '') ? '<em>final</em>' : '<em>not reported</em>'
  }
  return table(
    ['Phase', 'Status', 'Start', 'End', 'Duration', 'Details'],
    phases.map((phase, index) =>
      tr([
        text(phase.phaseType),
        statusOf(phase, index === phases.length - 1),
        time(phase.startTime),
        time(phase.endTime),
        duration(phase.durationInSeconds),
        (phase.contexts ?? [])
          .map((context) => text([context.statusCode, context.message].filter(Boolean).join(': ')))
          .filter((line) => line !== '')
          .join('<br>')
      ])
    )
  )
}

function groupTable(groups: readonly BuildGroup[]): string {
  return table(
    ['Build group', 'Depends on', 'Ignore failure', 'Build status', 'Build id'],
    groups.map((group) =>
      tr([
        text(group.identifier),
        text((group.dependsOn ?? []).join(', ')),
        group.ignoreFailure === true ? 'yes' : 'no',
        buildStatus(group),
        text(buildIdOf(group.currentBuildSummary?.arn))
      ])
    )
  )
}

/** The current build's status, and those of the earlier attempts when CodeBuild retried the group. */
function buildStatus(group: BuildGroup): string {
  const current = text(group.currentBuildSummary?.buildStatus)
  const prior = group.priorBuildSummaryList ?? []
  if (prior.length === 0) return current
  const earlier = prior.map((summary) => text(summary.buildStatus) || 'unknown').join(', ')
  return `${current} (after ${prior.length} earlier ${prior.length === 1 ? 'attempt' : 'attempts'}: ${earlier})`
}

/** `arn:…:build/project:uuid` → `project:uuid`; the summary shows ids, not ARNs. */
function buildIdOf(arn: string | undefined): string | undefined {
  if (arn === undefined) return undefined
  const marker = arn.indexOf(':build/')
  return marker < 0 ? arn : arn.slice(marker + ':build/'.length)
}

const CONSOLE_HOSTS: Record<string, string> = {
  aws: 'console.aws.amazon.com',
  'aws-cn': 'console.amazonaws.cn',
  'aws-us-gov': 'console.amazonaws-us-gov.com'
}

/** The batch id, linked to its CodeBuild console page when it has one. */
function batchLink(outcome: BatchOutcome): string {
  const label = `<code>${text(outcome.ref.id)}</code>`
  const url = consoleUrl(outcome)
  return url === undefined ? label : `<a href="${url}">${label}</a>`
}

/**
 * The batch's CodeBuild console page, ready for an href, when the partition has a public
 * console. A batch that CodeBuild does not know has no page: no link. Every part of the
 * URL was validated (region, account, project, id) or is this action's own text, and the
 * id is URL-encoded.
 */
function consoleUrl(outcome: BatchOutcome): string | undefined {
  const { ref, batch } = outcome
  const host = CONSOLE_HOSTS[ref.partition]
  if (host === undefined || outcome.result === 'not-found') return undefined
  const account = /^arn:[^:]+:codebuild:[^:]+:(\d{12}):/.exec(batch?.arn ?? '')?.[1] ?? ref.account
  const path = account === undefined ? '' : `${account}/`
  const url =
    `https://${ref.region}.${host}/codesuite/codebuild/${path}projects/${encodeURIComponent(ref.project)}` +
    `/batch/${encodeURIComponent(ref.id)}?region=${ref.region}`
  return url.replace(/&/g, '&amp;').replace(/"/g, '&quot;')
}

function table(headers: readonly string[], rows: readonly string[]): string {
  return [
    '<table>',
    `<thead><tr>${headers.map((header) => `<th>${header}</th>`).join('')}</tr></thead>`,
    '<tbody>',
    ...rows,
    '</tbody>',
    '</table>'
  ].join('\n')
}

function tr(cells: readonly string[]): string {
  return `<tr>${cells.map((cell) => `<td>${cell}</td>`).join('')}</tr>`
}

/** API text made inert for the summary, and cut when very long. */
function text(value: string | number | undefined, maxLength = MAX_TEXT_LENGTH): string {
  if (value === undefined) return ''
  const raw = String(value)
  return forHtml(raw.length > maxLength ? `${raw.slice(0, maxLength)}…` : raw)
}

/**
 * A UTC time (utcTime) that never wraps: GitHub strips `style` attributes from a summary, so
 * a non-breaking space and non-breaking hyphens (U+2011) keep it on one line in its cell.
 */
function time(value: Date | undefined): string {
  return utcTime(value).replace(/-/g, NON_BREAKING_HYPHEN).replace(/ /g, NON_BREAKING_SPACE)
}

function duration(seconds: number | undefined): string {
  if (seconds === undefined) return ''
  const minutes = Math.floor(seconds / 60)
  return (minutes > 0 ? `${minutes} min ${seconds % 60} s` : `${seconds} s`).replace(/ /g, NON_BREAKING_SPACE)
}

const NON_BREAKING_SPACE = '&nbsp;'
const NON_BREAKING_HYPHEN = '&#8209;'

function byteLength(value: string): number {
  return Buffer.byteLength(value, 'utf8')
}
