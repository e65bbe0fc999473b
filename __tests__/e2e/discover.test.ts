// End-to-end discovery: dist/index.js under Node 24 with a real event payload file, against
// the local endpoint holding several pages of batches.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { fileURLToPath } from 'node:url'
import type { BatchSpec } from '../../local-codebuild/server.mjs'
import { createLocalGitHub } from '../../local-github/server.mjs'
import { batchesOf, runStep, withEndpoint, type LocalCodeBuild, type LocalGitHub } from './harness.js'

const PR_HEAD = '4f9a0c2b7d1e8f3a6b5c4d3e2f1a0b9c8d7e6f5a'
const OLDER = '9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d'
const PUSH_SHA = '2222222222222222222222222222222222222222'
const FAST = { 'poll-interval': '0.2' }

function eventEnv(name: 'pull_request' | 'pull_request_target' | 'push', file: string, sha: string, ref: string) {
  return {
    GITHUB_EVENT_NAME: name,
    GITHUB_EVENT_PATH: fileURLToPath(new URL(`../../__fixtures__/events/${file}.json`, import.meta.url)),
    GITHUB_SHA: sha,
    GITHUB_REF: ref
  }
}

const PULL_REQUEST: Record<string, string> = eventEnv('pull_request', 'pull_request', 'cccccccccccccccccccccccccccccccccccccccc', 'refs/pull/42/merge')
const PR_CLOSED: Record<string, string> = eventEnv('pull_request_target', 'pull_request_target_closed', 'dddddddddddddddddddddddddddddddddddddddd', 'refs/heads/main')

// Pull request 42 has two commits; the GitHub API lists them from a local endpoint.
let github: LocalGitHub
beforeAll(async () => {
  github = createLocalGitHub({ pullRequests: { 42: [OLDER, PR_HEAD] } })
  const url = await github.listen()
  for (const env of [PULL_REQUEST, PR_CLOSED]) Object.assign(env, { GITHUB_API_URL: url, GITHUB_REPOSITORY: 'example/app' })
})
afterAll(() => github.close())
const PUSH = eventEnv('push', 'push', PUSH_SHA, 'refs/heads/main')

/** Adds `count` running batches of other pull requests, so that listing takes several pages. */
function addNoise(endpoint: LocalCodeBuild, count: number, project = 'app'): void {
  for (let n = 0; n < count; n++) {
    endpoint.addBatch({ project, sourceVersion: `pr/${1000 + n}`, resolvedSourceVersion: 'f'.repeat(40), pollsToSettle: 1 })
  }
}

const add = (endpoint: LocalCodeBuild, spec: Partial<BatchSpec>): string =>
  endpoint.addBatch({ project: 'app', pollsToSettle: 1, ...spec })

