import { ACTION_VERSION, Inputs, USER_AGENT_NAME } from '../inputs/constants.js'
import { createGitHubClient, type GitHubClient } from './github-client.js'
import { describeGitHubError, withoutToken } from './github-error.js'

/** Which pull request to ask the GitHub API about, and how. */
export interface PullRequestQuery {
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

/** A lookup about a pull request failed; the message says why and never holds the token. */
export class PullRequestLookupError extends Error {
  constructor(
    message: string,
    readonly calls: number,
    /** The step was cancelled: nothing was refused, so there is no permission to name. */
    readonly cancelled = false
  ) {
    super(message)
    this.name = 'PullRequestLookupError'
  }
}

/**
 * Runs `use` with a GitHub client for the query's repository, and turns any failure into a
 * PullRequestLookupError that says why in words a user can act on. Sends nothing without a
 * token or a repository. Resolves to what `use` returns and the requests sent.
 */
export async function askAboutPullRequest<T>(
  query: PullRequestQuery,
  use: (client: GitHubClient, repository: { readonly owner: string; readonly repo: string }) => Promise<T>
): Promise<{ readonly value: T; readonly calls: number }> {
  if (query.token === '') throw new PullRequestLookupError(`input '${Inputs.GitHubToken}' is empty, so no token was given`, 0)
  const [owner, repo, ...rest] = query.repository.split('/')
  if (!owner || !repo || rest.length > 0) {
    throw new PullRequestLookupError('the repository is not known (GITHUB_REPOSITORY is not set)', 0)
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
    const value = await use(client, { owner, repo })
    return { value, calls: client.requestCount() }
  } catch (error) {
    const calls = client?.requestCount() ?? 0
    if (query.signal.aborted) throw new PullRequestLookupError('the step was cancelled first', calls, true)
    throw new PullRequestLookupError(withoutToken(describeGitHubError(error, apiUrl), query.token), calls)
  }
}
