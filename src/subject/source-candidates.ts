import type { BuildBatch } from '@aws-sdk/client-codebuild'

/** What the run's event says about the code the run is for (from @actions/github's context). */
export interface RunEvent {
  readonly eventName: string
  /** GITHUB_SHA: for pull requests, the merge commit, not the head of the branch. */
  readonly sha: string
  /** GITHUB_REF, such as refs/heads/main or refs/pull/42/merge. */
  readonly ref: string
  readonly payload: Readonly<Record<string, unknown>>
}

/** What a batch must have been built for to be stopped. */
export interface Candidates {
  /** Compared, exactly, with a batch's sourceVersion. */
  readonly versions: readonly string[]
  /** Compared, exactly, with a batch's resolvedSourceVersion (the commit it built). */
  readonly commits: readonly string[]
  /** The run's current head commit: what superseded-only keeps. */
  readonly head: string | undefined
  /** Where the candidates came from, for the log and the summary. */
  readonly origin: string
}

const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_target'])

/**
 * The candidates of the run's event:
 * - pull_request, pull_request_target: `pr/<number>` (what a CodeBuild webhook records as
 *   the source version of a pull request build) and the pull request's head commit;
 * - push: the commit, the full ref and the short branch or tag name;
 * - any other event: the run's commit and ref.
 */
export function candidatesFromEvent(event: RunEvent): Candidates {
  const origin = `the ${event.eventName || 'unknown'} event`
  if (PULL_REQUEST_EVENTS.has(event.eventName)) {
    const pullRequest = record(event.payload.pull_request)
    const number = pullRequest?.number ?? event.payload.number
    const head = stringOf(record(pullRequest?.head)?.sha)
    return {
      versions: typeof number === 'number' ? [`pr/${number}`] : [],
      commits: compact([head]),
      head,
      origin
    }
  }
  const sha = event.sha || undefined
  const ref = event.ref || undefined
  if (event.eventName === 'push') {
    const shortName = ref?.replace(/^refs\/(heads|tags)\//, '')
    return { versions: compact([sha, ref, shortName]), commits: compact([sha]), head: sha, origin }
  }
  return { versions: compact([sha, ref]), commits: compact([sha]), head: sha, origin }
}

/**
 * Candidates given in the source-version input. Each value is compared with both the
 * source version and the resolved commit, so a SHA matches a batch started for that
 * commit by branch name too. The head for superseded-only still comes from the event.
 */
export function candidatesFromInput(values: readonly string[], event: RunEvent): Candidates {
  return {
    versions: values,
    commits: values,
    head: candidatesFromEvent(event).head,
    origin: "the source-version input"
  }
}

/** Exact comparison only: pr/42 never matches pr/420, main never matches main-2. */
export function matchesCandidates(batch: BuildBatch, candidates: Candidates): boolean {
  return (
    (batch.sourceVersion !== undefined && candidates.versions.includes(batch.sourceVersion)) ||
    (batch.resolvedSourceVersion !== undefined && candidates.commits.includes(batch.resolvedSourceVersion))
  )
}

/**
 * With superseded-only, whether a matching batch is kept: it was built from the run's
 * current head, or its commit is not known yet (CodeBuild fills resolvedSourceVersion once
 * the source is downloaded, seconds after the start; such a batch may be the current run's
 * own, and stopping it would cancel the very build the run is waiting for).
 */
export function keptBySupersededOnly(batch: BuildBatch, head: string | undefined): 'current-head' | 'unknown-commit' | undefined {
  if (head !== undefined && (batch.resolvedSourceVersion === head || batch.sourceVersion === head)) return 'current-head'
  if (batch.resolvedSourceVersion === undefined) return 'unknown-commit'
  return undefined
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined
}

function compact(values: ReadonlyArray<string | undefined>): string[] {
  return [...new Set(values.filter((value): value is string => value !== undefined && value !== ''))]
}
