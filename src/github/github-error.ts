import { errorMessage, isRecord } from '../runtime/errors.js'

/** A GitHub API request that got no answer within its time limit, on every attempt. */
export class GitHubTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs / 1000} s`)
    this.name = 'GitHubTimeoutError'
  }
}

/**
 * Explains a failed GitHub API call in words a user can act on. Octokit throws a
 * RequestError with the HTTP status and, when GitHub answered, the response (its headers
 * say whether a rate limit was hit); an error without a response never reached GitHub.
 * GitHub's own message follows as it came: the log and summary renderers escape it.
 */
export function describeGitHubError(error: unknown, apiUrl: string): string {
  if (error instanceof GitHubTimeoutError) {
    return `the GitHub API at ${apiUrl} gave no answer within ${error.timeoutMs / 1000} s, on every attempt`
  }
  const message = errorMessage(error)
  const response = isRecord(error) && isRecord(error.response) ? error.response : undefined
  const status = isRecord(error) && typeof error.status === 'number' ? error.status : undefined
  if (response === undefined || status === undefined) {
    const code = systemErrorCode(error)
    return `could not reach the GitHub API at ${apiUrl}: ${message}${code !== undefined && !message.includes(code) ? ` (${code})` : ''}`
  }
  const headers = isRecord(response.headers) ? response.headers : {}
  const rateLimited =
    status === 429 || (status === 403 && (headers['x-ratelimit-remaining'] === '0' || /rate limit/i.test(message)))
  if (rateLimited) {
    const reset = Number(headers['x-ratelimit-reset'])
    const resets = Number.isFinite(reset) && reset > 0 ? `; it resets at ${new Date(reset * 1000).toISOString()}` : ''
    return `the GitHub API rate limit of this token is used up (HTTP ${status}${resets}): ${message}`
  }
  switch (status) {
    case 401:
      return `GitHub refused the token (HTTP 401): ${message}`
    case 403:
      return `access denied (HTTP 403): ${message}`
    case 404:
      return `not found (HTTP 404; GitHub also answers 404 when the token may not read the repository): ${message}`
    default:
      return `HTTP ${status}: ${message}`
  }
}

/** The system error code (ECONNREFUSED, ENOTFOUND, …) somewhere in the chain of causes: fetch hides it there. */
function systemErrorCode(error: unknown): string | undefined {
  for (let cause = error, depth = 0; isRecord(cause) && depth < 5; cause = cause.cause, depth++) {
    if (typeof cause.code === 'string' && /^E[A-Z_]+$/.test(cause.code)) return cause.code
  }
  return undefined
}

/** Whether another attempt may succeed: no answer, a timeout, or a server error. Never a refusal or a rate limit. */
export function isRetryableGitHubError(error: unknown): boolean {
  if (error instanceof GitHubTimeoutError) return true
  if (!isRecord(error)) return false
  if (!isRecord(error.response)) return true
  return typeof error.status === 'number' && error.status >= 500
}

/**
 * The text with every occurrence of the token replaced. Octokit already redacts the
 * Authorization header in its errors; this also covers a proxy or server that echoes the
 * token back in a message, so that it can reach neither the log nor the summary.
 */
export function withoutToken(text: string, token: string): string {
  return token === '' ? text : text.split(token).join('***')
}
