// Runs main.ts in the jest process, with the real SDK against the local endpoint, for the
// coverage of the wiring (inputs, client, core, outputs, summary). The end-to-end tests run
// the same code bundled, in a child process, as the runner does.
import { afterAll, afterEach, beforeAll, beforeEach, jest } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseOutputFile } from '../local-codebuild/run-action.mjs'
import { loadContract } from '../local-codebuild/contract.mjs'
import { createLocalCodeBuild, LOCAL_ACCESS_KEY_ID, LOCAL_SECRET_ACCESS_KEY } from '../local-codebuild/server.mjs'
import { listenForCancellation, type Cancellation } from '../src/runtime/cancellation.js'
import { run } from '../src/main.js'
import { DEFAULT_INPUTS, expectContractKept } from './e2e/harness.js'

export interface InProcessAction {
  readonly endpoint: () => ReturnType<typeof createLocalCodeBuild>
  /** Sets every input: the given ones, the others at their action.yml default. */
  readonly setInputs: (inputs: Record<string, string>) => void
  readonly run: () => Promise<void>
  readonly stdout: () => string
  readonly outputs: () => Record<string, string>
  readonly summary: () => string
  /** The folder holding the GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files. */
  readonly work: () => string
}

/** Registers the hooks of a test file that runs main.ts in process; `env` is set for every test. */
export function useInProcessAction(env: Record<string, string> = {}): InProcessAction {
  let endpoint: ReturnType<typeof createLocalCodeBuild>
  let work = ''
  let stdout = ''
  let cancellation: Cancellation
  const savedEnv = { ...process.env }

  // @actions/core's summary remembers the file it wrote first, so a file's tests share one folder.
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'in-process-'))
  })
  afterAll(() => rmSync(work, { recursive: true, force: true }))

  beforeEach(async () => {
    endpoint = createLocalCodeBuild({ contract: loadContract() })
    const url = await endpoint.listen()
    for (const file of ['output', 'summary']) writeFileSync(join(work, file), '')
    Object.assign(process.env, {
      GITHUB_OUTPUT: join(work, 'output'),
      GITHUB_STEP_SUMMARY: join(work, 'summary'),
      AWS_ENDPOINT_URL_CODEBUILD: url,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: LOCAL_ACCESS_KEY_ID,
      AWS_SECRET_ACCESS_KEY: LOCAL_SECRET_ACCESS_KEY,
      AWS_EC2_METADATA_DISABLED: 'true',
      ...env
    })
    setInputs({})
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
    expectContractKept(endpoint, { requests: true })
  })

  function setInputs(inputs: Record<string, string>): void {
    for (const [name, value] of Object.entries({ ...DEFAULT_INPUTS, 'poll-interval': '0.1', ...inputs })) {
      process.env[`INPUT_${name.toUpperCase()}`] = value
    }
  }

  return {
    endpoint: () => endpoint,
    setInputs,
    run: () => run(cancellation),
    stdout: () => stdout,
    outputs: () => parseOutputFile(readFileSync(join(work, 'output'), 'utf8')),
    summary: () => readFileSync(join(work, 'summary'), 'utf8'),
    work: () => work
  }
}
