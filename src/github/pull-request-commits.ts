import { askAboutPullRequest, type PullRequestQuery } from './pull-request-query.js'

export interface PullRequestCommits {
  /** The SHAs, oldest first, as the API lists them. */
  readonly commits: readonly string[]
  /** HTTP requests sent, retries included. */
  readonly calls: number
}

/** The largest page the API serves. The list ends at 250 commits, whatever the page size. */
export const COMMITS_PER_PAGE = 100

/**
 * Lists a pull request's commits with GET /repos/{owner}/{repo}/pulls/{number}/commits,
 * every page at 100 a page, following the Link header (150 commits: 2 requests; the API's
 * limit of 250: 3). Needs `pull-requests: read` for the token. Rejects with a
 * PullRequestLookupError.
 */
export async function listPullRequestCommits(query: PullRequestQuery): Promise<PullRequestCommits> {
  const { value, calls } = await askAboutPullRequest(query, async (client, { owner, repo }) => {
    const commits: string[] = []
    const pages = client.octokit.paginate.iterator('GET /repos/{owner}/{repo}/pulls/{pull_number}/commits', {
      owner,
      repo,
      pull_number: query.pullRequest,
      per_page: COMMITS_PER_PAGE
    })
    for await (const page of pages) {
      for (const commit of page.data) if (typeof commit.sha === 'string') commits.push(commit.sha)
    }
    return commits
  })
  return { commits: value, calls }
}
