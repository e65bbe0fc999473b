import type { PullRequestDetails } from '../subject/source-candidates.js'
import { askAboutPullRequest, type PullRequestQuery } from './pull-request-query.js'

/**
 * Reads a pull request's head commit and branch with GET /repos/{owner}/{repo}/pulls/{number}:
 * one request, for an event that names the pull request only by its number (a comment).
 * Needs `pull-requests: read` for the token. Rejects with a PullRequestLookupError.
 */
export async function readPullRequest(query: PullRequestQuery): Promise<{ readonly details: PullRequestDetails; readonly calls: number }> {
  const { value, calls } = await askAboutPullRequest(query, async (client, { owner, repo }) => {
    const { data } = await client.octokit.rest.pulls.get({ owner, repo, pull_number: query.pullRequest })
    return { head: data.head.sha, headRef: data.head.ref, headRepository: data.head.repo?.full_name ?? '' }
  })
  return { details: value, calls }
}
