import type { BuildBatch } from '@aws-sdk/client-codebuild'
import { matchWords } from '../report/candidate-words.js'
import { utcTime } from '../report/time-text.js'
import { isRecord } from '../runtime/errors.js'
import { matchBatch } from './match-batch.js'
import { candidatesOfRun, type RunEvent, type RunSource } from './source-candidates.js'

/**
 * Whose batch is this? The guard's rule for "started by this job", pure: the job's identity
 * (saved by the guard's main step), the time the guard started, and a batch as CodeBuild
 * describes it go in; a decision with its reason comes out. When the batch does not say
 * enough to tell, it is kept: a wrong stop is worse than a missed one.
 */

/** Who the job is, as the guard's main step saw it. */
export interface RunIdentity extends RunSource {
  /** GITHUB_EVENT_NAME */
  readonly eventName: string
  /** GITHUB_RUN_ID: the same for every job and attempt of the run. */
  readonly runId: string
  /** GITHUB_RUN_ATTEMPT: 1, then 2 and on for each re-run. */
  readonly runAttempt: string
  /** GITHUB_JOB: the job's id in the workflow. */
  readonly job: string
  /** GITHUB_SHA */
  readonly sha: string
  /** GITHUB_REF */
  readonly ref: string
  /** The branch or tag name: the pull request's head branch (GITHUB_HEAD_REF), else GITHUB_REF without refs/heads/ or refs/tags/. */
  readonly branch: string
  /** For a pull request event: its number and head commit. */
  readonly pullRequest?: { readonly number: number; readonly head: string }
}

/** The identity of the run: its event (GITHUB_SHA, GITHUB_REF, payload) and its GITHUB_* variables. */
export function runIdentityOf(event: RunEvent, env: Readonly<Record<string, string | undefined>>): RunIdentity {
  const pullRequest = isRecord(event.payload.pull_request) ? event.payload.pull_request : undefined
  const number = pullRequest?.number ?? event.payload.number
  const head = isRecord(pullRequest?.head) ? pullRequest.head.sha : undefined
  const shortRef = /^refs\/(heads|tags)\/(.+)$/.exec(event.ref)?.[2] ?? ''
  return {
    eventName: event.eventName,
    runId: env.GITHUB_RUN_ID ?? '',
    runAttempt: env.GITHUB_RUN_ATTEMPT ?? '',
    job: env.GITHUB_JOB ?? '',
    sha: event.sha,
    ref: event.ref,
    branch: pullRequest === undefined ? shortRef : (env.GITHUB_HEAD_REF ?? ''),
    ...(pullRequest !== undefined && typeof number === 'number'
      ? { pullRequest: { number, head: typeof head === 'string' ? head : '' } }
      : {})
  }
}

/** A batch that starts up to this long before the guard still counts: the runner's clock and CodeBuild's may differ. */
export const CLOCK_SKEW_MS = 5000

/** Webhook batches say `GitHub-Hookshot/<id>` in `initiator`: GitHub started them, not a job. */
const WEBHOOK_INITIATOR = 'GitHub-Hookshot'

export type OwnershipCode =
  /** Stopped: it carries this run's GITHUB_RUN_ID. */
  | 'this-run'
  /** Stopped: it carries no GITHUB_RUN_ID, and its source version or commit is this run's. */
  | 'this-source'
  | 'no-start-time'
  | 'started-before'
  | 'webhook'
  | 'other-run'
  | 'other-attempt'
  | 'other-job'
  | 'hidden-variable'
  | 'other-source'

export interface OwnershipDecision {
  /** Started by this job: to be stopped. */
  readonly owned: boolean
  readonly code: OwnershipCode
  /** Why, in words for the log and the summary; it quotes the batch's own fields, unescaped. */
  readonly reason: string
}

/**
 * A batch counts as started by this job when all of these hold:
 * 1. it started no earlier than the guard's main step, less CLOCK_SKEW_MS;
 * 2. no webhook started it;
 * 3. it carries this run's GITHUB_RUN_ID (and, when it carries them, this attempt's
 *    GITHUB_RUN_ATTEMPT and this job's GITHUB_JOB), or it carries no GITHUB_RUN_ID and its
 *    source version or commit is one of this run's (candidatesOfRun, compared as discovery
 *    compares: matchBatch).
 * A batch that carries another run's GITHUB_RUN_ID is never this job's.
 */
