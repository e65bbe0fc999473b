// End to end: never another pull request's, branch's, repository's or newer commit's batch.
// For each rule, a batch that must be kept beside one that must be stopped, and the log line
// that says why it was kept. dist/index.js under Node 24 against the local CodeBuild endpoint
// (which reports each batch's source as CodeBuild does) and the local GitHub API.
import { describe, expect, it } from '@jest/globals'
import type { RunResult } from '../../local-codebuild/run-action.mjs'
import type { BatchSpec } from '../../local-codebuild/server.mjs'
import { runStep, withEndpoint, withGitHub, type LocalCodeBuild } from './harness.js'
import { fixture, fixturePath, FIVE_PUSHES as FIVE, payloadFile } from '../../__fixtures__/event-payloads.js'


const FAST = { 'poll-interval': '0.2' }
const MAIN_HEAD = 'dddddddddddddddddddddddddddddddddddddddd'
// Pull request 57, closed after five pushes (pull_request_target: GITHUB_SHA is the base branch's).
const closedEnv = (apiUrl: string) => ({
  GITHUB_EVENT_NAME: 'pull_request_target',
  GITHUB_EVENT_PATH: fixturePath('pull_request_target_closed_after_5_pushes'),
  GITHUB_SHA: MAIN_HEAD,
  GITHUB_REF: 'refs/heads/main',
  GITHUB_API_URL: apiUrl
})

const add = (endpoint: LocalCodeBuild, spec: Partial<BatchSpec>): string => endpoint.addBatch({ project: 'app', pollsToSettle: 1, ...spec })
const stoppedIds = (result: RunResult): string[] => JSON.parse(result.outputs['stopped-ids'] ?? '[]').sort()
const sorted = (ids: string[]): string[] => [...ids].sort()
const expectRunning = (endpoint: LocalCodeBuild, ids: string[]): void => {
  for (const id of ids) expect([id, endpoint.batch(id)?.buildBatchStatus]).toEqual([id, 'IN_PROGRESS'])
}

