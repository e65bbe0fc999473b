// End to end: every row of the event table. dist/index.js under Node 24 with each payload as
// GitHub sends it and GITHUB_SHA and GITHUB_REF as the runner sets them for that event (the
// default branch's own on workflow_run, issue_comment, issues, delete, schedule and the like),
// against the local CodeBuild endpoint and, for a comment on a pull request, the local GitHub API.
import { describe, expect, it } from '@jest/globals'
import type { RunResult } from '../../local-codebuild/run-action.mjs'
import type { BatchSpec } from '../../local-codebuild/server.mjs'
import { LOCAL_GITHUB_TOKEN } from '../../local-github/server.mjs'
import { runStep, withEndpoint, withGitHub, type LocalCodeBuild } from './harness.js'
import { fixture, fixturePath, payloadFile } from '../../__fixtures__/event-payloads.js'


const PR_HEAD = '4f9a0c2b7d1e8f3a6b5c4d3e2f1a0b9c8d7e6f5a'
const PR_FIRST = '5d41402abc4b2a76b9719d911017c592abcdef01'
/** The default branch's last commit: GITHUB_SHA of the events that are not about it. */
const MAIN_HEAD = 'dddddddddddddddddddddddddddddddddddddddd'
const TEST_MERGE = 'cccccccccccccccccccccccccccccccccccccccc'
const FAST = { 'poll-interval': '0.2' }

const runnerEnv = (eventName: string, path: string, sha: string, ref: string, extra: Record<string, string> = {}) => ({
  GITHUB_EVENT_NAME: eventName,
  GITHUB_EVENT_PATH: path,
  GITHUB_SHA: sha,
  GITHUB_REF: ref,
  ...extra
})
const add = (endpoint: LocalCodeBuild, spec: Partial<BatchSpec>): string => endpoint.addBatch({ project: 'app', pollsToSettle: 1, ...spec })
const stoppedIds = (result: RunResult): string[] => JSON.parse(result.outputs['stopped-ids'] ?? '[]').sort()
const sorted = (ids: string[]): string[] => [...ids].sort()
const expectRunning = (endpoint: LocalCodeBuild, ids: string[]): void => {
  for (const id of ids) expect([id, endpoint.batch(id)?.buildBatchStatus]).toEqual([id, 'IN_PROGRESS'])
}
/** The batches of the default branch, which no event here is about. */
const addMainBatches = (endpoint: LocalCodeBuild): string[] => [
  add(endpoint, { sourceVersion: MAIN_HEAD, resolvedSourceVersion: null }),
  add(endpoint, { sourceVersion: 'refs/heads/main', resolvedSourceVersion: MAIN_HEAD }),
  add(endpoint, { sourceVersion: 'main', resolvedSourceVersion: MAIN_HEAD })
]

