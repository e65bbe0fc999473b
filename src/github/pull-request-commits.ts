import { ACTION_VERSION, Inputs, USER_AGENT_NAME } from '../inputs/constants.js'
import { createGitHubClient, type GitHubClient } from './github-client.js'
import { describeGitHubError, withoutToken } from './github-error.js'

export interface PullRequestCommitsQuery {
  /** The github-token input; '' when none was given. */
  readonly token: string
  /** GITHUB_API_URL; '' means https://api.github.com. */
  readonly apiUrl: string
  /** owner/name */
  readonly repository: string
  readonly pullRequest: number
  readonly signal: AbortSignal
  /** Time limit of one request; the client's default unless given. */
  readonly requestTimeoutMs?: number
}

export interface PullRequestCommits {
  /** The SHAs, oldest first, as the API lists them. */
  readonly commits: readonly string[]
  /** HTTP requests sent, retries included. */
  readonly calls: number
}

/** The commits could not be listed; the message says why and never holds the token. */
export class PullRequestCommitsError extends Error {
  constructor(
    message: string,
    readonly calls: number,
    /** The step was cancelled: nothing was refused, so there is no permission to name. */
    readonly cancelled = false
  ) {
    super(message)
    this.name = 'PullRequestCommitsError'
  }
}

/** The largest page the API serves. The list ends at 250 commits, whatever the page size. */
export const COMMITS_PER_PAGE = 100

/**
 * Lists a pull request's commits with GET /repos/{owner}/{repo}/pulls/{number}/commits,
 * every page at 100 a page, following the Link header (150 commits: 2 requests; the API's
 * limit of 250: 3). Needs `pull-requests: read` for the token.
 */
export async function listPullRequestCommits(query: PullRequestCommitsQuery): Promise<PullRequestCommits> {
  if (query.token === '') throw new PullRequestCommitsError(`input '${Inputs.GitHubToken}' is empty, so no token was given`, 0)
  const [owner, repo, ...rest] = query.repository.split('/')
  if (!owner || !repo || rest.length > 0) {
    throw new PullRequestCommitsError('the repository is not known (GITHUB_REPOSITORY is not set)', 0)
  }
  const apiUrl = (query.apiUrl || 'https://api.github.com').replace(/\/+$/, '')
  let client: GitHubClient | undefined
  try {
    client = await createGitHubClient({
      token: query.token,
      apiUrl,
      signal: query.signal,
      userAgent: `${USER_AGENT_NAME}/${ACTION_VERSION}`,
      timeoutMs: query.requestTimeoutMs
    })
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
    return { commits, calls: client.requestCount() }
  } catch (error) {
    const calls = client?.requestCount() ?? 0
    if (query.signal.aborted) throw new PullRequestCommitsError('the step was cancelled first', calls, true)
    throw new PullRequestCommitsError(withoutToken(describeGitHubError(error, apiUrl), query.token), calls)
  }
}
