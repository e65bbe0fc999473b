import { describe, expect, it } from '@jest/globals'
import { describeGitHubError, GitHubTimeoutError, isRetryableGitHubError, withoutToken } from '../src/github/github-error.js'

const API = 'https://api.github.com'

/** An error shaped as Octokit's RequestError: a status and, when GitHub answered, a response. */
function httpError(status: number, message: string, headers: Record<string, string> = {}) {
  return Object.assign(new Error(message), { name: 'HttpError', status, response: { status, headers, data: { message } } })
}

describe('describeGitHubError', () => {
  it.each([
    [httpError(401, 'Bad credentials'), 'GitHub refused the token (HTTP 401): Bad credentials'],
    [httpError(403, 'Resource not accessible by integration'), 'access denied (HTTP 403): Resource not accessible by integration'],
    [httpError(404, 'Not Found'), 'not found (HTTP 404; GitHub also answers 404 when the token may not read the repository): Not Found'],
    [httpError(403, 'API rate limit exceeded', { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1700000000' }), 'the GitHub API rate limit of this token is used up (HTTP 403; it resets at 2023-11-14T22:13:20.000Z): API rate limit exceeded'],
    [httpError(403, 'You have exceeded a secondary rate limit'), 'the GitHub API rate limit of this token is used up (HTTP 403): You have exceeded a secondary rate limit'],
    [httpError(429, 'Too many requests'), 'the GitHub API rate limit of this token is used up (HTTP 429): Too many requests'],
    [httpError(422, 'Validation Failed'), 'HTTP 422: Validation Failed'],
    [new GitHubTimeoutError(10_000), 'the GitHub API at https://api.github.com gave no answer within 10 s, on every attempt'],
    [Object.assign(new Error('fetch failed'), { status: 500, cause: { code: 'ENOTFOUND' } }), 'could not reach the GitHub API at https://api.github.com: fetch failed (ENOTFOUND)'],
    ['a string', 'could not reach the GitHub API at https://api.github.com: a string']
  ])('explains %p', (error, expected) => {
    expect(describeGitHubError(error, API)).toBe(expected)
  })
})

describe('isRetryableGitHubError', () => {
  it('retries no answer, a timeout and 5xx; never a refusal or a rate limit', () => {
    expect(isRetryableGitHubError(new GitHubTimeoutError(1))).toBe(true)
    expect(isRetryableGitHubError(Object.assign(new Error('fetch failed'), { status: 500 }))).toBe(true)
    expect(isRetryableGitHubError(httpError(502, 'Bad gateway'))).toBe(true)
    expect(isRetryableGitHubError(httpError(403, 'denied'))).toBe(false)
    expect(isRetryableGitHubError(httpError(429, 'slow down'))).toBe(false)
    expect(isRetryableGitHubError('odd')).toBe(false)
  })
})

describe('withoutToken', () => {
  it('replaces every occurrence of the token', () => {
    expect(withoutToken('token ghs_abc refused; ghs_abc again', 'ghs_abc')).toBe('token *** refused; *** again')
    expect(withoutToken('nothing to hide', '')).toBe('nothing to hide')
  })
})