describe('an event whose payload has pull_request', () => {
  it('pull_request_review: the pull request, its refs, its head, its head branch and the test merge commit', async () => {
    await withGitHub({ pullRequests: { 42: [PR_FIRST, PR_HEAD] } }, async (github, apiUrl) => {
      await withEndpoint({}, async (endpoint, url) => {
        const stopped = [
          add(endpoint, { sourceVersion: 'pr/42', resolvedSourceVersion: PR_FIRST }),
          add(endpoint, { sourceVersion: 'refs/pull/42/head', resolvedSourceVersion: PR_HEAD }),
          add(endpoint, { sourceVersion: TEST_MERGE, resolvedSourceVersion: null }),
          add(endpoint, { sourceVersion: 'feature/matrix', resolvedSourceVersion: PR_FIRST })
        ]
        const kept = [...addMainBatches(endpoint), add(endpoint, { sourceVersion: 'pr/43', resolvedSourceVersion: PR_HEAD })]
        const env = runnerEnv('pull_request_review', fixturePath('pull_request_review_submitted'), TEST_MERGE, 'refs/pull/42/merge', { GITHUB_API_URL: apiUrl })
        const result = await runStep(url, { 'project-name': 'app', ...FAST }, { env })

        expect(result.exitCode).toBe(0)
        expect(stoppedIds(result)).toEqual(sorted(stopped))
        expectRunning(endpoint, kept)
        expect(result.stdout).toContain('The pull_request_review event is about pull request #42.')
        expect(result.stdout).toContain(`Matched ${stopped[2]}: its source version ${TEST_MERGE} is the run's test merge commit, GITHUB_SHA, from the pull_request_review event.`)
        expect(result.stdout).toContain(`Matched ${stopped[3]}: its resolved commit ${PR_FIRST} is commit 1 of 2 of the pull request, from the pull request's commits (GitHub API).`)
        expect(github.requests.map(({ path }) => path)).toEqual(['/repos/example/app/pulls/42/commits'])
      })
    })
  })

  it("pull_request closed after a merge: GITHUB_SHA is the base branch's merge commit, and its batches stay", async () => {
    const merged = fixture('pull_request_closed_merged')
    const mergeCommit: string = merged.pull_request.merge_commit_sha
    await withGitHub({ pullRequests: { 42: [PR_FIRST, PR_HEAD] } }, async (_github, apiUrl) => {
      await withEndpoint({}, async (endpoint, url) => {
        const stopped = [add(endpoint, { sourceVersion: 'pr/42', resolvedSourceVersion: PR_HEAD }), add(endpoint, { sourceVersion: PR_HEAD, resolvedSourceVersion: null })]
        const mainsMerge = add(endpoint, { sourceVersion: mergeCommit, resolvedSourceVersion: null })
        const env = runnerEnv('pull_request', fixturePath('pull_request_closed_merged'), mergeCommit, 'refs/pull/42/merge', { GITHUB_API_URL: apiUrl })
        const result = await runStep(url, { 'project-name': 'app', ...FAST }, { env })

        expect(result.exitCode).toBe(0)
        expect(stoppedIds(result)).toEqual(sorted(stopped))
        expectRunning(endpoint, [mainsMerge])
        expect(result.stdout).not.toContain(mergeCommit)
      })
    })
  })
})

