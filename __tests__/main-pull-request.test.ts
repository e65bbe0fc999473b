// Discovery on a pull request event through main.ts in process, with the real Octokit
// against the local GitHub endpoint: the wiring of the pull request's commits.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { fileURLToPath } from 'node:url'
import { createLocalGitHub, LOCAL_GITHUB_TOKEN } from '../local-github/server.mjs'
import { useInProcessAction } from './in-process.js'
import { FIVE_PUSHES as FIVE } from '../__fixtures__/event-payloads.js'

const github = createLocalGitHub({ pullRequests: { 57: FIVE } })
const env: Record<string, string> = {
  GITHUB_EVENT_NAME: 'pull_request_target',
  GITHUB_EVENT_PATH: fileURLToPath(new URL('../__fixtures__/events/pull_request_target_closed_after_5_pushes.json', import.meta.url)),
  GITHUB_SHA: 'd'.repeat(40),
  GITHUB_REF: 'refs/heads/main',
  GITHUB_REPOSITORY: 'example/app'
}
beforeAll(async () => {
  env.GITHUB_API_URL = await github.listen()
})
afterAll(() => github.close())

const action = useInProcessAction(env)

describe('run on a pull request event', () => {
  it("stops the batches of the pull request's earlier commits", async () => {
    const earlier = action.endpoint().addBatch({ project: 'app', sourceVersion: FIVE[0], resolvedSourceVersion: null, pollsToSettle: 1 })
    action.setInputs({ 'project-name': 'app', 'github-token': LOCAL_GITHUB_TOKEN })

    await action.run()

    expect(process.exitCode).toBeUndefined()
    expect(action.outputs()['stopped-ids']).toBe(JSON.stringify([earlier]))
    expect(action.stdout()).toContain(`Matched ${earlier}: its source version ${FIVE[0]} is commit 1 of 5 of the pull request`)
    expect(github.requests.at(-1)?.authorization).toBe(`token ${LOCAL_GITHUB_TOKEN}`)
  })

  it('warns and goes on with the event when the API refuses', async () => {
    github.setFaults([{ kind: 'forbidden', count: 1 }])
    const head = action.endpoint().addBatch({ project: 'app', sourceVersion: FIVE[4], resolvedSourceVersion: null, pollsToSettle: 1 })
    action.endpoint().addBatch({ project: 'app', sourceVersion: FIVE[0], resolvedSourceVersion: null })
    action.setInputs({ 'project-name': 'app', 'github-token': LOCAL_GITHUB_TOKEN })

    await action.run()

    expect(process.exitCode).toBeUndefined()
    expect(action.outputs()['stopped-ids']).toBe(JSON.stringify([head]))
    expect(action.stdout()).toContain('::warning::Could not list the commits of pull request #57 with the GitHub API: access denied (HTTP 403)')
  })
})
