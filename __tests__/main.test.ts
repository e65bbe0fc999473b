// main.ts in this process, with the real SDK against the local endpoint: the wiring of
// inputs, client, core, outputs and summary, measured by coverage. The end-to-end tests
// run the same code bundled, in a child process, as the runner does.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseOutputFile } from '../local-codebuild/run-action.mjs'
import { createLocalCodeBuild, LOCAL_ACCESS_KEY_ID, LOCAL_SECRET_ACCESS_KEY } from '../local-codebuild/server.mjs'
import { listenForCancellation, type Cancellation } from '../src/cancellation.js'
import { run } from '../src/main.js'
import { DEFAULT_INPUTS } from './e2e/harness.js'

let endpoint: ReturnType<typeof createLocalCodeBuild>
let work: string
let stdout: string
let cancellation: Cancellation
const savedEnv = { ...process.env }

// @actions/core's summary remembers the file it wrote first, so all tests share one folder.
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'main-test-'))
})
afterAll(() => rmSync(work, { recursive: true, force: true }))

beforeEach(async () => {
  endpoint = createLocalCodeBuild()
  const url = await endpoint.listen()
  for (const file of ['output', 'summary']) writeFileSync(join(work, file), '')
  Object.assign(process.env, {
    GITHUB_OUTPUT: join(work, 'output'),
    GITHUB_STEP_SUMMARY: join(work, 'summary'),
    AWS_ENDPOINT_URL_CODEBUILD: url,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: LOCAL_ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY: LOCAL_SECRET_ACCESS_KEY,
    AWS_EC2_METADATA_DISABLED: 'true'
  })
  setInputs({ 'poll-interval': '0.1' })
  stdout = ''
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk)
    return true
  })
  cancellation = listenForCancellation()
})

afterEach(async () => {
  jest.restoreAllMocks()
  cancellation.dispose()
  process.env = { ...savedEnv }
  process.exitCode = undefined
  await endpoint.close()
})

function setInputs(inputs: Record<string, string>): void {
  for (const [name, value] of Object.entries({ ...DEFAULT_INPUTS, ...inputs })) {
    process.env[`INPUT_${name.toUpperCase()}`] = value
  }
}

const outputs = (): Record<string, string> => parseOutputFile(readFileSync(join(work, 'output'), 'utf8'))

describe('run', () => {
  it('stops the batch, waits, and writes outputs and summary', async () => {
    const id = endpoint.addBatch({ project: 'app', pollsToSettle: 1 })
    setInputs({ 'batch-id': id, 'poll-interval': '0.1' })

    await run(cancellation)

    expect(process.exitCode).toBeUndefined()
    expect(outputs()).toMatchObject({ status: 'STOPPED', complete: 'true', 'batch-id': id })
    expect(readFileSync(join(work, 'summary'), 'utf8')).toContain('<h2>Stop CodeBuild batch builds: 1 batch</h2>')
    expect(stdout).toContain('Poll 1: every batch has stopped.')
  })

  it('fails the step, and still writes every output, when a batch is missing', async () => {
    setInputs({ 'batch-id': 'app:00000000-0000-4000-8000-000000000000' })

    await run(cancellation)

    expect(process.exitCode).toBe(1)
    expect(stdout).toContain('::error::1 of 1 batch(es) could not be stopped')
    expect(outputs()['stopped-ids']).toBe('[]')
  })

  it('fails on bad input with the message alone', async () => {
    setInputs({ 'batch-id': 'app:nope' })

    await run(cancellation)

    expect(process.exitCode).toBe(1)
    expect(stdout).toMatch(/^::error::Input 'batch-id' has an invalid value "app:nope"/m)
    expect(endpoint.requests).toHaveLength(0)
  })

  it('reports an unexpected failure as such', async () => {
    const id = endpoint.addBatch({ project: 'app', pollsToSettle: 1 })
    setInputs({ 'batch-id': id, 'poll-interval': '0.1' })
    rmSync(join(work, 'summary'))
    mkdirSync(join(work, 'summary'))

    await run(cancellation)

    expect(process.exitCode).toBe(1)
    expect(stdout).toContain('::error::Unexpected error: ')
    rmSync(join(work, 'summary'), { recursive: true })
  })

  it('does not wait when the runner cancelled before the stop was sent', async () => {
    const id = endpoint.addBatch({ project: 'app', stopBehaviour: 'never-settles' })
    setInputs({ 'batch-id': id, 'wait-timeout': '60' })
    process.emit('SIGINT', 'SIGINT')

    await run(cancellation)

    expect(process.exitCode).toBeUndefined()
    expect(endpoint.requestsOf('StopBuildBatch')).toHaveLength(1)
    expect(endpoint.requestsOf('BatchGetBuildBatches')).toHaveLength(0)
    expect(stdout).toContain('::warning::Received SIGINT')
    expect(outputs()['stopped-ids']).toBe(JSON.stringify([id]))
  })
})
