// The guard's two steps in process, for the coverage of their wiring (state, exported file,
// ownership, core). The end-to-end tests (e2e/guard.test.ts) run the same code bundled, in
// child processes, as the runner does.
import { describe, expect, it } from '@jest/globals'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseOutputFile, stateVariables } from '../local-codebuild/run-action.mjs'
import { run as runMain } from '../src/guard/main.js'
import { run as runPost } from '../src/guard/post.js'
import { listenForCancellation } from '../src/runtime/cancellation.js'
import { GUARD_DEFAULT_INPUTS } from './e2e/harness.js'
import { useInProcessAction } from './in-process.js'

const action = useInProcessAction({ GITHUB_EVENT_NAME: 'push', GITHUB_SHA: 'a'.repeat(40), GITHUB_REF: 'refs/heads/main', GITHUB_RUN_ID: '77' })

/** Runs the main step with these inputs; returns what the post step gets: its state and the exported file. */
function main(inputs: Record<string, string>): { state: Record<string, string>; file: string } {
  for (const file of ['state', 'env']) writeFileSync(join(action.work(), file), '')
  Object.assign(process.env, { GITHUB_STATE: join(action.work(), 'state'), GITHUB_ENV: join(action.work(), 'env'), RUNNER_TEMP: action.work() })
  for (const [name, value] of Object.entries({ ...GUARD_DEFAULT_INPUTS, 'poll-interval': '0.1', ...inputs })) {
    process.env[`INPUT_${name.toUpperCase()}`] = value
  }
  runMain()
  const exported = parseOutputFile(readFileSync(join(action.work(), 'env'), 'utf8'))
  return { state: parseOutputFile(readFileSync(join(action.work(), 'state'), 'utf8')), file: exported.STOP_CODEBUILD_BATCH_FILE ?? '' }
}

async function post(state: Record<string, string>): Promise<void> {
  Object.assign(process.env, stateVariables(state))
  const cancellation = listenForCancellation()
  try {
    await runPost(cancellation)
  } finally {
    cancellation.dispose()
  }
}

describe('the guard in process', () => {
  it('saves its state, exports the file, and stops what the job started and recorded', async () => {
    const { state, file } = main({ 'project-name': 'app' })
    expect(process.exitCode).toBeUndefined()
    expect(process.env.STOP_CODEBUILD_BATCH_FILE).toBe(file)
    expect(action.stdout()).toContain('Guarding CodeBuild project(s) app (us-east-1)')

    const found = action.endpoint().addBatch({ project: 'app', initiator: 'role', startTime: Date.now() / 1000, environmentVariables: [{ name: 'GITHUB_RUN_ID', value: '77' }], stopBehaviour: 'gradual', pollsToSettle: 2 })
    const recorded = action.endpoint().addBatch({ project: 'tools', pollsToSettle: 1 })
    // The recorded stops go out while the project is listed; `found` still answers IN_PROGRESS
    // after its stop, as CodeBuild's batches do for a while, so the listing sees it too.
    writeFileSync(file, `${recorded}\n${found}\n`)
    await post(state)

    expect(process.exitCode).toBeUndefined()
    expect(action.endpoint().requestsOf('StopBuildBatch').map((request) => request.body.id).sort()).toEqual([recorded, found].sort())
    expect(action.summary()).toContain(`recorded in $STOP&#95;CODEBUILD&#95;BATCH&#95;FILE, line 2; and started `)
  })

  it('fails the main step on bad input and saves nothing', () => {
    const { state } = main({ 'project-name': 'x' })
    expect(process.exitCode).toBe(1)
    expect(state).toEqual({})
    expect(action.stdout()).toContain("::error::Input 'project-name' has an invalid value \"x\"")
  })

  it('has nothing to stop when the main step saved no state', async () => {
    await post({})
    expect(process.exitCode).toBeUndefined()
    expect(action.endpoint().requests).toHaveLength(0)
    expect(action.stdout()).toContain("the guard's main step did not finish")
  })

  it('warns when the file cannot be read, and still searches the projects', async () => {
    const { state, file } = main({ 'project-name': 'app' })
    action.endpoint().addProject('app')
    rmSync(file)
    delete process.env.STOP_CODEBUILD_BATCH_FILE
    await post(state)
    expect(process.exitCode).toBeUndefined()
    expect(action.stdout()).toContain(`::warning::Could not read $STOP_CODEBUILD_BATCH_FILE (${file}): ENOENT: no such file or directory`)
    expect(action.endpoint().requestsOf('ListBuildBatchesForProject')).toHaveLength(1)
    expect(action.summary()).toContain('<code>$STOP_CODEBUILD_BATCH_FILE</code> could not be read (see the log).')
  })

  it('fails the post step on a state it cannot read', async () => {
    await post({ guard: '{"startedAt":"soon"}' })
    expect(process.exitCode).toBe(1)
    expect(action.stdout()).toContain("::error::Unexpected error: the state saved by the guard's main step is not what this version of the guard saves")
  })
})
