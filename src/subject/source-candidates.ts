/** What the run's event says about the code the run is for (from @actions/github's context). */
export interface RunEvent {
  readonly eventName: string
  /** GITHUB_SHA: for pull requests, the merge commit, not the head of the branch. */
  readonly sha: string
  /** GITHUB_REF, such as refs/heads/main or refs/pull/42/merge. */
  readonly ref: string
  /** owner/name of the run's repository (GITHUB_REPOSITORY); '' when unknown. */
  readonly repository: string
  /** GITHUB_SERVER_URL, such as https://github.com or https://ghe.example.com. */
  readonly serverUrl: string
  readonly payload: Readonly<Record<string, unknown>>
}

/**
 * Where a candidate came from: the event payload, the pull request as the GitHub API
 * describes it (its head, for an event that names only its number), the pull request's
 * commits (GitHub API), or the source-version input.
 */
export type CandidateOrigin = 'event' | 'pull-request' | 'pull-request-commits' | 'input'

/**
 * What a candidate is to the run:
 * - pull-request: `pr/<number>`, what a CodeBuild webhook records for a pull request build;
 * - pull-request-ref: `refs/pull/<number>/head` or `refs/pull/<number>/merge`;
 * - head: the run's head commit (what superseded-only keeps);
 * - before: the head before the push that started the run (`before` in the payload);
 * - test-merge-commit: GITHUB_SHA of a pull request run, the commit of refs/pull/<n>/merge;
 * - ref, ref-name: the run's full ref and its short branch or tag name;
 * - head-branch: the pull request's head branch in this repository (full and short name),
 *   which counts only with a commit of the pull request (see match-batch.ts);
 * - pull-request-commit: one of the pull request's commits, as the GitHub API lists them;
 * - run-id: the id of the workflow run a workflow_run event is about, compared with the
 *   batch's GITHUB_RUN_ID environment variable;
 * - input: a value of the source-version input;
 * - run-commit: GITHUB_SHA where it is not the head (the test merge commit of a pull
 *   request), which only the guard looks for (candidatesOfRun).
 */
export type CandidateRole =
  | 'pull-request'
  | 'pull-request-ref'
  | 'head'
  | 'before'
  | 'test-merge-commit'
  | 'ref'
  | 'ref-name'
  | 'head-branch'
  | 'pull-request-commit'
  | 'run-id'
  | 'input'
  | 'run-commit'

/** One value a batch may have been built for. */
export interface Candidate {
  readonly value: string
  /**
   * How it is compared, always exactly: a `version` with the batch's sourceVersion only; a
   * `commit` with both sourceVersion and resolvedSourceVersion; a `run-id` with the value of
   * the batch's GITHUB_RUN_ID environment variable. A batch started with a commit SHA records
   * it as its sourceVersion and has no resolvedSourceVersion until CodeBuild has downloaded
   * the source; a batch started for a branch records the commit only as
   * resolvedSourceVersion. Values of the source-version input are compared as commits, since
   * they may be either.
   */
  readonly kind: 'version' | 'commit' | 'run-id'
  readonly origin: CandidateOrigin
  readonly role: CandidateRole
  /**
   * For a pull request commit: its place in the list the GitHub API gave, oldest first
   * (`index` from 1 to `count`), so that whether a commit came before another can be told.
   */
  readonly position?: { readonly index: number; readonly count: number }
}

/**
 * What the event is about, for the log and for what the GitHub API is asked:
 * - pull-request: a pull request (its own events, its reviews, a comment on it);
 * - run: the workflow run that triggered a workflow_run event;
 * - deleted-ref: the branch or tag a delete event removed;
 * - commit: the run's commit and ref (push, workflow_dispatch, schedule, …);
 * - merge-group: a merge queue's group;
 * - input: the source-version input names it;
 * - none: the event is about nothing whose batches can be told (`why` says so).
 */
export type Subject =
  | { readonly kind: 'pull-request'; readonly number: number }
  | { readonly kind: 'run'; readonly id: string }
  | { readonly kind: 'deleted-ref'; readonly ref: string }
  | { readonly kind: 'commit' }
  | { readonly kind: 'merge-group' }
  | { readonly kind: 'input' }
  | { readonly kind: 'none'; readonly why: string }

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
  readonly subject: Subject
  /**
   * The pull request whose commits the GitHub API lists; `readHead` when the event names
   * only its number (a comment), so that its head commit and branch are read too.
   */
  readonly pullRequest?: { readonly number: number; readonly readHead: boolean }
}

