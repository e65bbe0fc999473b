// End to end: every batch of a pull request or a push, its head commit, its earlier pushes
// and the whole history of the pull request. dist/index.js under Node 24 with the payloads
// as GitHub sends them, against the local CodeBuild endpoint and the local GitHub API.
import { beforeAll, describe, expect, it } from '@jest/globals'
import { createServer, type AddressInfo } from 'node:net'
import { copyFileSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { RunResult } from '../../local-codebuild/run-action.mjs'
import { ROOT } from '../../local-codebuild/run-action.mjs'
import type { BatchSpec } from '../../local-codebuild/server.mjs'
import { LOCAL_GITHUB_TOKEN } from '../../local-github/server.mjs'
import { runStep, withEndpoint, withGitHub, type LocalCodeBuild, type LocalGitHub } from './harness.js'
import { FIVE_PUSHES as FIVE } from '../../__fixtures__/event-payloads.js'

const FAST = { 'poll-interval': '0.2' }

type Payload = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any -- event payloads, read as GitHub sends them
const fixture = (name: string): { path: string; payload: Payload } => {
  const path = fileURLToPath(new URL(`../../__fixtures__/events/${name}.json`, import.meta.url))
  return { path, payload: JSON.parse(readFileSync(path, 'utf8')) }
}

// pull_request synchronize of #42: the run's GITHUB_SHA is the test merge commit.
const SYNC = fixture('pull_request_synchronize')
const HEAD: string = SYNC.payload.after
const BEFORE: string = SYNC.payload.before
const FIRST = '5d41402abc4b2a76b9719d911017c592abcdef01'
// pull_request_target closed of #57 after five pushes: GITHUB_SHA and GITHUB_REF are the base branch's.
const CLOSED = fixture('pull_request_target_closed_after_5_pushes')
const MERGE_GROUP = fixture('merge_group')
const PUSH = fixture('push_with_before')
const MAIN_HEAD = 'dddddddddddddddddddddddddddddddddddddddd'

const runEnv = (eventName: string, event: { path: string }, sha: string, ref: string, apiUrl?: string) => ({
  GITHUB_EVENT_NAME: eventName,
  GITHUB_EVENT_PATH: event.path,
  GITHUB_SHA: sha,
  GITHUB_REF: ref,
  GITHUB_REPOSITORY: 'example/app',
  ...(apiUrl === undefined ? {} : { GITHUB_API_URL: apiUrl })
})
const syncEnv = (apiUrl: string) => runEnv('pull_request', SYNC, 'c'.repeat(40), 'refs/pull/42/merge', apiUrl)
const closedEnv = (apiUrl: string) => runEnv('pull_request_target', CLOSED, MAIN_HEAD, 'refs/heads/main', apiUrl)

const add = (endpoint: LocalCodeBuild, spec: Partial<BatchSpec>): string => endpoint.addBatch({ project: 'app', pollsToSettle: 1, ...spec })
const stoppedIds = (result: RunResult): string[] => JSON.parse(result.outputs['stopped-ids'] ?? '[]').sort()
const sorted = (ids: string[]): string[] => [...ids].sort()

/** The token reaches GitHub, and nothing the runner shows. */
function expectTokenHidden(result: RunResult): void {
  for (const text of [result.stdout, result.stderr, result.summary, JSON.stringify(result.outputs)]) {
    expect(text).not.toContain(LOCAL_GITHUB_TOKEN)
  }
}

/** GitHub with pull request 57's five commits and pull request 42's three. */
const withPullRequests = <T>(use: (github: LocalGitHub, url: string) => Promise<T>) =>
  withGitHub({ pullRequests: { 57: FIVE, 42: [FIRST, BEFORE, HEAD], 58: ['e'.repeat(40)] } }, use)

describe('the head commit', () => {
  it('stops a batch started with the head SHA whose commit is not resolved yet', async () => {
    await withPullRequests(async (_github, apiUrl) => {
      await withEndpoint({}, async (endpoint, url) => {
        const head = add(endpoint, { sourceVersion: FIVE[4], resolvedSourceVersion: null })
        const otherPullRequest = add(endpoint, { sourceVersion: 'pr/58', resolvedSourceVersion: null })
        const otherCommit = add(endpoint, { sourceVersion: 'f'.repeat(40), resolvedSourceVersion: null })
        const result = await runStep(url, { 'project-name': 'app', ...FAST }, { env: closedEnv(apiUrl) })

        expect(result.exitCode).toBe(0)
        expect(stoppedIds(result)).toEqual([head])
        for (const id of [otherPullRequest, otherCommit]) expect(endpoint.batch(id)?.buildBatchStatus).toBe('IN_PROGRESS')
        expect(result.stdout).toContain(`Matched ${head}: its source version ${FIVE[4]} is the head commit, from the pull_request_target event.`)
        expect(result.summary).toContain(`<b>Matched:</b> source version <code>${FIVE[4]}</code>, the head commit, from the pull&#95;request&#95;target event`)
      })
    })
  })
})

describe("the pull request's commits, from the GitHub API", () => {
  it('stops the batches of all five pushes of a closed pull request, the four earlier ones found only through the API', async () => {
    await withPullRequests(async (github, apiUrl) => {
      await withEndpoint({}, async (endpoint, url) => {
        const bySha = FIVE.map((sha) => add(endpoint, { sourceVersion: sha, resolvedSourceVersion: sha }))
        const byPullRequest = add(endpoint, { sourceVersion: 'pr/57', resolvedSourceVersion: FIVE[2] })
        const untouched = [
          add(endpoint, { sourceVersion: 'pr/58', resolvedSourceVersion: 'e'.repeat(40) }),
          add(endpoint, { sourceVersion: 'e'.repeat(40), resolvedSourceVersion: null }),
          add(endpoint, { sourceVersion: MAIN_HEAD, resolvedSourceVersion: MAIN_HEAD })
        ]
        const result = await runStep(url, { 'project-name': 'app', ...FAST }, { env: closedEnv(`${apiUrl}/api/v3`) })

        expect(result.exitCode).toBe(0)
        expect(stoppedIds(result)).toEqual(sorted([...bySha, byPullRequest]))
        for (const id of untouched) expect(endpoint.batch(id)?.buildBatchStatus).toBe('IN_PROGRESS')
        // One request, at the largest page size, with the job's token, under the GHES prefix.
        expect(github.requests).toEqual([
          expect.objectContaining({
            method: 'GET',
            path: '/api/v3/repos/example/app/pulls/57/commits',
            query: { per_page: '100' },
            authorization: `token ${LOCAL_GITHUB_TOKEN}`,
            status: 200
          })
        ])
        expect(result.stdout).toContain(
          `Candidates from the pull request's commits (GitHub API), 5 commit(s) of pull request #57 listed in 1 request(s), oldest first: ${FIVE.join(', ')}.`
        )
        for (const [n, sha] of FIVE.slice(0, 4).entries()) {
          expect(result.stdout).toContain(`Matched ${bySha[n]}: its source version ${sha} is commit ${n + 1} of 5 of the pull request, from the pull request's commits (GitHub API).`)
        }
        expect(result.stdout).toContain(`Matched ${byPullRequest}: its source version pr/57 is the pull request, from the pull_request_target event.`)
        expect(result.summary).toContain(`<b>Matched:</b> source version <code>${FIVE[0]}</code>, commit 1 of 5 of the pull request, from the pull request&#39;s commits &#40;GitHub API&#41;`)
        expect(result.summary).toContain('5 commit(s) of pull request #57 listed in 1 request(s)')
        expectTokenHidden(result)
      })
    })
  })

  it('stops a batch started for the branch whose resolved commit is an earlier commit of the pull request', async () => {
    await withPullRequests(async (_github, apiUrl) => {
      await withEndpoint({}, async (endpoint, url) => {
        const branch = add(endpoint, { sourceVersion: 'refs/heads/feature/search', resolvedSourceVersion: FIVE[1] })
        const otherBranch = add(endpoint, { sourceVersion: 'refs/heads/feature/other', resolvedSourceVersion: 'e'.repeat(40) })
        const result = await runStep(url, { 'project-name': 'app', ...FAST }, { env: closedEnv(apiUrl) })

        expect(result.exitCode).toBe(0)
        expect(stoppedIds(result)).toEqual([branch])
        expect(endpoint.batch(otherBranch)?.buildBatchStatus).toBe('IN_PROGRESS')
        expect(result.stdout).toContain(
          `Matched ${branch}: its resolved commit ${FIVE[1]} is commit 2 of 5 of the pull request, from the pull request's commits (GitHub API).`
        )
      })
    })
  })

  it('lists a pull request of 150 commits in 2 requests, 100 a page, and finds batches on both pages', async () => {
    const commits = Array.from({ length: 150 }, (_, n) => (n + 1).toString(16).padStart(40, 'a'))
    await withGitHub({ pullRequests: { 42: [...commits.slice(0, 149), HEAD] } }, async (github, apiUrl) => {
      await withEndpoint({}, async (endpoint, url) => {
        const onFirstPage = add(endpoint, { sourceVersion: commits[0], resolvedSourceVersion: null })
        const onSecondPage = add(endpoint, { sourceVersion: 'refs/heads/feature/matrix', resolvedSourceVersion: commits[119] })
        const result = await runStep(url, { 'project-name': 'app', ...FAST }, { env: syncEnv(apiUrl) })

        expect(result.exitCode).toBe(0)
        expect(stoppedIds(result)).toEqual(sorted([onFirstPage, onSecondPage]))
        expect(github.requests.map(({ path, query, authorization }) => [path, query, authorization])).toEqual([
          ['/repos/example/app/pulls/42/commits', { per_page: '100' }, `token ${LOCAL_GITHUB_TOKEN}`],
          ['/repositories/1296269/pulls/42/commits', { per_page: '100', page: '2' }, `token ${LOCAL_GITHUB_TOKEN}`]
        ])
        expect(result.stdout).toContain("Candidates from the pull request's commits (GitHub API), 150 commit(s) of pull request #42 listed in 2 request(s)")
        expect(result.stdout).toContain(`its resolved commit ${commits[119]} is commit 120 of 150 of the pull request`)
      })
    })
  })

  it('asks the API nothing when source-version is given', async () => {
    await withPullRequests(async (github, apiUrl) => {
      await withEndpoint({}, async (endpoint, url) => {
        const release = add(endpoint, { sourceVersion: 'release/2.0' })
        const result = await runStep(url, { 'project-name': 'app', 'source-version': 'release/2.0', ...FAST }, { env: closedEnv(apiUrl) })

        expect(result.exitCode).toBe(0)
        expect(stoppedIds(result)).toEqual([release])
        expect(github.requests).toHaveLength(0)
        expect(result.stdout).toContain('Candidates from the source-version input: release/2.0 (a source-version value).')
      })
    })
  })
})

describe('when the API refuses', () => {
  const cases: Array<[string, (github: LocalGitHub, url: string) => { apiUrl: string; inputs?: Record<string, string> }, string]> = [
    ['403 (no pull-requests: read)', (github, url) => (github.setFaults([{ kind: 'forbidden' }]), { apiUrl: url }), 'access denied (HTTP 403): Resource not accessible by integration'],
    ['404', (github, url) => (github.setFaults([{ kind: 'not-found' }]), { apiUrl: url }), 'not found (HTTP 404; GitHub also answers 404 when the token may not read the repository): Not Found'],
    ['the rate limit', (github, url) => (github.setFaults([{ kind: 'rate-limited' }]), { apiUrl: url }), 'the GitHub API rate limit of this token is used up (HTTP 403; it resets at'],
    ['a refused token', (_github, url) => ({ apiUrl: url, inputs: { 'github-token': 'ghs_revokedTokenOfTheJob000000000000002' } }), 'GitHub refused the token (HTTP 401): Bad credentials'],
    ['no token', (_github, url) => ({ apiUrl: url, inputs: { 'github-token': '' } }), "input 'github-token' is empty, so no token was given"],
    ['no network', () => ({ apiUrl: closedPortUrl }), 'could not reach the GitHub API at http://127.0.0.1:']
  ]
  let closedPortUrl = ''
  beforeAll(async () => {
    // A port that was free a moment ago: nothing listens there.
    const server = createServer()
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    closedPortUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    await new Promise((resolve) => server.close(resolve))
  })

  it.each(cases)("on %s it warns, naming pull-requests: read, and still stops the event's own candidates", async (what, setUp, reason) => {
    await withPullRequests(async (github, githubUrl) => {
      await withEndpoint({}, async (endpoint, url) => {
        const { apiUrl, inputs = {} } = setUp(github, githubUrl)
        const head = add(endpoint, { sourceVersion: FIVE[4], resolvedSourceVersion: null })
        const byPullRequest = add(endpoint, { sourceVersion: 'pr/57', resolvedSourceVersion: FIVE[0] })
        const earlier = add(endpoint, { sourceVersion: FIVE[0], resolvedSourceVersion: FIVE[0] })
        const result = await runStep(url, { 'project-name': 'app', ...FAST, ...inputs }, { env: closedEnv(apiUrl) })

        expect(result.exitCode).toBe(0)
        expect(stoppedIds(result)).toEqual(sorted([head, byPullRequest]))
        // Found only through the API, which refused: not stopped, and the warning says so.
        expect(endpoint.batch(earlier)?.buildBatchStatus).toBe('IN_PROGRESS')
        const warning = result.stdout.split('\n').find((line) => line.startsWith('::warning::Could not list the commits of pull request #57'))
        expect(warning).toContain(reason)
        if (what === 'no network') expect(warning).toContain('ECONNREFUSED')
        expect(warning).toContain('Give the job\'s token the permission pull-requests: read (permissions: pull-requests: read), or pass a token that has it as github-token.')
        expect(result.summary).toContain('Add <code>permissions: pull-requests: read</code> to the job')
        expect(result.stdout).not.toContain("Candidates from the pull request's commits")
        expectTokenHidden(result)
      })
    })
  })
})

describe('a cancel during the lookup', () => {
  it("ends the lookup at once, says so, and still stops the event's own candidates", async () => {
    await withGitHub({ pullRequests: { 57: FIVE }, faults: [{ kind: 'hang' }] }, async (github, apiUrl) => {
      await withEndpoint({}, async (endpoint, url) => {
        const head = add(endpoint, { sourceVersion: FIVE[4], resolvedSourceVersion: null })
        let signalledAt = 0
        const result = await runStep(url, { 'project-name': 'app', wait: 'false' }, {
          env: closedEnv(apiUrl),
          onSpawn: (child) => {
            const timer = setInterval(() => {
              if (github.requests.length === 0) return
              clearInterval(timer)
              signalledAt = performance.now()
              child.kill('SIGINT')
            }, 5)
          }
        })
        const exitedAfterMs = performance.now() - signalledAt

        expect(signalledAt).toBeGreaterThan(0)
        expect(exitedAfterMs).toBeLessThan(3000)
        expect(result.exitCode).toBe(0)
        expect(stoppedIds(result)).toEqual([head])
        expect(result.stdout).toContain(
          "::warning::The step was cancelled before the commits of pull request #57 were listed. Looking for the event's own candidates only"
        )
        expect(result.stdout).not.toContain('pull-requests: read')
        expect(github.requests).toHaveLength(1)
      })
    })
  })
})

describe('superseded-only', () => {
  it('on synchronize, stops the batches of the previous head and the older commits, and keeps the current head', async () => {
    await withPullRequests(async (_github, apiUrl) => {
      await withEndpoint({}, async (endpoint, url) => {
        const stopped = [
          add(endpoint, { sourceVersion: BEFORE, resolvedSourceVersion: null }),
          add(endpoint, { sourceVersion: 'pr/42', resolvedSourceVersion: BEFORE }),
          add(endpoint, { sourceVersion: FIRST, resolvedSourceVersion: null })
        ]
        const currentBySha = add(endpoint, { sourceVersion: HEAD, resolvedSourceVersion: null })
        const currentByPullRequest = add(endpoint, { sourceVersion: 'pr/42', resolvedSourceVersion: HEAD })
        const notYetKnown = add(endpoint, { sourceVersion: 'pr/42', resolvedSourceVersion: null })
        const result = await runStep(url, { 'project-name': 'app', 'superseded-only': 'true', ...FAST }, { env: syncEnv(apiUrl) })

        expect(result.exitCode).toBe(0)
        expect(stoppedIds(result)).toEqual(sorted(stopped))
        for (const id of [currentBySha, currentByPullRequest, notYetKnown]) expect(endpoint.batch(id)?.buildBatchStatus).toBe('IN_PROGRESS')
        expect(result.stdout).toContain(
          `Candidates from the pull_request event: pr/42 (the pull request), refs/pull/42/head (a ref of the pull request), refs/pull/42/merge (a ref of the pull request), ${HEAD} (the head commit), ${BEFORE} (the previous head, before), `
        )
        expect(result.stdout).toContain(`Matched ${stopped[0]}: its source version ${BEFORE} is the previous head, before, from the pull_request event.`)
        expect(result.stdout).toContain(`Keeping ${currentBySha}: it builds the current head ${HEAD}.`)
        expect(result.stdout).toContain(`Keeping ${currentByPullRequest}: it builds the current head ${HEAD}.`)
        expect(result.stdout).toContain(`Keeping ${notYetKnown}: its commit is not known yet, so it may be this run's own batch.`)
      })
    })
  })

  it('on push, stops the batches of before and keeps the current commit, asking the API nothing', async () => {
    const after: string = PUSH.payload.after
    const before: string = PUSH.payload.before
    await withPullRequests(async (github, apiUrl) => {
      await withEndpoint({}, async (endpoint, url) => {
        const stopped = [
          add(endpoint, { sourceVersion: before, resolvedSourceVersion: null }),
          add(endpoint, { sourceVersion: 'feature/login', resolvedSourceVersion: before })
        ]
        const current = add(endpoint, { sourceVersion: after, resolvedSourceVersion: null })
        const branchNotYetKnown = add(endpoint, { sourceVersion: 'refs/heads/feature/login', resolvedSourceVersion: null })
        const env = runEnv('push', PUSH, after, 'refs/heads/feature/login', apiUrl)
        const result = await runStep(url, { 'project-name': 'app', 'superseded-only': 'true', ...FAST }, { env })

        expect(result.exitCode).toBe(0)
        expect(stoppedIds(result)).toEqual(sorted(stopped))
        for (const id of [current, branchNotYetKnown]) expect(endpoint.batch(id)?.buildBatchStatus).toBe('IN_PROGRESS')
        expect(github.requests).toHaveLength(0)
        expect(result.stdout).toContain(
          `Candidates from the push event: ${after} (the head commit), refs/heads/feature/login (the ref), feature/login (the branch or tag name), ${before} (the previous head, before).`
        )
        expect(result.stdout).toContain(`Matched ${stopped[0]}: its source version ${before} is the previous head, before, from the push event.`)
        expect(result.stdout).toContain(`Matched ${stopped[1]}: its source version feature/login is the branch or tag name, from the push event.`)
      })
    })
  })

  it('without superseded-only, a push never stops the previous run\'s batch', async () => {
    const after: string = PUSH.payload.after
    const before: string = PUSH.payload.before
    await withEndpoint({}, async (endpoint, url) => {
      const previous = add(endpoint, { sourceVersion: before, resolvedSourceVersion: null })
      const current = add(endpoint, { sourceVersion: after, resolvedSourceVersion: null })
      const result = await runStep(url, { 'project-name': 'app', ...FAST }, { env: runEnv('push', PUSH, after, 'refs/heads/feature/login') })

      expect(result.exitCode).toBe(0)
      expect(stoppedIds(result)).toEqual([current])
      expect(endpoint.batch(previous)?.buildBatchStatus).toBe('IN_PROGRESS')
      expect(result.stdout).not.toContain(before)
    })
  })
})

describe('merge_group', () => {
  it("stops the batches of the merge group's head commit, and no other", async () => {
    const group = MERGE_GROUP.payload.merge_group
    await withPullRequests(async (github, apiUrl) => {
      await withEndpoint({}, async (endpoint, url) => {
        const branch = group.head_ref.replace('refs/heads/', '')
        const stopped = [
          add(endpoint, { sourceVersion: group.head_sha, resolvedSourceVersion: null }),
          add(endpoint, { sourceVersion: branch, resolvedSourceVersion: group.head_sha })
        ]
        const base = add(endpoint, { sourceVersion: group.base_sha, resolvedSourceVersion: group.base_sha })
        const otherGroup = add(endpoint, { sourceVersion: 'gh-readonly-queue/main/pr-43-dd17c790a5c4f6109b8eddeebe74bf9a3b6977dd', resolvedSourceVersion: group.head_sha })
        const env = runEnv('merge_group', MERGE_GROUP, group.head_sha, group.head_ref, apiUrl)
        const result = await runStep(url, { 'project-name': 'app', ...FAST }, { env })

        expect(result.exitCode).toBe(0)
        expect(stoppedIds(result)).toEqual(sorted(stopped))
        for (const id of [base, otherGroup]) expect(endpoint.batch(id)?.buildBatchStatus).toBe('IN_PROGRESS')
        expect(github.requests).toHaveLength(0)
        expect(result.stdout).toContain(
          `Candidates from the merge_group event: ${group.head_sha} (the head commit), ${group.head_ref} (the ref), ${branch} (the branch or tag name).`
        )
      })
    })
  })
})

describe('start-up', () => {
  it('stops by id, and searches a push, without the chunk that holds Octokit', async () => {
    const chunks = readdirSync(join(ROOT, 'dist')).filter((name) => /^\d+\.index\.js$/.test(name))
    // The chunk with Octokit and its HTTP client (undici); the others hold the action itself.
    const octokit = chunks.filter((name) => /undici/i.test(readFileSync(join(ROOT, 'dist', name), 'utf8')))
    expect(octokit).toHaveLength(1)
    // dist/ without that chunk: a stop that loaded Octokit would fail here.
    const bare = mkdtempSync(join(tmpdir(), 'dist-without-octokit-'))
    for (const name of ['index.js', 'package.json', ...chunks.filter((name) => !octokit.includes(name))]) {
      copyFileSync(join(ROOT, 'dist', name), join(bare, name))
    }
    await withEndpoint({}, async (endpoint, url) => {
      const byId = add(endpoint, {})
      const byPush = add(endpoint, { sourceVersion: PUSH.payload.after, resolvedSourceVersion: null })
      const stop = await runStep(url, { 'batch-id': byId, ...FAST }, { entry: join(bare, 'index.js') })
      const push = await runStep(url, { 'project-name': 'app', ...FAST }, { entry: join(bare, 'index.js'), env: runEnv('push', PUSH, PUSH.payload.after, 'refs/heads/feature/login') })

      expect([stop.exitCode, push.exitCode]).toEqual([0, 0])
      expect([stoppedIds(stop), stoppedIds(push)]).toEqual([[byId], [byPush]])
    })
  })
})
