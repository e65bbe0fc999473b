import { errorMessage, isRecord } from '../runtime/errors.js'
import { withPullRequestCommits, withPullRequestDetails, type Candidates, type PullRequestDetails } from './source-candidates.js'

/** How one GitHub API lookup about the pull request went, for the log and the summary. */
export type PullRequestLookup<Listed> =
  | ({ readonly state: 'listed'; readonly pullRequest: number; readonly calls: number } & Listed)
  | { readonly state: 'failed'; readonly pullRequest: number; readonly reason: string; readonly calls: number }
  | { readonly state: 'cancelled'; readonly pullRequest: number; readonly calls: number }

/** Listing the pull request's commits: how many were listed. */
export type PullRequestCommitsLookup = PullRequestLookup<{ readonly count: number }>

/** Reading the pull request itself (its head), for an event that names only its number. */
export type PullRequestHeadLookup = PullRequestLookup<{ readonly head: string }>

/**
 * The GitHub API calls about a pull request. Each rejects with a message that says why not
 * (and `cancelled: true` when the step was cancelled meanwhile).
 */
export interface PullRequestApi {
  /** Its commits, oldest first. */
  listCommits(pullRequest: number): Promise<{ readonly commits: readonly string[]; readonly calls: number }>
  /** Its head commit and branch. */
  read(pullRequest: number): Promise<{ readonly details: PullRequestDetails; readonly calls: number }>
}

export interface CandidatesWithHistory {
  readonly candidates: Candidates
  /** Absent when the event is not about a pull request. */
  readonly pullRequestCommits?: PullRequestCommitsLookup
  /** Absent unless the event names the pull request by number only (a comment). */
  readonly pullRequestHead?: PullRequestHeadLookup
}

/**
 * The event's candidates and, when the event is about a pull request, what the GitHub API
 * adds: its head commit and branch when the event names only its number, and its commits
 * after them. Both requests go out at once. A failed lookup never fails the step: the
 * event's own candidates are still looked for, and the lookup says why the rest is missing.
 */
export async function addPullRequestHistory(
  candidates: Candidates,
  repository: string,
  api: PullRequestApi
): Promise<CandidatesWithHistory> {
  const pullRequest = candidates.pullRequest
  if (pullRequest === undefined) return { candidates }
  const { number } = pullRequest
  const [head, commits] = await Promise.all([
    pullRequest.readHead ? lookUp(number, () => api.read(number)) : undefined,
    lookUp(number, () => api.listCommits(number))
  ])
  let result = candidates
  if (head?.state === 'listed') result = withPullRequestDetails(result, head.value.details, repository)
  const before = result.list.length
  if (commits.state === 'listed') result = withPullRequestCommits(result, commits.value.commits)
  return {
    candidates: result,
    pullRequestCommits: commits.state === 'listed' ? { state: 'listed', pullRequest: number, calls: commits.calls, count: result.list.length - before } : commits,
    ...(head === undefined
      ? {}
      : { pullRequestHead: head.state === 'listed' ? { state: 'listed', pullRequest: number, calls: head.calls, head: head.value.details.head } : head })
  }
}

type Looked<T> =
  | { readonly state: 'listed'; readonly value: T; readonly calls: number }
  | Exclude<PullRequestLookup<object>, { state: 'listed' }>

async function lookUp<T extends { readonly calls: number }>(pullRequest: number, call: () => Promise<T>): Promise<Looked<T>> {
  try {
    const value = await call()
    return { state: 'listed', value, calls: value.calls }
  } catch (error) {
    const calls = isRecord(error) && typeof error.calls === 'number' ? error.calls : 0
    if (isRecord(error) && error.cancelled === true) return { state: 'cancelled', pullRequest, calls }
    return { state: 'failed', pullRequest, reason: errorMessage(error), calls }
  }
}