describe('issue_comment and issues on a pull request', () => {
  it.each(['issue_comment', 'issues'])(
    '%s: that pull request, its head read with GET /repos/{owner}/{repo}/pulls/{number}, never the default branch',
    async (eventName) => {
      await withGitHub({ pullRequests: { 42: [PR_FIRST, PR_HEAD] }, pullRequestHeads: { 42: { headRef: 'feature/matrix' } } }, async (github, apiUrl) => {
        await withEndpoint({}, async (endpoint, url) => {
          const stopped = [
            add(endpoint, { sourceVersion: 'pr/42', resolvedSourceVersion: PR_HEAD }),
            add(endpoint, { sourceVersion: 'refs/pull/42/merge', resolvedSourceVersion: null }),
            add(endpoint, { sourceVersion: PR_HEAD, resolvedSourceVersion: null }),
            add(endpoint, { sourceVersion: 'refs/heads/feature/matrix', resolvedSourceVersion: PR_FIRST })
          ]
          const kept = [...addMainBatches(endpoint), add(endpoint, { sourceVersion: 'refs/heads/feature/matrix', resolvedSourceVersion: 'f'.repeat(40) })]
          const env = runnerEnv(eventName, fixturePath('issue_comment_on_pull_request'), MAIN_HEAD, 'refs/heads/main', { GITHUB_API_URL: apiUrl })
          const result = await runStep(url, { 'project-name': 'app', ...FAST }, { env })

          expect(result.exitCode).toBe(0)
          expect(stoppedIds(result)).toEqual(sorted(stopped))
          expectRunning(endpoint, kept)
          expect(github.requests.map(({ path, authorization }) => [path, authorization]).sort()).toEqual([
            ['/repos/example/app/pulls/42', `token ${LOCAL_GITHUB_TOKEN}`],
            ['/repos/example/app/pulls/42/commits', `token ${LOCAL_GITHUB_TOKEN}`]
          ])
          expect(result.stdout).toContain(`The ${eventName} event is about pull request #42.`)
          expect(result.stdout).toContain(
            `Candidates from the pull request (GitHub API): ${PR_HEAD} (the head commit), refs/heads/feature/matrix (the pull request's head branch, when its commit is one of the pull request's), feature/matrix (the pull request's head branch, when its commit is one of the pull request's).`
          )
          expect(result.stdout).toContain(`Matched ${stopped[2]}: its source version ${PR_HEAD} is the head commit, from the pull request (GitHub API).`)
          expect(result.stdout).toContain(`Keeping ${kept[3]}: it was started for the pull request's head branch refs/heads/feature/matrix, but its commit ${'f'.repeat(40)} is not one of the pull request's.`)
          expect(result.stdout).not.toContain(MAIN_HEAD)
        })
      })
    }
  )

  it('warns naming pull-requests: read when the pull request cannot be read, and still stops its refs', async () => {
    await withGitHub({ pullRequests: { 42: [PR_FIRST, PR_HEAD] }, faults: [{ kind: 'forbidden' }] }, async (_github, apiUrl) => {
      await withEndpoint({}, async (endpoint, url) => {
        const byRef = add(endpoint, { sourceVersion: 'pr/42', resolvedSourceVersion: PR_HEAD })
        const bySha = add(endpoint, { sourceVersion: PR_HEAD, resolvedSourceVersion: null })
        const env = runnerEnv('issue_comment', fixturePath('issue_comment_on_pull_request'), MAIN_HEAD, 'refs/heads/main', { GITHUB_API_URL: apiUrl })
        const result = await runStep(url, { 'project-name': 'app', ...FAST }, { env })

        expect(result.exitCode).toBe(0)
        expect(stoppedIds(result)).toEqual([byRef])
        expectRunning(endpoint, [bySha])
        expect(result.stdout).toContain(
          "::warning::Could not read pull request #42 or list its commits with the GitHub API: access denied (HTTP 403): Resource not accessible by integration - https://docs.github.com/rest/pulls/pulls#get-a-pull-request; " +
            "listing its commits: access denied (HTTP 403): Resource not accessible by integration - https://docs.github.com/rest/pulls/pulls#list-commits-on-a-pull-request. Give the job's token the permission pull-requests: read"
        )
        expect(result.summary).toContain('⚠️ Pull request #42 could not be read with the GitHub API')
      })
    })
  })

  it('an issue that is not a pull request: fails before any request, naming source-version', async () => {
    await withEndpoint({}, async (endpoint, url) => {
      addMainBatches(endpoint)
      const env = runnerEnv('issues', fixturePath('issues_opened'), MAIN_HEAD, 'refs/heads/main')
      const result = await runStep(url, { 'project-name': 'app', ...FAST }, { env })

      expect(result.exitCode).toBe(1)
      expect(result.stdout).toContain(
        "::error::The issues event is about nothing whose batches can be told: issue #7 is not a pull request. Give input 'source-version' with the source versions whose batches to stop in project app"
      )
      expect(endpoint.requests).toHaveLength(0)
    })
  })
})

