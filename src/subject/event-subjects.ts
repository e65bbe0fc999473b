import {
  headBranchCandidates,
  sameRepository,
  unique,
  type Candidate,
  type CandidateRole,
  type Candidates,
  type RunEvent
} from './source-candidates.js'

/**
 * Each event's subject: what the run is about, and the candidates its batches may have been
 * built for. GITHUB_SHA and GITHUB_REF are the run's commit and ref only for some events: on
 * workflow_run, issue_comment, issues, delete, check_run and the like they are the default
 * branch's, whatever the event is about, so the subject comes from the payload.
 *
 * | event                                               | subject                      |
 * | payload with `pull_request` (pull_request,          | the pull request             |
 * |   pull_request_target, pull_request_review, …)      |                              |
 * | issue_comment, issues on a pull request             | that pull request            |
 * | workflow_run                                        | the run that triggered it    |
 * | delete                                              | the deleted branch or tag    |
 * | push, workflow_dispatch, schedule,                  | the run's commit and ref     |
 * |   repository_dispatch, release                      |                              |
 * | merge_group                                         | the merge group              |
 * | any other, or an issue that is not a pull request   | none                         |
 */

export interface EventOptions {
  /** With superseded-only, a push's `before` is a candidate too. */
  readonly supersededOnly: boolean
}

type SubjectRule = (event: RunEvent, options: EventOptions) => Candidates

const RUN_COMMIT_EVENTS = ['push', 'workflow_dispatch', 'schedule', 'repository_dispatch', 'release']

/** The rule of each event; an event whose payload has `pull_request` is a pull request's, whatever its name. */
const SUBJECT_RULES: Readonly<Record<string, SubjectRule>> = {
  issue_comment: fromIssue,
  issues: fromIssue,
  workflow_run: fromWorkflowRun,
  delete: fromDelete,
  merge_group: fromMergeGroup,
  ...Object.fromEntries(RUN_COMMIT_EVENTS.map((name) => [name, fromRunCommit]))
}

/** The candidates of the run's event (see the table above). */
export function candidatesFromEvent(event: RunEvent, options: EventOptions): Candidates {
  if (record(event.payload.pull_request) !== undefined) return fromPullRequest(event)
  const rule = SUBJECT_RULES[event.eventName]
  if (rule !== undefined) return rule(event, options)
  return none(event, event.eventName === '' ? 'the event is not known (GITHUB_EVENT_NAME is not set)' : 'the event names no pull request, branch, tag or commit')
}

/**
 * Candidates given in the source-version input, instead of the event's. Each value is
 * compared with both the source version and the resolved commit, so a SHA matches a batch
 * started for that commit by branch name too. The head for superseded-only still comes from
 * the event.
 */
export function candidatesFromInput(values: readonly string[], event: RunEvent, options: EventOptions): Candidates {
  return {
    list: unique(values.map((value): Candidate => ({ value, kind: 'commit', origin: 'input', role: 'input' }))),
    head: candidatesFromEvent(event, options).head,
    eventName: event.eventName,
    subject: { kind: 'input' }
  }
}

/**
 * A pull request's own events and its reviews: `pr/<n>`, `refs/pull/<n>/head` and
 * `refs/pull/<n>/merge`; the head commit (not the merge commit in GITHUB_SHA); on
 * `synchronize`, the previous head (`before`); the head branch when it lives in this
 * repository; and GITHUB_SHA when it is the run's test merge commit (GITHUB_REF is the pull
 * request's merge ref). Once the pull request is merged, GITHUB_SHA is the merge commit on
 * the base branch, and its batches are the base branch's: it is left out then. The pull
 * request's commits are added later (withPullRequestCommits).
 */
function fromPullRequest(event: RunEvent): Candidates {
  const pullRequest = record(event.payload.pull_request) ?? {}
  const number = pullRequestNumber(pullRequest.number ?? event.payload.number)
  const head = record(pullRequest.head)
  const headSha = stringOf(head?.sha)
  const before = event.payload.action === 'synchronize' ? commitOf(event.payload.before) : undefined
  const merged = pullRequest.merged === true
  const testMerge = number !== undefined && !merged && event.ref === `refs/pull/${number}/merge` ? event.sha || undefined : undefined
  return {
    list: unique([
      ...pullRequestRefs(number, 'event'),
      ...fromEvent('head', 'commit', headSha),
      ...fromEvent('before', 'commit', before),
      ...fromEvent('test-merge-commit', 'commit', testMerge),
      ...headBranchCandidates(stringOf(head?.ref), stringOf(record(head?.repo)?.full_name), event.repository, 'event')
    ]),
    head: headSha,
    eventName: event.eventName,
    subject: number === undefined ? { kind: 'none', why: 'the pull request has no number' } : { kind: 'pull-request', number },
    ...(number === undefined ? {} : { pullRequest: { number, readHead: false } })
  }
}

/**
 * A comment on a pull request, or an event of it as an issue: the payload names only its
 * number, so its refs are candidates at once, and its head commit and branch are read from
 * the GitHub API (withPullRequestDetails). GITHUB_SHA is the default branch's here.
 */
function fromIssue(event: RunEvent): Candidates {
  const issue = record(event.payload.issue)
  const number = pullRequestNumber(issue?.number)
  if (issue === undefined || number === undefined) return none(event, 'the event names no issue')
  if (record(issue.pull_request) === undefined) return none(event, `issue #${number} is not a pull request`)
  return {
    list: pullRequestRefs(number, 'event'),
    head: undefined,
    eventName: event.eventName,
    subject: { kind: 'pull-request', number },
    pullRequest: { number, readHead: true }
  }
}