export function decideOwnership(identity: RunIdentity, guardStartedMs: number, batch: BuildBatch): OwnershipDecision {
  const started = batch.startTime
  if (!(started instanceof Date) || Number.isNaN(started.getTime())) {
    return kept('no-start-time', 'CodeBuild reports no start time for it, so it may predate this job')
  }
  if (started.getTime() < guardStartedMs - CLOCK_SKEW_MS) {
    return kept('started-before', `it started ${utcTime(started)}, before this job's guard (${utcTime(new Date(guardStartedMs))})`)
  }
  const initiator = batch.initiator ?? ''
  if (initiator.startsWith(WEBHOOK_INITIATOR)) {
    return kept('webhook', `a webhook started it (${initiator}), not a job`)
  }
  const by = `started ${utcTime(started)}${initiator === '' ? '' : ` by ${initiator}`}`

  const variables = batch.environment?.environmentVariables ?? []
  const runIds = variables.filter((variable) => variable.name === 'GITHUB_RUN_ID' && (variable.value ?? '') !== '')
  for (const variable of variables) {
    if (!CHECKED_VARIABLES.has(variable.name ?? '') || variable.type === undefined || variable.type === 'PLAINTEXT') continue
    return kept(
      'hidden-variable',
      `its ${variable.name} is a ${variable.type} variable, whose value is not shown, so whose run it is cannot be told`
    )
  }
  if (runIds.length > 0) {
    const other = runIds.find((variable) => variable.value !== identity.runId)
    if (other !== undefined) return kept('other-run', `it carries GITHUB_RUN_ID ${other.value}, another run's`)
    const mismatch = firstMismatch(variables, [
      ['GITHUB_RUN_ATTEMPT', identity.runAttempt, 'other-attempt', `this job runs attempt ${identity.runAttempt}`],
      ['GITHUB_JOB', identity.job, 'other-job', `this job is ${identity.job}`]
    ])
    if (mismatch !== undefined) return mismatch
    const attempt = variables.some((variable) => variable.name === 'GITHUB_RUN_ATTEMPT') ? ` and GITHUB_RUN_ATTEMPT ${identity.runAttempt}` : ''
    return owned('this-run', `${by}, and carries this run's GITHUB_RUN_ID ${identity.runId}${attempt}`)
  }

  const match = matchBatch(batch, candidatesOfRun(identity))
  if (match !== undefined) {
    return owned('this-source', `${by}, carries no GITHUB_RUN_ID, and ${matchWords(match, identity.eventName)}`)
  }
  return kept(
    'other-source',
    `it carries no GITHUB_RUN_ID, and neither its source version ${batch.sourceVersion ?? '(none)'} nor its commit ${batch.resolvedSourceVersion ?? '(not known yet)'} is this run's`
  )
}

/** The variables whose values decide; a batch that hides one of them cannot be told apart. */
const CHECKED_VARIABLES = new Set(['GITHUB_RUN_ID', 'GITHUB_RUN_ATTEMPT', 'GITHUB_JOB'])

function firstMismatch(
  variables: ReadonlyArray<{ readonly name?: string; readonly value?: string }>,
  checks: ReadonlyArray<readonly [name: string, expected: string, code: OwnershipCode, ours: string]>
): OwnershipDecision | undefined {
  for (const [name, expected, code, ours] of checks) {
    const other = variables.find((variable) => variable.name === name && (variable.value ?? '') !== '' && variable.value !== expected)
    if (other !== undefined) return kept(code, `it carries ${name} ${other.value}, and ${ours}`)
  }
  return undefined
}

function owned(code: OwnershipCode, reason: string): OwnershipDecision {
  return { owned: true, code, reason }
}

function kept(code: OwnershipCode, reason: string): OwnershipDecision {
  return { owned: false, code, reason }
}