describe('a batch started for a ref belongs to that ref', () => {
  it("closing pull request 57 stops its own batches, never pull request 58's built from the same commits", async () => {
    await withGitHub({ pullRequests: { 57: FIVE } }, async (_github, apiUrl) => {
      await withEndpoint({}, async (endpoint, url) => {
        const stopped = [add(endpoint, { sourceVersion: 'pr/57', resolvedSourceVersion: FIVE[3] }), add(endpoint, { sourceVersion: FIVE[3], resolvedSourceVersion: null })]
        // Pull request 58 was opened on top of 57's branch: its batch built 57's head commit.
        const stacked = add(endpoint, { sourceVersion: 'pr/58', resolvedSourceVersion: FIVE[4] })
        const stackedRef = add(endpoint, { sourceVersion: 'refs/pull/58/head', resolvedSourceVersion: FIVE[2] })
        const result = await runStep(url, { 'project-name': 'app', ...FAST }, { env: closedEnv(apiUrl) })

        expect(result.exitCode).toBe(0)
        expect(stoppedIds(result)).toEqual(sorted(stopped))
        expectRunning(endpoint, [stacked, stackedRef])
        expect(result.stdout).toContain(
          `Keeping ${stacked}: it was started for pr/58, not for this run's pull request, branch or tag, although it built this run's commit ${FIVE[4]}.`
        )
        expect(result.stdout).toContain(`Keeping ${stackedRef}: it was started for refs/pull/58/head, not for this run's pull request, branch or tag`)
      })
    })
  })

  it('a push stops its branch\'s batches and those started with its commit, never another branch that built the same commit', async () => {
    const push = fixture('push_with_before')
    await withEndpoint({}, async (endpoint, url) => {
      const stopped = [
        add(endpoint, { sourceVersion: push.after, resolvedSourceVersion: null }),
        add(endpoint, { sourceVersion: 'refs/heads/feature/login', resolvedSourceVersion: push.after })
      ]
      // The same commit pushed to a second branch: that branch's batch is its own.
      const otherBranch = add(endpoint, { sourceVersion: 'refs/heads/release/1.4', resolvedSourceVersion: push.after })
      const env = { GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: fixturePath('push_with_before'), GITHUB_SHA: push.after, GITHUB_REF: 'refs/heads/feature/login' }
      const result = await runStep(url, { 'project-name': 'app', ...FAST }, { env })

      expect(result.exitCode).toBe(0)
      expect(stoppedIds(result)).toEqual(sorted(stopped))
      expectRunning(endpoint, [otherBranch])
      expect(result.summary).toContain(`Kept <code>${otherBranch}</code>: it was started for refs/heads/release/1.4`)
    })
  })

  it("counts the pull request's head branch only at one of its commits, and only in this repository", async () => {
    await withGitHub({ pullRequests: { 57: FIVE } }, async (_github, apiUrl) => {
      await withEndpoint({}, async (endpoint, url) => {
        const atItsCommit = add(endpoint, { sourceVersion: 'feature/search', resolvedSourceVersion: FIVE[0] })
        // The branch was reset to another commit, or a new pull request reused its name.
        const elsewhere = add(endpoint, { sourceVersion: 'refs/heads/feature/search', resolvedSourceVersion: 'f'.repeat(40) })
        const notYetKnown = add(endpoint, { sourceVersion: 'feature/search', resolvedSourceVersion: null })
        const result = await runStep(url, { 'project-name': 'app', ...FAST }, { env: closedEnv(apiUrl) })

        expect(result.exitCode).toBe(0)
        expect(stoppedIds(result)).toEqual([atItsCommit])
        expectRunning(endpoint, [elsewhere, notYetKnown])
        expect(result.stdout).toContain(
          `Keeping ${elsewhere}: it was started for the pull request's head branch refs/heads/feature/search, but its commit ${'f'.repeat(40)} is not one of the pull request's.`
        )
        expect(result.stdout).toContain(
          `Keeping ${notYetKnown}: it was started for the pull request's head branch feature/search, and its commit is not known yet, so whether it is one of the pull request's cannot be told.`
        )
      })
    })

    // The same pull request from a fork: a branch of that name here is this repository's own.
    const fork = fixture('pull_request_target_closed_after_5_pushes')
    fork.pull_request.head.repo = { ...fork.pull_request.head.repo, full_name: 'contributor/app' }
    await withGitHub({ pullRequests: { 57: FIVE } }, async (_github, apiUrl) => {
      await withEndpoint({}, async (endpoint, url) => {
        const ours = add(endpoint, { sourceVersion: 'feature/search', resolvedSourceVersion: FIVE[0] })
        const byPullRequest = add(endpoint, { sourceVersion: 'pr/57', resolvedSourceVersion: FIVE[0] })
        const result = await runStep(url, { 'project-name': 'app', ...FAST }, { env: { ...closedEnv(apiUrl), GITHUB_EVENT_PATH: payloadFile(fork) } })

        expect(result.exitCode).toBe(0)
        expect(stoppedIds(result)).toEqual([byPullRequest])
        expectRunning(endpoint, [ours])
      })
    })
  })
})

describe("the batch's source must be this repository", () => {
  const github = (location: string) => ({ source: { type: 'GITHUB', location } })

  it('stops the batches of this repository, however its URL is written, and keeps another repository\'s, saying whose', async () => {
    await withGitHub({ pullRequests: { 57: FIVE } }, async (_github, apiUrl) => {
      await withEndpoint({}, async (endpoint, url) => {
        const stopped = [
          add(endpoint, { sourceVersion: 'pr/57', ...github('https://github.com/example/app.git') }),
          add(endpoint, { sourceVersion: 'pr/57', ...github('https://github.com/Example/App') }),
          // A batch without a repository is judged by the rest of the rule.
          add(endpoint, { sourceVersion: FIVE[4], resolvedSourceVersion: null, source: { type: 'NO_SOURCE' } }),
          add(endpoint, { sourceVersion: FIVE[1], resolvedSourceVersion: null, source: { type: 'S3', location: 'artifacts-bucket/app/source.zip' } })
        ]
        // The project also builds the docs repository, whose pull request 57 is another one.
        const docs = add(endpoint, { sourceVersion: 'pr/57', ...github('https://github.com/example/docs.git') })
        const mirror = add(endpoint, { sourceVersion: FIVE[4], resolvedSourceVersion: null, source: { type: 'CODECOMMIT', location: 'https://git-codecommit.us-east-1.amazonaws.com/v1/repos/app' } })
        const result = await runStep(url, { 'project-name': 'app', ...FAST }, { env: closedEnv(apiUrl) })

        expect(result.exitCode).toBe(0)
        expect(stoppedIds(result)).toEqual(sorted(stopped))
        expectRunning(endpoint, [docs, mirror])
        expect(result.stdout).toContain(
          `Keeping ${docs}: its source is the GITHUB repository https://github.com/example/docs.git, not this run's repository https://github.com/example/app.`
        )
        expect(result.stdout).toContain(`Keeping ${mirror}: its source is the CODECOMMIT repository https://git-codecommit.us-east-1.amazonaws.com/v1/repos/app`)
      })
    })
  })

  it('compares with GitHub Enterprise Server when the run is there', async () => {
    await withEndpoint({}, async (endpoint, url) => {
      const push = fixture('push')
      const ours = add(endpoint, { sourceVersion: 'main', source: { type: 'GITHUB_ENTERPRISE', location: 'https://ghe.example.com/example/app.git' } })
      const sameNameOnGitHubCom = add(endpoint, { sourceVersion: 'main', source: { type: 'GITHUB', location: 'https://github.com/example/app.git' } })
      const env = {
        GITHUB_EVENT_NAME: 'push',
        GITHUB_EVENT_PATH: fixturePath('push'),
        GITHUB_SHA: push.after,
        GITHUB_REF: 'refs/heads/main',
        GITHUB_SERVER_URL: 'https://ghe.example.com'
      }
      const result = await runStep(url, { 'project-name': 'app', ...FAST }, { env })

      expect(result.exitCode).toBe(0)
      expect(stoppedIds(result)).toEqual([ours])
      expectRunning(endpoint, [sameNameOnGitHubCom])
      expect(result.stdout).toContain(`not this run's repository https://ghe.example.com/example/app.`)
    })
  })
})

