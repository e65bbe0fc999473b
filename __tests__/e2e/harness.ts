import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { loadContract } from '../../local-codebuild/contract.mjs'
import { createLocalCodeBuild, type EndpointOptions } from '../../local-codebuild/server.mjs'
import { createLocalGitHub, LOCAL_GITHUB_TOKEN, type GitHubEndpointOptions } from '../../local-github/server.mjs'
import {
  createJob,
  findNode24,
  GUARD_MAIN_ENTRY,
  GUARD_POST_ENTRY,
  ROOT,
  runAction,
  type RunOptions,
  type RunResult
} from '../../local-codebuild/run-action.mjs'

export type LocalCodeBuild = ReturnType<typeof createLocalCodeBuild>
export type LocalGitHub = ReturnType<typeof createLocalGitHub>

interface ActionMetadata {
  inputs: Record<string, { default?: string; required?: boolean; description?: string }>
  outputs?: Record<string, unknown>
  runs: { using: string; main: string; post?: string; 'post-if'?: string }
}

export const ACTION: ActionMetadata = parse(readFileSync(`${ROOT}action.yml`, 'utf8'))
export const GUARD: ActionMetadata = parse(readFileSync(`${ROOT}guard/action.yml`, 'utf8'))

/**
 * Every input of an action.yml with its declared default, as the runner passes them: the
 * runner evaluates `${{ github.token }}` to the job's token, here the local GitHub endpoint's.
 */
function defaultInputs(metadata: ActionMetadata): Record<string, string> {
  return Object.fromEntries(
    Object.entries(metadata.inputs).map(([name, input]) => [
      name,
      String(input.default ?? '').replace(/^\$\{\{\s*github\.token\s*\}\}$/, LOCAL_GITHUB_TOKEN)
    ])
  )
}

export const DEFAULT_INPUTS = defaultInputs(ACTION)
export const GUARD_DEFAULT_INPUTS = defaultInputs(GUARD)

/**
 * The runtime that action.yml declares; the end-to-end tests refuse to run on another.
 * jest.config.js leaves them out, saying why, where no Node 24 is found (and fails on
 * Linux x64, where npm ci installs one).
 */
export function node24(): string {
  if (ACTION.runs.using !== 'node24') throw new Error(`action.yml runs.using is ${ACTION.runs.using}`)
  const node = findNode24()
  if (node.path === undefined) throw new Error(`The end-to-end tests need Node 24: ${node.reason}.`)
  return node.path
}

/**
 * Starts a local endpoint, hands it to `use`, and always closes it. The endpoint checks every
 * answer against CodeBuild's shapes as the SDK knows them (local-codebuild/contract.mjs), and
 * every request the action sent is checked too: a breach fails the test.
 */
export async function withEndpoint<T>(
  options: EndpointOptions,
  use: (endpoint: LocalCodeBuild, url: string) => Promise<T>
): Promise<T> {
  const endpoint = createLocalCodeBuild({ contract: loadContract(), ...options })
  const url = await endpoint.listen()
  let result: T
  try {
    result = await use(endpoint, url)
  } finally {
    await endpoint.close()
  }
  expectContractKept(endpoint, { requests: true })
  return result
}

/**
 * Throws when the endpoint sent an answer CodeBuild could not send, or (with `requests`) when
 * a request broke the shapes of its operation's input.
 */
export function expectContractKept(endpoint: LocalCodeBuild, { requests = false } = {}): void {
  const contract = loadContract()
  const breaches = endpoint.contractViolations.map(
    (violation) => `answer to ${violation.operation} (HTTP ${violation.status}): ${violation.problems.join('; ')}`
  )
  if (requests) {
    for (const request of endpoint.requests) {
      const problems = request.body === undefined ? ['not JSON'] : contract.checkRequest(request.operation, request.body)
      if (problems.length > 0) breaches.push(`request ${request.operation}: ${problems.join('; ')}`)
    }
  }
  if (breaches.length > 0) {
    throw new Error(`The exchange with the local endpoint broke CodeBuild's contract:\n${breaches.join('\n')}`)
  }
}

