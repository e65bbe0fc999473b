import type { BuildBatchPhase, BuildGroup } from '@aws-sdk/client-codebuild'
import { isSettled, runningBuildCount, type BatchOutcome } from '../codebuild/batch-outcome.js'
import { forHtml } from './escape.js'
import type { WaitEnd } from '../codebuild/poll-until-settled.js'

/** What discovery looked for and found, for the summary. */
export interface DiscoverySummary {
  readonly project: string
  readonly region: string
  /** What was looked for, in words (see describeCandidates). */
  readonly lookedFor: string
  readonly origin: string
  readonly inProgress?: number
  readonly matched?: number
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
  'already-complete': '✅ already complete',
  'not-found': '❓ not found',
  failed: '❌ failed',
  'would-stop': '🔎 would stop'
}

const RESULT_WORDS: Record<BatchOutcome['result'], string> = {
  stopped: 'stopped',
  'already-complete': 'already complete',
  'not-found': 'not found',
  failed: 'failed',
  'would-stop': 'would be stopped'
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
  if (input.discovery !== undefined) blocks.push(discoveryBlock(input.discovery))
  if (input.guard !== undefined) blocks.push(guardBlock(input.guard))
  let size = blocks.reduce((total, block) => total + byteLength(block) + 2, 0)
  if (input.outcomes.length > 1) {
    const table = overview(input.outcomes, budget / 2)
    blocks.push(table)
    size += byteLength(table) + 2
  }
  let omitted = 0
  for (const outcome of input.outcomes) {
    const section = omitted > 0 ? '' : details(outcome, input.reasons?.get(`${outcome.ref.region}/${outcome.ref.id}`))
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

function heading(input: SummaryInput): string {
  const count = input.outcomes.length
  const tally = (Object.keys(RESULT_WORDS) as Array<BatchOutcome['result']>)
    .map((result) => [result, input.outcomes.filter((outcome) => outcome.result === result).length] as const)
    .filter(([, n]) => n > 0)
    .map(([result, n]) => `${n} ${RESULT_WORDS[result]}`)
    .join(', ')
  const seconds = (input.elapsedMs / 1000).toFixed(1)
  const wait =
    input.dryRun === true
      ? 'Dry run: no stop was sent.'
      : !input.waited
        ? 'Did not wait for the builds to stop (wait: false).'
        : input.waitEnd === 'timed-out'
          ? `⚠️ Gave up waiting after ${seconds} s: some builds were still stopping.`
          : input.waitEnd === 'interrupted'
            ? `⚠️ The step was cancelled after ${seconds} s while waiting: this is the last known state.`
            : input.waitEnd === 'unconfirmed'
              ? '⚠️ CodeBuild refused to describe some batches, so whether their builds stopped is unknown.'
              : `Every batch and all its builds had stopped after ${seconds} s.`
  const title = `${input.dryRun === true ? 'Dry run: ' : ''}Stop CodeBuild batch builds: ${count} ${count === 1 ? 'batch' : 'batches'}`
  return [`<h2>${title}</h2>`, `<p>${count === 0 ? 'No batch to stop.' : `${tally}.`} ${wait}</p>`].join('\n')
}

function discoveryBlock(discovery: DiscoverySummary): string {
  const found =
    discovery.error !== undefined
      ? `❌ ${text(discovery.error, 1000)}`
      : discovery.matched === 0
        ? `Nothing matched among ${discovery.inProgress ?? 0} in-progress batches.`
        : `${discovery.matched ?? 0} of ${discovery.inProgress ?? 0} in-progress batches matched.`
  const kept = discovery.kept.map(
    ({ id, reason }) => `<br>Kept <code>${text(id)}</code>: ${reason === 'current-head' ? 'it builds the current head' : 'its commit is not known yet'}.`
  )
  return `<p><b>Project <code>${text(discovery.project)}</code> (${text(discovery.region)}):</b> looked for in-progress batches built for ${text(discovery.lookedFor, 1000)}, from ${text(discovery.origin)}. ${found}${kept.join('')}</p>`
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
  const since = new Date(guard.since).toISOString().slice(0, 19)
  return `<p><b>Guard of this job</b>, from ${since}Z: the job did not succeed, so the batches it started are stopped.<br>${[file, ...projects].join('<br>')}</p>`
}

function overview(outcomes: readonly BatchOutcome[], budget: number): string {
  const rows: string[] = []
  let size = 0
  for (const outcome of outcomes) {
    const { batch } = outcome
    const row = tr([
      batchLink(outcome),
      RESULT_LABELS[outcome.result],
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

function details(outcome: BatchOutcome, reason: string | undefined): string {
  const { batch } = outcome
  const facts = [
    `<b>Result:</b> ${RESULT_LABELS[outcome.result]}`,
    `<b>Status:</b> ${text(batch?.buildBatchStatus) || 'unknown'}`,
    ...(batch?.buildBatchNumber === undefined ? [] : [`<b>Build number:</b> ${text(batch.buildBatchNumber)}`]),
    ...(batch?.sourceVersion === undefined ? [] : [`<b>Source version:</b> <code>${text(batch.sourceVersion)}</code>`]),
    ...(batch?.initiator === undefined ? [] : [`<b>Initiator:</b> ${text(batch.initiator)}`]),
    ...(batch === undefined ? [] : [`<b>Builds settled:</b> ${isSettled(batch) ? 'yes' : 'no'}`])
  ]
  const parts = [`<h3>${batchLink(outcome)}</h3>`, `<p>${facts.join(' · ')}</p>`]
  if (reason !== undefined) parts.push(`<p><b>Why:</b> ${text(reason, 1000)}.</p>`)
  if (outcome.error !== undefined) {
    parts.push(`<p><b>Error:</b> ${text(outcome.error, 1000)}</p>`)
  }
  if (batch?.phases !== undefined && batch.phases.length > 0) {
    parts.push(phaseTable(batch.phases))
  }
  if (batch?.buildGroups !== undefined && batch.buildGroups.length > 0) {
    parts.push(groupTable(batch.buildGroups))
  }
  return parts.join('\n')
}

function phaseTable(phases: readonly BuildBatchPhase[]): string {
  return table(
    ['Phase', 'Status', 'Start', 'End', 'Duration', 'Details'],
    phases.map((phase) =>
      tr([
        text(phase.phaseType),
        text(phase.phaseStatus),
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
        text(group.currentBuildSummary?.buildStatus),
        text(buildIdOf(group.currentBuildSummary?.arn))
      ])
    )
  )
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

/**
 * The batch id, linked to its CodeBuild console page when the partition has a public
 * console. Every part of the URL was validated (region, account, project, id) or is this
 * action's own text, and the id is URL-encoded.
 */
function batchLink(outcome: BatchOutcome): string {
  const { ref, batch } = outcome
  const host = CONSOLE_HOSTS[ref.partition]
  const label = `<code>${text(ref.id)}</code>`
  if (host === undefined) return label
  const account = /^arn:[^:]+:codebuild:[^:]+:(\d{12}):/.exec(batch?.arn ?? '')?.[1] ?? ref.account
  const path = account === undefined ? '' : `${account}/`
  const url =
    `https://${ref.region}.${host}/codesuite/codebuild/${path}projects/${encodeURIComponent(ref.project)}` +
    `/batch/${encodeURIComponent(ref.id)}?region=${ref.region}`
  return `<a href="${url.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}">${label}</a>`
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

function time(value: Date | undefined): string {
  return value === undefined || Number.isNaN(value.getTime()) ? '' : `${value.toISOString().slice(0, 19).replace('T', ' ')}Z`
}

function duration(seconds: number | undefined): string {
  if (seconds === undefined) return ''
  const minutes = Math.floor(seconds / 60)
  return minutes > 0 ? `${minutes} min ${seconds % 60} s` : `${seconds} s`
}

function byteLength(value: string): number {
  return Buffer.byteLength(value, 'utf8')
}