/** The pull request as GET /repos/{owner}/{repo}/pulls/{number} describes it. */
export interface PullRequestDetails {
  /** The head commit. */
  readonly head: string
  /** The head branch's name, in the head repository. */
  readonly headRef: string
  /** owner/name of the repository the head branch lives in: another one for a fork. */
  readonly headRepository: string
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

/**
 * The candidates with what the GitHub API says of the pull request an event names only by
 * number: its head commit (now the head that superseded-only keeps) and its head branch,
 * when that lives in this repository.
 */
export function withPullRequestDetails(candidates: Candidates, details: PullRequestDetails, repository: string): Candidates {
  const fromApi = (role: CandidateRole, kind: Candidate['kind'], value: string): Candidate[] =>
    value === '' ? [] : [{ value, kind, origin: 'pull-request', role }]
  return {
    ...candidates,
    list: unique([
      ...candidates.list,
      ...fromApi('head', 'commit', details.head),
      ...headBranchCandidates(details.headRef, details.headRepository, repository, 'pull-request')
    ]),
    head: details.head === '' ? candidates.head : details.head
  }
}

/**
 * The pull request's head branch, by full and short name, when it lives in this repository:
 * a branch of the same name in a fork is another repository's, whose batches are not this
 * one's.
 */
export function headBranchCandidates(
  headRef: string | undefined,
  headRepository: string | undefined,
  repository: string,
  origin: CandidateOrigin
): Candidate[] {
  if (headRef === undefined || headRef === '' || !sameRepository(headRepository, repository)) return []
  return [
    { value: `refs/heads/${headRef}`, kind: 'version', origin, role: 'head-branch' },
    { value: headRef, kind: 'version', origin, role: 'head-branch' }
  ]
}

/** What the guard's main step saw of the job's run, for candidatesOfRun (a RunIdentity has it). */
export interface RunSource {
  readonly eventName: string
  /** GITHUB_SHA */
  readonly sha: string
  /** GITHUB_REF */
  readonly ref: string
  /** The branch or tag name ('' when none). */
  readonly branch: string
  readonly pullRequest?: { readonly number: number; readonly head: string }
}

/**
 * The guard's candidates: every source version a step of the job may have started a batch
 * for, whatever the event: the run's commit (GITHUB_SHA, the test merge commit on a pull
 * request), the pull request's head commit, `pr/<number>`, the ref and the branch or tag
 * name. Wider than the event's subject (subject/event-subjects.ts) on purpose: the guard
 * stops a matching batch only if it also started after the guard, not by a webhook, and
 * carries no other run's GITHUB_RUN_ID (subject/job-ownership.ts), so a merge commit or a
 * branch name started by the job itself is found, and another run's is not.
 */
export function candidatesOfRun(run: RunSource): Candidates {
  const fromRun = (role: CandidateRole, kind: Candidate['kind'], value: string | undefined): Candidate[] =>
    value === undefined || value === '' ? [] : [{ value, kind, origin: 'event', role }]
  const pullRequest = run.pullRequest
  const head = pullRequest === undefined ? run.sha : pullRequest.head
  return {
    list: unique([
      ...fromRun(pullRequest === undefined ? 'head' : 'run-commit', 'commit', run.sha),
      ...fromRun('head', 'commit', pullRequest?.head),
      ...fromRun('pull-request', 'version', pullRequest === undefined ? undefined : `pr/${pullRequest.number}`),
      ...fromRun('ref', 'version', run.ref),
      ...fromRun('ref-name', 'version', run.branch)
    ]),
    head: head === '' ? undefined : head,
    eventName: run.eventName,
    subject: pullRequest === undefined ? { kind: 'commit' } : { kind: 'pull-request', number: pullRequest.number }
  }
}

/** owner/name against owner/name, as GitHub compares them: case-insensitively; unknown is never the same. */
export function sameRepository(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && a !== '' && a.toLowerCase() === b.toLowerCase()
}

/** Each value once, as its first (most telling) candidate. */
export function unique<T extends { readonly value: string }>(candidates: readonly T[]): T[] {
  const seen = new Set<string>()
  return candidates.filter(({ value }) => !seen.has(value) && seen.add(value) !== undefined)
}