/** Starts a local GitHub API endpoint, hands it to `use` with its URL (for GITHUB_API_URL), and always closes it. */
export async function withGitHub<T>(options: GitHubEndpointOptions, use: (github: LocalGitHub, url: string) => Promise<T>): Promise<T> {
  const github = createLocalGitHub(options)
  const url = await github.listen()
  try {
    return await use(github, url)
  } finally {
    await github.close()
  }
}

/** Runs dist/index.js under Node 24 as the runner does, every input at its default unless given. */
export function runStep(
  url: string,
  inputs: Record<string, string>,
  options: Omit<RunOptions, 'inputs' | 'endpoint'> = {}
): Promise<RunResult> {
  // A test that looks up a pull request names its local GitHub endpoint; any other lookup goes
  // to a closed port, never to api.github.com. The repository is the one the local endpoint's
  // batches build (their source location), as the runner names it in every step.
  const env = { GITHUB_API_URL: 'http://127.0.0.1:9', GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'example/app', ...options.env }
  return runAction({ ...options, env, inputs: { ...DEFAULT_INPUTS, ...inputs }, endpoint: url, node: node24() })
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

/**
 * Runs `use` with a job that has the guard; `env` is the environment of every step (the event,
 * the run). `entries` are the guard's two bundled files, dist/guard/main.js and post.js unless
 * given (a copy of dist/ without some files, say).
 */
export async function withGuardJob<T>(
  url: string,
  env: Record<string, string>,
  use: (job: GuardJob) => Promise<T>,
  entries: { readonly main: string; readonly post: string } = { main: GUARD_MAIN_ENTRY, post: GUARD_POST_ENTRY }
): Promise<T> {
  // As for runStep: a GitHub API request would go to a closed port, never to api.github.com.
  const job = createJob({ endpoint: url, node: node24(), env: { GITHUB_API_URL: 'http://127.0.0.1:9', ...env } })
  let main: { inputs: Record<string, string>; result: RunResult } | undefined
  try {
    return await use({
      runnerTemp: job.runnerTemp,
      main: async (inputs, options = {}) => {
        const all = { ...GUARD_DEFAULT_INPUTS, ...inputs }
        const result = await job.step(entries.main, { ...options, inputs: all })
        main = { inputs: all, result }
        return result
      },
      post: (options = {}) => {
        if (main === undefined) throw new Error('the post step runs only after its main step')
        return job.post(entries.post, main, options)
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

/** When the runner's cancel signals were sent and when the step exited, epoch milliseconds. */
export interface RunnerCancel {
  sigintAt?: number
  sigtermAt?: number
  sigkillAt?: number
  exitedAt?: number
}

/** The runner's cancel sequence: SIGINT, SIGTERM 7.5 s later, SIGKILL 2.5 s after that. */
export const RUNNER_SIGTERM_AFTER_MS = 7500
export const RUNNER_SIGKILL_AFTER_MS = 10_000

/**
 * Cancels the step exactly as the runner does, once `ready` says so (it is asked every 5 ms
 * with the step's output so far): SIGINT, then SIGTERM 7.5 s later and SIGKILL 2.5 s after
 * that, each only while the process still runs. Pass `onSpawn` to runStep; read the times
 * from `times` once the step has ended.
 */
export function cancelAsTheRunner(ready: (stdout: string) => boolean): {
  onSpawn: NonNullable<RunOptions['onSpawn']>
  times: RunnerCancel
} {
  const times: RunnerCancel = {}
  const onSpawn: NonNullable<RunOptions['onSpawn']> = (child, output) => {
    const timers: NodeJS.Timeout[] = []
    const running = (): boolean => child.exitCode === null && child.signalCode === null
    const poll = setInterval(() => {
      if (!ready(output.stdout())) return
      clearInterval(poll)
      times.sigintAt = Date.now()
      child.kill('SIGINT')
      timers.push(
        setTimeout(() => {
          if (!running()) return
          times.sigtermAt = Date.now()
          child.kill('SIGTERM')
        }, RUNNER_SIGTERM_AFTER_MS),
        setTimeout(() => {
          if (!running()) return
          times.sigkillAt = Date.now()
          child.kill('SIGKILL')
        }, RUNNER_SIGKILL_AFTER_MS)
      )
    }, 5)
    child.once('exit', () => {
      times.exitedAt = Date.now()
      clearInterval(poll)
      for (const timer of timers) clearTimeout(timer)
    })
  }
  return { onSpawn, times }
}