describe('workflow_run', () => {
  const RUN_ID = '9876543210'
  const runVariable = (value: string) => ({ environmentVariables: [{ name: 'GITHUB_RUN_ID', value }] })

  it("the run that triggered it: its batches by GITHUB_RUN_ID, its head commit, its branch and its pull request; another run's are kept", async () => {
    await withEndpoint({}, async (endpoint, url) => {
      const stopped = [
        add(endpoint, { sourceVersion: 'refs/heads/main', resolvedSourceVersion: MAIN_HEAD, ...runVariable(RUN_ID) }),
        add(endpoint, { sourceVersion: PR_HEAD, resolvedSourceVersion: null }),
        add(endpoint, { sourceVersion: 'refs/heads/feature/matrix', resolvedSourceVersion: PR_FIRST }),
        add(endpoint, { sourceVersion: 'pr/42', resolvedSourceVersion: PR_HEAD })
      ]
      const otherRun = add(endpoint, { sourceVersion: PR_HEAD, resolvedSourceVersion: PR_HEAD, ...runVariable('1111111111') })
      const kept = [...addMainBatches(endpoint), otherRun]
      const env = runnerEnv('workflow_run', fixturePath('workflow_run_completed'), MAIN_HEAD, 'refs/heads/main')
      const result = await runStep(url, { 'project-name': 'app', ...FAST }, { env })

      expect(result.exitCode).toBe(0)
      expect(stoppedIds(result)).toEqual(sorted(stopped))
      expectRunning(endpoint, kept)
      expect(result.stdout).toContain(`The workflow_run event is about workflow run ${RUN_ID}, the run that triggered this workflow.`)
      expect(result.stdout).toContain(`Matched ${stopped[0]}: its environment variable GITHUB_RUN_ID ${RUN_ID} is the id of the run, as GITHUB_RUN_ID, from the workflow_run event.`)
      expect(result.stdout).toContain(`Keeping ${otherRun}: it carries GITHUB_RUN_ID 1111111111, another run's.`)
      expect(result.summary).toContain(`Kept <code>${otherRun}</code>: it carries GITHUB&#95;RUN&#95;ID 1111111111, another run&#39;s.`)
    })
  })

  it("a run from a fork: never this repository's branch of the same name", async () => {
    const run = fixture('workflow_run_completed')
    const fork = { ...run, workflow_run: { ...run.workflow_run, pull_requests: [], head_repository: { ...run.workflow_run.head_repository, full_name: 'contributor/app' } } }
    await withEndpoint({}, async (endpoint, url) => {
      const bySha = add(endpoint, { sourceVersion: PR_HEAD, resolvedSourceVersion: null })
      const ourBranch = add(endpoint, { sourceVersion: 'feature/matrix', resolvedSourceVersion: 'f'.repeat(40) })
      const result = await runStep(url, { 'project-name': 'app', ...FAST }, { env: runnerEnv('workflow_run', payloadFile(fork), MAIN_HEAD, 'refs/heads/main') })

      expect(result.exitCode).toBe(0)
      expect(stoppedIds(result)).toEqual([bySha])
      expectRunning(endpoint, [ourBranch])
    })
  })
})

describe('delete', () => {
  it.each([
    ['branch', 'feature/old-search', 'refs/heads/feature/old-search'],
    ['tag', 'v1.0.0', 'refs/tags/v1.0.0']
  ])('the deleted %s by name and full ref; no commit, and never the default branch', async (type, name, full) => {
    const payload = { ...fixture('delete_branch'), ref: name, ref_type: type }
    await withEndpoint({}, async (endpoint, url) => {
      const stopped = [add(endpoint, { sourceVersion: name, resolvedSourceVersion: MAIN_HEAD }), add(endpoint, { sourceVersion: full, resolvedSourceVersion: null })]
      const kept = [...addMainBatches(endpoint), add(endpoint, { sourceVersion: `${name}-2`, resolvedSourceVersion: MAIN_HEAD })]
      const result = await runStep(url, { 'project-name': 'app', ...FAST }, { env: runnerEnv('delete', payloadFile(payload), MAIN_HEAD, 'refs/heads/main') })

      expect(result.exitCode).toBe(0)
      expect(stoppedIds(result)).toEqual(sorted(stopped))
      expectRunning(endpoint, kept)
      expect(result.stdout).toContain(`The delete event is about the deleted ${type} ${name}.`)
      expect(result.stdout).toContain(`Candidates from the delete event: ${full} (the ref), ${name} (the branch or tag name).`)
    })
  })
})

