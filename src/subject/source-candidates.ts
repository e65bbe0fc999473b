/** What the run's event says about the code the run is for (from @actions/github's context). */
export interface RunEvent {
  readonly eventName: string
  /** GITHUB_SHA: for pull requests, the merge commit, not the head of the branch. */
  readonly sha: string
  /** GITHUB_REF, such as refs/heads/main or refs/pull/42/merge. */
  readonly ref: string
  /** owner/name of the run's repository (GITHUB_REPOSITORY); '' when unknown. */
  readonly repository: string
  readonly payload: Readonly<Record<string, unknown>>
}

/** Where a candidate came from: the event payload, the pull request's commits (GitHub API), or the source-version input. */
export type CandidateOrigin = 'event' | 'pull-request-commits' | 'input'

/**
 * What a candidate is to the run:
 * - pull-request: `pr/<number>`, what a CodeBuild webhook records for a pull request build;
 * - head: the run's head commit (what superseded-only keeps);
 * - before: the head before the push that started the run (`before` in the payload);
 * - ref, ref-name: the run's full ref and its short branch or tag name;
 * - pull-request-commit: one of the pull request's commits, as the GitHub API lists them;
 * - input: a value of the source-version input.
 */
export type CandidateRole = 'pull-request' | 'head' | 'before' | 'ref' | 'ref-name' | 'pull-request-commit' | 'input'

/** One value a batch may have been built for. */
export interface Candidate {
  readonly value: string
  /**
   * How it is compared, always exactly: a `version` with the batch's sourceVersion only; a
   * `commit` with both sourceVersion and resolvedSourceVersion. A batch started with a commit
   * SHA records it as its sourceVersion and has no resolvedSourceVersion until CodeBuild has
   * downloaded the source; a batch started for a branch records the commit only as
   * resolvedSourceVersion. Values of the source-version input are compared as commits, since
   * they may be either.
   */
  readonly kind: 'version' | 'commit'
  readonly origin: CandidateOrigin
  readonly role: CandidateRole
  /**
   * For a pull request commit: its place in the list the GitHub API gave, oldest first
   * (`index` from 1 to `count`), so that whether a commit came before another can be told.
   */
  readonly position?: { readonly index: number; readonly count: number }
}

/** Everything a batch must have been built for to be stopped, and the head that superseded-only keeps. */
export interface Candidates {
  /**
   * In order of precedence: the event's (or the input's) own first, then the pull request's
   * commits. A value may appear twice (the head commit is also the pull request's last
   * commit); the first that matches is the one reported.
   */
  readonly list: readonly Candidate[]
  /** The run's current head commit: what superseded-only keeps. */
  readonly head: string | undefined
  /** The name of the run's event, for the log. */
  readonly eventName: string
}

const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_target'])

/** A commit that does not exist: `before` of a push that created its branch. */
const NULL_COMMIT = /^0+$/

export interface EventOptions {
  /** With superseded-only, a push's `before` is a candidate too. */
  readonly supersededOnly: boolean
}

/**
 * The candidates of the run's event:
 * - pull_request, pull_request_target: `pr/<number>`, the pull request's head commit (not the
 *   merge commit in GITHUB_SHA) and, for the `synchronize` action, the previous head
 *   (`before`); the pull request's commits are added later (withPullRequestCommits);
 * - merge_group: the merge group's head commit and its ref;
 * - push: the commit, the full ref and the short branch or tag name; with superseded-only the
 *   previous head (`before`) too. Without superseded-only it is left out on purpose: a step
 *   that runs because its own run was cancelled must not stop the previous run's batch;
 * - any other event: the run's commit and ref.
 */
export function candidatesFromEvent(event: RunEvent, options: EventOptions): Candidates {
  const eventName = event.eventName
  const fromEvent = (role: CandidateRole, kind: Candidate['kind'], value: string | undefined): Candidate[] =>
    value === undefined || value === '' ? [] : [{ value, kind, origin: 'event', role }]

  if (PULL_REQUEST_EVENTS.has(eventName)) {
    const number = pullRequestNumberOf(event)
    const head = stringOf(record(record(event.payload.pull_request)?.head)?.sha)
    const before = event.payload.action === 'synchronize' ? commitOf(event.payload.before) : undefined
    return {
      list: unique([
        ...fromEvent('pull-request', 'version', number === undefined ? undefined : `pr/${number}`),
        ...fromEvent('head', 'commit', head),
        ...fromEvent('before', 'commit', before)
      ]),
      head,
      eventName
    }
  }
  if (eventName === 'merge_group') {
    const group = record(event.payload.merge_group)
    const head = stringOf(group?.head_sha) ?? (event.sha || undefined)
    return {
      list: unique([...fromEvent('head', 'commit', head), ...fromEvent('ref', 'version', stringOf(group?.head_ref) ?? event.ref)]),
      head,
      eventName
    }
  }
  const sha = event.sha || undefined
  const ref = event.ref || undefined
  if (eventName === 'push') {
    const before = options.supersededOnly ? commitOf(event.payload.before) : undefined
    return {
      list: unique([
        ...fromEvent('head', 'commit', sha),
        ...fromEvent('ref', 'version', ref),
        ...fromEvent('ref-name', 'version', ref?.replace(/^refs\/(heads|tags)\//, '')),
        ...fromEvent('before', 'commit', before)
      ]),
      head: sha,
      eventName
    }
  }
  return { list: unique([...fromEvent('head', 'commit', sha), ...fromEvent('ref', 'version', ref)]), head: sha, eventName }
}

/**
 * Candidates given in the source-version input, instead of the event's. Each value is
 * compared with both the source version and the resolved commit, so a SHA matches a batch
 * started for that commit by branch name too. The head for superseded-only still comes from
 * the event.
 */
export function candidatesFromInput(values: readonly string[], event: RunEvent, options: EventOptions): Candidates {
  return {
    list: unique(values.map((value) => ({ value, kind: 'commit', origin: 'input', role: 'input' }))),
    head: candidatesFromEvent(event, options).head,
    eventName: event.eventName
  }
}

/**
 * The number of the pull request whose commits are candidates too: on pull_request and
 * pull_request_target events, whatever the action (opened, synchronize, closed, …).
 */
export function pullRequestNumberOf(event: RunEvent): number | undefined {
  if (!PULL_REQUEST_EVENTS.has(event.eventName)) return undefined
  const number = record(event.payload.pull_request)?.number ?? event.payload.number
  return typeof number === 'number' && Number.isSafeInteger(number) && number > 0 ? number : undefined
}

/** The candidates with the pull request's commits after them, in the order the API listed them (oldest first). */
export function withPullRequestCommits(candidates: Candidates, commits: readonly string[]): Candidates {
  const listed = unique(commits.filter((sha) => sha !== '').map((value) => ({ value, kind: 'commit' as const })))
  return {
    ...candidates,
    list: [
      ...candidates.list,
      ...listed.map(({ value }, n): Candidate => ({
        value,
        kind: 'commit',
        origin: 'pull-request-commits',
        role: 'pull-request-commit',
        position: { index: n + 1, count: listed.length }
      }))
    ]
  }
}

function commitOf(value: unknown): string | undefined {
  const sha = stringOf(value)
  return sha === undefined || NULL_COMMIT.test(sha) ? undefined : sha
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined
}

/** Each value once, as its first (most telling) candidate. */
function unique<T extends { readonly value: string }>(candidates: readonly T[]): T[] {
  const seen = new Set<string>()
  return candidates.filter(({ value }) => !seen.has(value) && seen.add(value) !== undefined)
}