describe('finding the batches of the run', () => {
  it('stops the running batches of the pull request and nothing else', async () => {
    await withEndpoint({}, async (endpoint, url) => {
      addNoise(endpoint, 240)
      const mine = [
        add(endpoint, { sourceVersion: 'pr/42', resolvedSourceVersion: OLDER }),
        add(endpoint, { sourceVersion: 'pr/42', resolvedSourceVersion: PR_HEAD }),
        add(endpoint, { sourceVersion: 'feature/matrix', resolvedSourceVersion: PR_HEAD })
      ]
      const untouched = [
        add(endpoint, { sourceVersion: 'pr/420' }),
        add(endpoint, { sourceVersion: 'pr/4' }),
        add(endpoint, { sourceVersion: 'pr/42', project: 'other-app' }),
        add(endpoint, { sourceVersion: 'pr/42', status: 'SUCCEEDED' })
      ]
      const result = await runStep(url, { 'project-name': 'app', ...FAST }, { env: PULL_REQUEST })

      expect(result.exitCode).toBe(0)
      expect(endpoint.requestsOf('StopBuildBatch').map((request) => request.body.id).sort()).toEqual([...mine].sort())
      expect(JSON.parse(result.outputs['stopped-ids']).sort()).toEqual([...mine].sort())
      for (const id of untouched) expect(endpoint.batch(id)?.buildBatchStatus).not.toBe('STOPPED')
      // 245 batches of app are in progress: three pages of ids, three calls to describe them.
      expect(endpoint.requestsOf('ListBuildBatchesForProject').map((request) => request.body)).toEqual([
        { projectName: 'app', filter: { status: 'IN_PROGRESS' }, sortOrder: 'DESCENDING', maxResults: 100 },
        expect.objectContaining({ nextToken: expect.any(String) }),
        expect.objectContaining({ nextToken: expect.any(String) })
      ])
      expect(endpoint.requestsOf('BatchGetBuildBatches').slice(0, 3).map((request) => request.body.ids.length)).toEqual([100, 100, 45])
      expect(result.stdout).toContain(
        `Candidates from the pull_request event: pr/42 (the pull request), ${PR_HEAD} (the head commit), ${OLDER} (the previous head, before).`
      )
      expect(result.stdout).toContain('Looking for in-progress batches of project app (us-east-1) built for any of 3 candidates (listed above).')
      expect(result.stdout).toContain('Found 245 in-progress batch(es) of project app; 3 match:')
      expect(result.summary).toContain('3 of 245 in-progress batches matched.')
      expect(result.outputs).toMatchObject({ status: 'STOPPED', complete: 'true' })
    })
  })

  it('keeps the batch of the current head with superseded-only', async () => {
    await withEndpoint({}, async (endpoint, url) => {
      const older = add(endpoint, { sourceVersion: 'pr/42', resolvedSourceVersion: OLDER })
      const current = add(endpoint, { sourceVersion: 'pr/42', resolvedSourceVersion: PR_HEAD })
      const result = await runStep(url, { 'project-name': 'app', 'superseded-only': 'true', ...FAST }, { env: PULL_REQUEST })

      expect(result.exitCode).toBe(0)
      expect(JSON.parse(result.outputs['stopped-ids'])).toEqual([older])
      expect(endpoint.batch(current)?.buildBatchStatus).toBe('IN_PROGRESS')
      expect(result.stdout).toContain(`Keeping ${current}: it builds the current head ${PR_HEAD}.`)
      expect(result.summary).toContain('it builds the current head')
    })
  })

  it('stops every batch of a closed pull request (pull_request_target)', async () => {
    await withEndpoint({}, async (endpoint, url) => {
      const ids = [add(endpoint, { sourceVersion: 'pr/42', resolvedSourceVersion: OLDER }), add(endpoint, { sourceVersion: 'pr/42', resolvedSourceVersion: PR_HEAD })]
      const result = await runStep(url, { 'project-name': 'app', ...FAST }, { env: PR_CLOSED })

      expect(result.exitCode).toBe(0)
      expect(JSON.parse(result.outputs['stopped-ids']).sort()).toEqual([...ids].sort())
    })
  })

  it('stops the batches of a pushed branch by commit, full ref or branch name', async () => {
    await withEndpoint({}, async (endpoint, url) => {
      const matching = [
        add(endpoint, { sourceVersion: 'main', resolvedSourceVersion: OLDER }),
        add(endpoint, { sourceVersion: 'refs/heads/main', resolvedSourceVersion: OLDER }),
        add(endpoint, { sourceVersion: PUSH_SHA })
      ]
      const other = add(endpoint, { sourceVersion: 'main-2', resolvedSourceVersion: OLDER })
      const result = await runStep(url, { 'project-name': 'app', ...FAST }, { env: PUSH })

      expect(result.exitCode).toBe(0)
      expect(JSON.parse(result.outputs['stopped-ids']).sort()).toEqual([...matching].sort())
      expect(endpoint.batch(other)?.buildBatchStatus).toBe('IN_PROGRESS')
    })
  })

  it('looks for the source-version input instead of the event', async () => {
    await withEndpoint({}, async (endpoint, url) => {
      const release = add(endpoint, { sourceVersion: 'release/2.0' })
      const pr = add(endpoint, { sourceVersion: 'pr/42' })
      const result = await runStep(url, { 'project-name': 'app', 'source-version': 'release/2.0', ...FAST }, { env: PULL_REQUEST })

      expect(result.exitCode).toBe(0)
      expect(JSON.parse(result.outputs['stopped-ids'])).toEqual([release])
      expect(endpoint.batch(pr)?.buildBatchStatus).toBe('IN_PROGRESS')
      expect(result.stdout).toContain('from the source-version input')
    })
  })

  it('only lists what it would stop with dry-run', async () => {
    await withEndpoint({}, async (endpoint, url) => {
      const found = add(endpoint, { sourceVersion: 'pr/42', resolvedSourceVersion: OLDER })
      const explicit = add(endpoint, { sourceVersion: 'main' })
      const result = await runStep(url, { 'project-name': 'app', 'batch-id': explicit, 'dry-run': 'true', ...FAST }, { env: PULL_REQUEST })

      expect(result.exitCode).toBe(0)
      expect(endpoint.requestsOf('StopBuildBatch')).toHaveLength(0)
      expect(result.stdout).toContain(`Dry run: would stop ${found} (us-east-1): status IN_PROGRESS, source version pr/42`)
      expect(result.stdout).toContain(`Dry run: would stop ${explicit} (us-east-1)`)
      expect(batchesOf(result).map((batch) => [batch.id, batch.result])).toEqual([
        [explicit, 'would-stop'],
        [found, 'would-stop']
      ])
      expect(result.outputs).toMatchObject({ 'stopped-ids': '[]', status: 'IN_PROGRESS', complete: 'false' })
      expect(result.summary).toContain('<h2>Dry run: Stop CodeBuild batch builds: 2 batches</h2>')
    })
  })

  it('stops explicit ids and discovered batches together, none twice', async () => {
    await withEndpoint({}, async (endpoint, url) => {
      const both = add(endpoint, { sourceVersion: 'pr/42', resolvedSourceVersion: OLDER })
      const explicitOnly = add(endpoint, { sourceVersion: 'main' })
      const foundOnly = add(endpoint, { sourceVersion: 'pr/42', resolvedSourceVersion: OLDER })
      const result = await runStep(url, { 'project-name': 'app', 'batch-id': `${both} ${explicitOnly}`, ...FAST }, { env: PULL_REQUEST })

      expect(result.exitCode).toBe(0)
      expect(endpoint.requestsOf('StopBuildBatch').map((request) => request.body.id).sort()).toEqual([both, explicitOnly, foundOnly].sort())
      expect(batchesOf(result).map((batch) => batch.id)).toEqual([both, explicitOnly, foundOnly])
    })
  })

  it('succeeds and says what it looked for when nothing matches', async () => {
    await withEndpoint({}, async (endpoint, url) => {
      addNoise(endpoint, 3)
      const result = await runStep(url, { 'project-name': 'app', ...FAST }, { env: PULL_REQUEST })

      expect(result.exitCode).toBe(0)
      expect(result.outputs).toMatchObject({ 'stopped-ids': '[]', batches: '[]', status: '', complete: 'true' })
      expect(result.stdout).toContain(
        'No in-progress batch of project app matched (3 in progress, looked for any of 3 candidates (listed above)).'
      )
      expect(result.summary).toContain('Nothing matched among 3 in-progress batches.')
      expect(endpoint.requestsOf('StopBuildBatch')).toHaveLength(0)
    })
  })

  it('fails before any request when neither batch-id nor project-name is given', async () => {
    await withEndpoint({}, async (endpoint, url) => {
      const result = await runStep(url, {}, { env: PULL_REQUEST })

      expect(result.exitCode).toBe(1)
      expect(result.stdout).toContain("::error::Input 'batch-id' and input 'project-name' are both empty")
      expect(endpoint.requests).toHaveLength(0)
    })
  })

  it('still stops the explicit ids when listing is denied, and fails naming the permission', async () => {
    await withEndpoint({ faults: [{ kind: 'deny', operation: 'ListBuildBatchesForProject' }] }, async (endpoint, url) => {
      const explicit = add(endpoint, { sourceVersion: 'main' })
      const result = await runStep(url, { 'project-name': 'app', 'batch-id': explicit, ...FAST }, { env: PULL_REQUEST })

      expect(result.exitCode).toBe(1)
      expect(endpoint.batch(explicit)?.buildBatchStatus).toBe('STOPPED')
      expect(result.stdout).toContain(
        '::error::Could not list the batches of project app in us-east-1: access denied: grant codebuild:ListBuildBatchesForProject on arn:aws:codebuild:us-east-1:<account-id>:project/app'
      )
    })
  })

  it('discovers among 1,000 in-progress batches with 10 list calls and 10 get calls', async () => {
    await withEndpoint({}, async (endpoint, url) => {
      addNoise(endpoint, 999)
      const mine = add(endpoint, { sourceVersion: 'pr/42', resolvedSourceVersion: OLDER })
      const result = await runStep(url, { 'project-name': 'app', wait: 'false' }, { env: PULL_REQUEST })

      expect(result.exitCode).toBe(0)
      expect(JSON.parse(result.outputs['stopped-ids'])).toEqual([mine])
      expect(endpoint.requestsOf('ListBuildBatchesForProject')).toHaveLength(10)
      expect(endpoint.requestsOf('BatchGetBuildBatches')).toHaveLength(10)
      expect(endpoint.requestsOf('StopBuildBatch')).toHaveLength(1)
    })
  })

  it('matches a batch without a source version by its commit, and leaves one it cannot place alone', async () => {
    await withEndpoint({}, async (endpoint, url) => {
      const byCommit = add(endpoint, { sourceVersion: null, resolvedSourceVersion: PR_HEAD })
      const unplaceable = [
        add(endpoint, { sourceVersion: null, resolvedSourceVersion: null }),
        add(endpoint, { sourceVersion: null, phase: 'SUBMITTED' })
      ]
      const result = await runStep(url, { 'project-name': 'app', ...FAST }, { env: PULL_REQUEST })

      expect(result.exitCode).toBe(0)
      expect(JSON.parse(result.outputs['stopped-ids'])).toEqual([byCommit])
      for (const id of unplaceable) expect(endpoint.batch(id)?.buildBatchStatus).toBe('IN_PROGRESS')
      expect(result.stdout).toContain('Found 3 in-progress batch(es) of project app; 1 match:')
      expect(result.summary).toContain('<b>Source version:</b> <em>none</em>')
    })
  })

  it('keeps, with superseded-only, a batch of the pull request whose commit is not known yet, and says why', async () => {
    await withEndpoint({}, async (endpoint, url) => {
      const older = add(endpoint, { sourceVersion: 'pr/42', resolvedSourceVersion: OLDER })
      const unresolved = [
        add(endpoint, { sourceVersion: 'pr/42', phase: 'SUBMITTED' }),
        add(endpoint, { sourceVersion: 'pr/42', phase: 'DOWNLOAD_BATCHSPEC' }),
        add(endpoint, { sourceVersion: 'pr/42', resolvedSourceVersion: null })
      ]
      const result = await runStep(url, { 'project-name': 'app', 'superseded-only': 'true', ...FAST }, { env: PULL_REQUEST })

      expect(result.exitCode).toBe(0)
      expect(JSON.parse(result.outputs['stopped-ids'])).toEqual([older])
      for (const id of unresolved) {
        expect(endpoint.batch(id)?.buildBatchStatus).toBe('IN_PROGRESS')
        expect(result.stdout).toContain(`Keeping ${id}: its commit is not known yet, so it may be this run's own batch.`)
        expect(result.summary).toContain(`Kept <code>${id}</code>: its commit is not known yet.`)
      }
    })
  })

  it('fails naming the project and the region when the project does not exist, and still stops the explicit ids', async () => {
    await withEndpoint({}, async (endpoint, url) => {
      const explicit = add(endpoint, { sourceVersion: 'main' })
      const result = await runStep(url, { 'project-name': 'no-such-app', 'batch-id': explicit, ...FAST }, { env: PULL_REQUEST })

      expect(result.exitCode).toBe(1)
      expect(endpoint.requestsOf('ListBuildBatchesForProject').map((request) => request.error)).toEqual(['ResourceNotFoundException'])
      expect(result.stdout).toContain(
        '::error::CodeBuild has no project no-such-app in us-east-1: check project-name and the region (aws-region, or AWS_REGION).'
      )
      expect(endpoint.batch(explicit)?.buildBatchStatus).toBe('STOPPED')
      expect(result.summary).toContain('❌ CodeBuild has no project no-such-app in us-east-1')
    })
  })

  it('finds nothing, and succeeds, in a project that exists without batches', async () => {
    await withEndpoint({ projects: ['app'] }, async (endpoint, url) => {
      const result = await runStep(url, { 'project-name': 'app', ...FAST }, { env: PULL_REQUEST })

      expect(result.exitCode).toBe(0)
      expect(result.stdout).toContain('No in-progress batch of project app matched (0 in progress')
      expect(endpoint.requestsOf('ListBuildBatchesForProject').map((request) => request.error)).toEqual([undefined])
    })
  })
})