describe("the run's commit and ref", () => {
  it.each([
    ['push', 'push_with_before', '23cf08a9d1168241404d91e7705544bccfe41146', 'refs/heads/feature/login'],
    ['workflow_dispatch', 'workflow_dispatch', '3333333333333333333333333333333333333333', 'refs/heads/release'],
    ['schedule', 'schedule', MAIN_HEAD, 'refs/heads/main'],
    ['repository_dispatch', 'repository_dispatch', MAIN_HEAD, 'refs/heads/main'],
    ['release', 'release_published', '4444444444444444444444444444444444444444', 'refs/tags/v2.1.0']
  ])('%s: the commit, the full ref and the short name; another ref that built the same commit is kept', async (eventName, file, sha, ref) => {
    const short = ref.replace(/^refs\/(heads|tags)\//, '')
    await withEndpoint({}, async (endpoint, url) => {
      const stopped = [
        add(endpoint, { sourceVersion: sha, resolvedSourceVersion: null }),
        add(endpoint, { sourceVersion: ref, resolvedSourceVersion: 'f'.repeat(40) }),
        add(endpoint, { sourceVersion: short, resolvedSourceVersion: sha })
      ]
      const otherRef = add(endpoint, { sourceVersion: 'refs/heads/hotfix', resolvedSourceVersion: sha })
      const result = await runStep(url, { 'project-name': 'app', ...FAST }, { env: runnerEnv(eventName, fixturePath(file), sha, ref) })

      expect(result.exitCode).toBe(0)
      expect(stoppedIds(result)).toEqual(sorted(stopped))
      expectRunning(endpoint, [otherRef])
      expect(result.stdout).toContain(`The ${eventName} event is about the run's commit and ref.`)
      expect(result.stdout).toContain(
        `Keeping ${otherRef}: it was started for refs/heads/hotfix, not for this run's pull request, branch or tag, although it built this run's commit ${sha}.`
      )
    })
  })
})

describe('any other event', () => {
  it('check_run: fails before any request, naming source-version, whatever GITHUB_SHA says', async () => {
    await withEndpoint({}, async (endpoint, url) => {
      addMainBatches(endpoint)
      const result = await runStep(url, { 'project-name': 'app', ...FAST }, { env: runnerEnv('check_run', fixturePath('check_run_rerequested'), MAIN_HEAD, 'refs/heads/main') })

      expect(result.exitCode).toBe(1)
      expect(result.stdout).toContain(
        "::error::The check_run event is about nothing whose batches can be told: the event names no pull request, branch, tag or commit. Give input 'source-version'"
      )
      expect(endpoint.requests).toHaveLength(0)
    })
  })

  it('check_run with batch-id: stops the given batches only, and says why nothing was looked for', async () => {
    await withEndpoint({}, async (endpoint, url) => {
      const main = addMainBatches(endpoint)
      const given = add(endpoint, { sourceVersion: 'refs/heads/release' })
      const env = runnerEnv('check_run', fixturePath('check_run_rerequested'), MAIN_HEAD, 'refs/heads/main')
      const result = await runStep(url, { 'project-name': 'app', 'batch-id': given, ...FAST }, { env })

      expect(result.exitCode).toBe(0)
      expect(stoppedIds(result)).toEqual([given])
      expectRunning(endpoint, main)
      expect(endpoint.requestsOf('ListBuildBatchesForProject')).toHaveLength(0)
      expect(result.stdout).toContain("::warning::Nothing to look for in project app: give input 'source-version' to find batches on the check_run event.")
    })
  })

  it('with source-version: looks for what it names, on any event', async () => {
    await withEndpoint({}, async (endpoint, url) => {
      const release = add(endpoint, { sourceVersion: 'release/2.0' })
      const main = addMainBatches(endpoint)
      const env = runnerEnv('check_run', fixturePath('check_run_rerequested'), MAIN_HEAD, 'refs/heads/main')
      const result = await runStep(url, { 'project-name': 'app', 'source-version': 'release/2.0', ...FAST }, { env })

      expect(result.exitCode).toBe(0)
      expect(stoppedIds(result)).toEqual([release])
      expectRunning(endpoint, main)
    })
  })
})