/**
 * workflow_run: the run that triggered this workflow. Its head commit; its branch, when the
 * run was in this repository (a fork's branch of the same name is another's); each of its
 * pull requests by `pr/<n>` and its refs; and the batches that carry its id as GITHUB_RUN_ID.
 * Re-runs keep the run's id, so every attempt's batches carry it.
 */
function fromWorkflowRun(event: RunEvent): Candidates {
  const run = record(event.payload.workflow_run)
  const id = typeof run?.id === 'number' && Number.isSafeInteger(run.id) ? String(run.id) : stringOf(run?.id)
  if (run === undefined || id === undefined) return none(event, 'the event names no workflow run')
  const headSha = stringOf(run.head_sha)
  const branch = stringOf(run.head_branch)
  const ownBranch = branch !== undefined && sameRepository(stringOf(record(run.head_repository)?.full_name), event.repository)
  const pullRequests = Array.isArray(run.pull_requests) ? run.pull_requests : []
  return {
    list: unique([
      ...fromEvent('head', 'commit', headSha),
      ...(ownBranch ? [...fromEvent('ref', 'version', `refs/heads/${branch}`), ...fromEvent('ref-name', 'version', branch)] : []),
      ...pullRequests.flatMap((pullRequest) => pullRequestRefs(pullRequestNumber(record(pullRequest)?.number), 'event')),
      ...fromEvent('run-id', 'run-id', id)
    ]),
    head: headSha,
    eventName: event.eventName,
    subject: { kind: 'run', id }
  }
}

/** delete: the deleted branch or tag, by its short name (the payload's `ref`) and its full ref. No commit. */
function fromDelete(event: RunEvent): Candidates {
  const ref = stringOf(event.payload.ref)
  const type = event.payload.ref_type
  if (ref === undefined || (type !== 'branch' && type !== 'tag')) return none(event, 'the event names no deleted branch or tag')
  return {
    list: [...fromEvent('ref', 'version', `refs/${type === 'branch' ? 'heads' : 'tags'}/${ref}`), ...fromEvent('ref-name', 'version', ref)],
    head: undefined,
    eventName: event.eventName,
    subject: { kind: 'deleted-ref', ref }
  }
}

/**
 * push, workflow_dispatch, schedule, repository_dispatch, release: the run's commit, its full
 * ref and the short branch or tag name; on a push with superseded-only the previous head
 * (`before`) too. Without superseded-only it is left out on purpose: a step that runs
 * because its own run was cancelled must not stop the previous run's batch.
 */
function fromRunCommit(event: RunEvent, options: EventOptions): Candidates {
  const sha = event.sha || undefined
  const ref = event.ref || undefined
  const before = event.eventName === 'push' && options.supersededOnly ? commitOf(event.payload.before) : undefined
  const list = unique([
    ...fromEvent('head', 'commit', sha),
    ...fromEvent('ref', 'version', ref),
    ...fromEvent('ref-name', 'version', shortName(ref)),
    ...fromEvent('before', 'commit', before)
  ])
  return {
    list,
    head: sha,
    eventName: event.eventName,
    subject: list.length === 0 ? { kind: 'none', why: 'the run has no commit or ref (GITHUB_SHA and GITHUB_REF are empty)' } : { kind: 'commit' }
  }
}

/** merge_group: the merge group's head commit, its ref and that ref's branch name. */
function fromMergeGroup(event: RunEvent): Candidates {
  const group = record(event.payload.merge_group)
  const head = stringOf(group?.head_sha) ?? (event.sha || undefined)
  const ref = stringOf(group?.head_ref) ?? (event.ref || undefined)
  const list = unique([...fromEvent('head', 'commit', head), ...fromEvent('ref', 'version', ref), ...fromEvent('ref-name', 'version', shortName(ref))])
  return {
    list,
    head,
    eventName: event.eventName,
    subject: list.length === 0 ? { kind: 'none', why: 'the merge group names no commit' } : { kind: 'merge-group' }
  }
}

function none(event: RunEvent, why: string): Candidates {
  return { list: [], head: undefined, eventName: event.eventName, subject: { kind: 'none', why } }
}

/** `pr/<n>` (what a CodeBuild webhook records), `refs/pull/<n>/head` and `refs/pull/<n>/merge`. */
function pullRequestRefs(number: number | undefined, origin: Candidate['origin']): Candidate[] {
  if (number === undefined) return []
  return [
    { value: `pr/${number}`, kind: 'version', origin, role: 'pull-request' },
    { value: `refs/pull/${number}/head`, kind: 'version', origin, role: 'pull-request-ref' },
    { value: `refs/pull/${number}/merge`, kind: 'version', origin, role: 'pull-request-ref' }
  ]
}

function fromEvent(role: CandidateRole, kind: Candidate['kind'], value: string | undefined): Candidate[] {
  return value === undefined || value === '' ? [] : [{ value, kind, origin: 'event', role }]
}

/** The branch or tag name of a full ref; undefined for any other ref. */
function shortName(ref: string | undefined): string | undefined {
  return /^refs\/(heads|tags)\/(.+)$/.exec(ref ?? '')?.[2]
}

function pullRequestNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : undefined
}

/** A commit that does not exist: `before` of a push that created its branch. */
const NULL_COMMIT = /^0+$/

function commitOf(value: unknown): string | undefined {
  const sha = stringOf(value)
  return sha === undefined || NULL_COMMIT.test(sha) ? undefined : sha
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined
}
