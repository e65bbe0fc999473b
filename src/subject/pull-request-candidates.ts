import { errorMessage, isRecord } from '../runtime/errors.js'
import { pullRequestNumberOf, withPullRequestCommits, type Candidates, type RunEvent } from './source-candidates.js'

/** How listing the pull request's commits went, for the log and the summary. */
export type PullRequestCommitsLookup =
  | { readonly state: 'listed'; readonly pullRequest: number; readonly count: number; readonly calls: number }
  | { readonly state: 'failed'; readonly pullRequest: number; readonly reason: string; readonly calls: number }
  | { readonly state: 'cancelled'; readonly pullRequest: number; readonly calls: number }

/**
 * Lists a pull request's commits, oldest first; rejects with a message that says why not
 * (and `cancelled: true` when the step was cancelled meanwhile).
 */
export type ListPullRequestCommits = (
  pullRequest: number
) => Promise<{ readonly commits: readonly string[]; readonly calls: number }>

export interface CandidatesWithHistory {
  readonly candidates: Candidates
  /** Absent when the event is not about a pull request. */
  readonly pullRequestCommits?: PullRequestCommitsLookup
}

/**
 * The event's candidates and, when the event is about a pull request, the pull request's
 * commits after them. A failed lookup never fails the step: the event's own candidates are
 * still looked for, and the lookup says why the commits are missing.
 */
export async function addPullRequestCommits(
  candidates: Candidates,
  event: RunEvent,
  list: ListPullRequestCommits
): Promise<CandidatesWithHistory> {
  const pullRequest = pullRequestNumberOf(event)
  if (pullRequest === undefined) return { candidates }
  try {
    const { commits, calls } = await list(pullRequest)
    const extended = withPullRequestCommits(candidates, commits)
    const count = extended.list.length - candidates.list.length
    return { candidates: extended, pullRequestCommits: { state: 'listed', pullRequest, count, calls } }
  } catch (error) {
    const calls = isRecord(error) && typeof error.calls === 'number' ? error.calls : 0
    if (isRecord(error) && error.cancelled === true) return { candidates, pullRequestCommits: { state: 'cancelled', pullRequest, calls } }
    return { candidates, pullRequestCommits: { state: 'failed', pullRequest, reason: errorMessage(error), calls } }
  }
}
