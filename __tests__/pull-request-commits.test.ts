// The GitHub side of discovery, in process: @actions/github's real Octokit against the local
// GitHub endpoint over HTTP.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import { createServer, type Server } from 'node:net'
import { createLocalGitHub, LOCAL_GITHUB_TOKEN } from '../local-github/server.mjs'
import { GITHUB_MAX_ATTEMPTS } from '../src/github/github-client.js'
import { listPullRequestCommits, PullRequestCommitsError, type PullRequestCommitsQuery } from '../src/github/pull-request-commits.js'

const shas = (count: number, seed = 'c'): string[] =>
  Array.from({ length: count }, (_, n) => createHash('sha1').update(`${seed}${n}`).digest('hex'))

let github: ReturnType<typeof createLocalGitHub>
let query: PullRequestCommitsQuery

beforeEach(async () => {
  github = createLocalGitHub({ pullRequests: { 42: shas(3), 150: shas(150), 300: shas(300) } })
  const apiUrl = await github.listen()
  query = { token: LOCAL_GITHUB_TOKEN, apiUrl, repository: 'example/app', pullRequest: 42, signal: new AbortController().signal }
})
afterEach(() => github.close())

/** The reason a lookup failed, and the requests it sent. */
async function failure(given: PullRequestCommitsQuery): Promise<PullRequestCommitsError> {
  const error = await listPullRequestCommits(given).then(
    () => undefined,
    (thrown: unknown) => thrown
  )
  expect(error).toBeInstanceOf(PullRequestCommitsError)
  return error as PullRequestCommitsError
}

describe('listPullRequestCommits', () => {
  it('lists the commits oldest first, with the token, 100 a page', async () => {
    expect(await listPullRequestCommits(query)).toEqual({ commits: shas(3), calls: 1 })
    expect(github.requests).toEqual([
      expect.objectContaining({
        method: 'GET',
        path: '/repos/example/app/pulls/42/commits',
        query: { per_page: '100' },
        authorization: `token ${LOCAL_GITHUB_TOKEN}`,
        userAgent: expect.stringMatching(/^stop-codebuild-batch\/1\.0\.0 /)
      })
    ])
  })

  it('follows the Link header through every page: 150 commits in 2 requests', async () => {
    expect(await listPullRequestCommits({ ...query, pullRequest: 150 })).toEqual({ commits: shas(150), calls: 2 })
    expect(github.requests.map(({ path, query: params }) => [path, params])).toEqual([
      ['/repos/example/app/pulls/150/commits', { per_page: '100' }],
      ['/repositories/1296269/pulls/150/commits', { per_page: '100', page: '2' }]
    ])
  })

  it('takes as many as the API returns: 250 of 300 commits in 3 requests', async () => {
    const listed = await listPullRequestCommits({ ...query, pullRequest: 300 })
    expect(listed).toEqual({ commits: shas(250), calls: 3 })
  })

  it('works under a GitHub Enterprise Server path (/api/v3)', async () => {
    expect((await listPullRequestCommits({ ...query, apiUrl: `${query.apiUrl}/api/v3/`, pullRequest: 150 })).calls).toBe(2)
    expect(github.requests.map(({ path }) => path)).toEqual([
      '/api/v3/repos/example/app/pulls/150/commits',
      '/api/v3/repositories/1296269/pulls/150/commits'
    ])
  })

  it.each<['forbidden' | 'not-found' | 'rate-limited', string]>([
    ['forbidden', 'access denied (HTTP 403): Resource not accessible by integration - https://docs.github.com/rest/pulls/pulls#list-commits-on-a-pull-request'],
    ['not-found', 'not found (HTTP 404; GitHub also answers 404 when the token may not read the repository): Not Found'],
    ['rate-limited', 'the GitHub API rate limit of this token is used up (HTTP 403; it resets at ']
  ])('says why when GitHub answers %s, and tries once', async (kind, reason) => {
    github.setFaults([{ kind }])
    const error = await failure(query)
    expect(error.message).toContain(reason)
    expect(error.calls).toBe(1)
    expect(error.cancelled).toBe(false)
    expect(github.requests).toHaveLength(1)
  })

  it('says so when GitHub refuses the token', async () => {
    const error = await failure({ ...query, token: 'ghs_wrong_token_0123456789' })
    expect(error.message).toBe('GitHub refused the token (HTTP 401): Bad credentials - https://docs.github.com/rest')
    expect(error.message).not.toContain('ghs_wrong')
  })

  it('retries a server error or a reset connection, then succeeds', async () => {
    github.setFaults([{ kind: 'server-error', count: 1 }, { kind: 'reset', count: 1 }])
    expect(await listPullRequestCommits(query)).toEqual({ commits: shas(3), calls: 3 })
  })

  it(`gives up after ${GITHUB_MAX_ATTEMPTS} attempts`, async () => {
    github.setFaults([{ kind: 'server-error', status: 503 }])
    const error = await failure(query)
    expect(error.message).toBe('HTTP 503: Server Error')
    expect(error.calls).toBe(GITHUB_MAX_ATTEMPTS)
  })

  it('says when the API cannot be reached', async () => {
    await github.close()
    const error = await failure(query)
    expect(error.message).toMatch(/^could not reach the GitHub API at http:\/\/127\.0\.0\.1:\d+: .*ECONNREFUSED/)
    expect(error.calls).toBe(GITHUB_MAX_ATTEMPTS)
  })

  it('sends nothing without a token or a repository', async () => {
    expect((await failure({ ...query, token: '' })).message).toBe("input 'github-token' is empty, so no token was given")
    expect((await failure({ ...query, repository: '' })).message).toBe('the repository is not known (GITHUB_REPOSITORY is not set)')
    expect((await failure({ ...query, repository: 'a/b/c' })).message).toBe('the repository is not known (GITHUB_REPOSITORY is not set)')
    expect(github.requests).toHaveLength(0)
  })

  describe('against a server that accepts and never answers', () => {
    let silent: Server
    let silentUrl: string
    beforeEach(async () => {
      silent = createServer(() => {})
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
      silentUrl = `http://127.0.0.1:${(silent.address() as { port: number }).port}`
    })
    afterEach(async () => {
      silent.close()
    })

    it('gives up after the time limit of each attempt', async () => {
      const started = Date.now()
      const error = await failure({ ...query, apiUrl: silentUrl, requestTimeoutMs: 200 })
      expect(error.message).toBe(`the GitHub API at ${silentUrl} gave no answer within 0.2 s, on every attempt`)
      expect(error.calls).toBe(GITHUB_MAX_ATTEMPTS)
      expect(Date.now() - started).toBeLessThan(10_000)
    })

    it('ends a hung request as soon as the step is cancelled', async () => {
      const controller = new AbortController()
      setTimeout(() => controller.abort(new Error('received SIGINT')), 100)
      const started = Date.now()
      const error = await failure({ ...query, apiUrl: silentUrl, signal: controller.signal })
      expect(error.message).toBe('the step was cancelled first')
      expect(error.cancelled).toBe(true)
      expect(Date.now() - started).toBeLessThan(5_000)
    })
  })

  it('stops at once when the step is cancelled', async () => {
    const controller = new AbortController()
    controller.abort(new Error('received SIGINT'))
    const error = await failure({ ...query, signal: controller.signal })
    expect(error.message).toBe('the step was cancelled first')
    expect(error.cancelled).toBe(true)
  })
})