describe('superseded-only stops only commits known to be older than the head', () => {
  // Attempt 2 of the run for the pull request's second push (HEAD_2); it has moved on since.
  const C1 = '1111111111111111111111111111111111111111'
  const HEAD_2 = '2222222222222222222222222222222222222222'
  const C3 = '3333333333333333333333333333333333333333'
  const C4 = '4444444444444444444444444444444444444444'

  it("a re-run of an older run keeps the newer commits' batches, and those whose age is unknown", async () => {
    const payload = fixture('pull_request_synchronize')
    payload.before = C1
    payload.after = HEAD_2
    payload.pull_request.head.sha = HEAD_2
    await withGitHub({ pullRequests: { 42: [C1, HEAD_2, C3, C4] } }, async (_github, apiUrl) => {
      await withEndpoint({}, async (endpoint, url) => {
        const older = [add(endpoint, { sourceVersion: 'pr/42', resolvedSourceVersion: C1 }), add(endpoint, { sourceVersion: C1, resolvedSourceVersion: null })]
        const current = add(endpoint, { sourceVersion: 'pr/42', resolvedSourceVersion: HEAD_2 })
        const newer = [add(endpoint, { sourceVersion: 'pr/42', resolvedSourceVersion: C4 }), add(endpoint, { sourceVersion: C3, resolvedSourceVersion: null })]
        const unknownAge = add(endpoint, { sourceVersion: 'pr/42', resolvedSourceVersion: 'f'.repeat(40) })
        const env = {
          GITHUB_EVENT_NAME: 'pull_request',
          GITHUB_EVENT_PATH: payloadFile(payload),
          GITHUB_SHA: 'c'.repeat(40),
          GITHUB_REF: 'refs/pull/42/merge',
          GITHUB_API_URL: apiUrl,
          GITHUB_RUN_ATTEMPT: '2'
        }
        const result = await runStep(url, { 'project-name': 'app', 'superseded-only': 'true', ...FAST }, { env })

        expect(result.exitCode).toBe(0)
        expect(stoppedIds(result)).toEqual(sorted(older))
        expectRunning(endpoint, [current, ...newer, unknownAge])
        expect(result.stdout).toContain(`Keeping ${current}: it builds the current head ${HEAD_2}.`)
        expect(result.stdout).toContain(
          `Keeping ${newer[0]}: its commit ${C4} comes after the run's head ${HEAD_2} among the pull request's commits: it is newer, not superseded.`
        )
        expect(result.stdout).toContain(`Keeping ${newer[1]}: its commit ${C3} comes after the run's head ${HEAD_2}`)
        expect(result.stdout).toContain(`Keeping ${unknownAge}: its commit ${'f'.repeat(40)} is not known to be older than the run's head ${HEAD_2}`)
      })
    })
  })
})
