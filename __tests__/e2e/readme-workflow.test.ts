// End-to-end: the README's workflow, piece by piece, as the runner would run it. The steps
// come from the README itself (its YAML blocks), their expressions are evaluated for each
// event, and the action runs from dist/ against the local endpoint: the way the README
// starts a batch must be found by every cleanup it shows. The shell steps run under bash
// with the real AWS CLI, where one is installed.
import { describe, expect, it } from '@jest/globals'
import { execFile, spawnSync } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'yaml'
import { parseOutputFile, ROOT } from '../../local-codebuild/run-action.mjs'
import { LOCAL_ACCESS_KEY_ID, LOCAL_SECRET_ACCESS_KEY } from '../../local-codebuild/server.mjs'
import { runStep, withEndpoint, type LocalCodeBuild } from './harness.js'
import { interpolate, stepRuns, type ExpressionContext } from './workflow-expressions.js'

interface Step {
  readonly id?: string
  readonly name?: string
  readonly if?: string
  readonly uses?: string
  readonly run?: string
  readonly env?: Record<string, string>
  readonly with?: Record<string, unknown>
}
interface Workflow {
  readonly on?: unknown
  readonly jobs?: Record<string, { readonly steps: Step[]; readonly environment?: string }>
}

const README = readFileSync(join(ROOT, 'README.md'), 'utf8')
const blocks: unknown[] = [...README.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => parse(match[1]))
const workflows = blocks.filter((block): block is Workflow => typeof block === 'object' && block !== null && 'jobs' in block)
const stepsOf = (workflow: Workflow): Step[] => Object.values(workflow.jobs ?? {}).flatMap((job) => job.steps)
const isThisAction = (step: Step): boolean => /stop-codebuild-batch@/.test(step.uses ?? '')
function find<T>(items: readonly T[], what: string, test: (item: T) => boolean): T {
  const found = items.find(test)
  if (found === undefined) throw new Error(`The README has no ${what}`)
  return found
}

const main = find(workflows, 'workflow that starts a batch (a step with id: start)', (w) => stepsOf(w).some((s) => s.id === 'start'))
const startStep = find(stepsOf(main), 'start step', (s) => s.id === 'start')
const waitStep = find(stepsOf(main), 'wait step', (s) => /wait/i.test(s.name ?? ''))
const stopStep = find(stepsOf(main), 'stop step in the start workflow', isThisAction)
const snippetSteps = find(
  blocks.filter((block): block is Step[] => Array.isArray(block)),
  '"Use it in a workflow" snippet',
  (steps) => steps.some(isThisAction)
)
const snippet = snippetSteps.find(isThisAction) as Step
const prClosedStep = find(
  workflows.filter((w) => JSON.stringify(w.on ?? null).includes('pull_request_target')).flatMap(stepsOf),
  'pull-request-closed cleanup',
  isThisAction
)
const supersededStep = find(workflows.flatMap(stepsOf), 'superseded step', (s) => isThisAction(s) && s.with?.['superseded-only'] !== undefined)
const PROJECT = /--project-name (\S+)/.exec(startStep.run ?? '')?.[1] ?? ''

/** An event payload, as far as these tests read it. */
interface Payload {
  readonly before?: string
  readonly after?: string
  readonly pull_request?: { readonly head: { readonly sha: string } & Record<string, unknown> } & Record<string, unknown>
  readonly [key: string]: unknown
}
const fixture = (name: string): Payload => JSON.parse(readFileSync(join(ROOT, '__fixtures__', 'events', `${name}.json`), 'utf8'))
const PR_HEAD = fixture('pull_request').pull_request?.head.sha ?? ''
const PUSHED = fixture('push').after ?? ''

interface Run {
  readonly eventName: string
  readonly sha: string
  readonly ref: string
  readonly payload: Payload
}
const PULL_REQUEST: Run = { eventName: 'pull_request', sha: 'c'.repeat(40), ref: 'refs/pull/42/merge', payload: fixture('pull_request') }
const PUSH: Run = { eventName: 'push', sha: PUSHED, ref: 'refs/heads/main', payload: fixture('push') }
const PR_CLOSED: Run = { eventName: 'pull_request_target', sha: 'd'.repeat(40), ref: 'refs/heads/main', payload: fixture('pull_request_target_closed') }
const NEXT_HEAD = '5'.repeat(40)
/** The run after the next push: the pull request's or the branch's head moved from the README's batch on. */
const nextRun = (run: Run): Run =>
  run.eventName === 'pull_request'
    ? {
        ...run,
        sha: 'e'.repeat(40),
        payload: {
          ...run.payload,
          action: 'synchronize',
          before: PR_HEAD,
          after: NEXT_HEAD,
          pull_request: { ...run.payload.pull_request, head: { ...run.payload.pull_request?.head, sha: NEXT_HEAD } }
        }
      }
    : { ...run, sha: NEXT_HEAD, payload: { ...run.payload, before: PUSHED, after: NEXT_HEAD } }

const contextOf = (run: Run, extra: Partial<ExpressionContext> = {}): ExpressionContext => ({
  github: { event_name: run.eventName, sha: run.sha, ref: run.ref, event: run.payload },
  ...extra
})

/** The runner's variables for a run's event; the payload goes to a file as on a runner. */
function eventEnv(run: Run, folder: string): Record<string, string> {
  const path = join(folder, `${run.eventName}-${run.sha}.json`)
  writeFileSync(path, JSON.stringify(run.payload))
  return { GITHUB_EVENT_NAME: run.eventName, GITHUB_EVENT_PATH: path, GITHUB_SHA: run.sha, GITHUB_REF: run.ref }
}

/** The step's `with:`, every expression evaluated; polls 0.2 s apart to keep the test short. */
const inputsOf = (step: Step, context: ExpressionContext): Record<string, string> => ({
  'poll-interval': '0.2',
  ...Object.fromEntries(Object.entries(step.with ?? {}).map(([name, value]) => [name, interpolate(String(value), context)]))
})

/** The source version the README's start step passes to start-build-batch on this run. */
function startSourceVersion(run: Run): string {
  expect(startStep.run).toMatch(/--source-version "\$SOURCE_VERSION"/)
  return interpolate(startStep.env?.SOURCE_VERSION ?? '', contextOf(run))
}

/** A batch as CodeBuild reports it once started that way: a commit SHA is also the resolved commit. */
const startedBatch = (endpoint: LocalCodeBuild, sourceVersion: string): string =>
  endpoint.addBatch({ project: PROJECT, sourceVersion, resolvedSourceVersion: sourceVersion, pollsToSettle: 1 })

describe("the README's workflow", () => {
  it('starts pull request batches with the head commit, and others with the pushed commit', () => {
    expect(PROJECT).toBe('my-app')
    expect(startSourceVersion(PULL_REQUEST)).toBe(PR_HEAD)
    expect(startSourceVersion(PULL_REQUEST)).not.toBe(PULL_REQUEST.sha)
    expect(startSourceVersion(PUSH)).toBe(PUSHED)
  })

  it.each<[string, 'success' | 'failure' | 'cancelled', boolean]>([
    ['a failed step', 'failure', true],
    ['a cancel', 'cancelled', true],
    ['success', 'success', false]
  ])('runs the stop step after %s', (_what, status, runs) => {
    for (const step of [stopStep, snippet]) {
      const started = contextOf(PUSH, { status, steps: { start: { outputs: { 'batch-id': 'my-app:x' } } } })
      expect(stepRuns(step.if, started)).toBe(runs)
      // Nothing started, nothing to stop, whatever happened.
      expect(stepRuns(step.if, { ...started, steps: { start: { outputs: {} } } })).toBe(false)
    }
    expect(snippet.with).toEqual(stopStep.with)
    // The snippet starts the batch as the whole workflow does.
    expect(snippetSteps.find((step) => step.id === 'start')).toEqual(startStep)
  })

  it.each([PULL_REQUEST, PUSH])('is found by every cleanup it shows ($eventName)', async (run) => {
    const folder = mkdtempSync(join(tmpdir(), 'readme-workflow-'))
    try {
      await withEndpoint({}, async (endpoint, url) => {
        const sourceVersion = startSourceVersion(run)

        // The stop step of the same run, with the id the start step wrote.
        const started = startedBatch(endpoint, sourceVersion)
        const cancel = await runStep(
          url,
          inputsOf(stopStep, contextOf(run, { status: 'cancelled', steps: { start: { outputs: { 'batch-id': started } } } })),
          { env: eventEnv(run, folder) }
        )
        expect(cancel.exitCode).toBe(0)
        expect(JSON.parse(cancel.outputs['stopped-ids'])).toEqual([started])

        // The next push's superseded step stops the older batch and keeps the current one.
        const older = startedBatch(endpoint, sourceVersion)
        const next = nextRun(run)
        const current = startedBatch(endpoint, startSourceVersion(next))
        const superseded = await runStep(url, inputsOf(supersededStep, contextOf(next)), { env: eventEnv(next, folder) })
        expect(superseded.exitCode).toBe(0)
        expect(JSON.parse(superseded.outputs['stopped-ids'])).toEqual([older])
        expect(endpoint.batch(current)?.buildBatchStatus).toBe('IN_PROGRESS')

        // The pull request's cleanup when it is closed.
        if (run.eventName === 'pull_request') {
          const leftOver = startedBatch(endpoint, sourceVersion)
          const closed = await runStep(url, inputsOf(prClosedStep, contextOf(PR_CLOSED)), { env: eventEnv(PR_CLOSED, folder) })
          expect(closed.exitCode).toBe(0)
          expect(JSON.parse(closed.outputs['stopped-ids'])).toContain(leftOver)
        }
      })
    } finally {
      rmSync(folder, { recursive: true, force: true })
    }
  })
})

// The shell steps need the AWS CLI; GitHub's hosted runners have it. Where it is missing,
// these tests are left out, and say so.
const AWS_CLI = spawnSync('aws', ['--version'], { encoding: 'utf8' }).status === 0
if (!AWS_CLI) process.stderr.write("Skipping the README's shell steps: the AWS CLI (aws) is not installed.\n")
const describeWithAwsCli = AWS_CLI ? describe : describe.skip

interface ShellResult {
  readonly code: number
  readonly stdout: string
  readonly outputs: Record<string, string>
}

/** Runs a step's script as GitHub runs `run:` with the default shell, against the local endpoint. */
async function runScript(step: Step, url: string, context: ExpressionContext): Promise<ShellResult> {
  const folder = mkdtempSync(join(tmpdir(), 'readme-step-'))
  try {
    // `sleep 20` in the wait loop takes 50 ms here.
    const bin = join(folder, 'bin')
    mkdirSync(bin)
    const sleep = spawnSync('sh', ['-c', 'command -v sleep'], { encoding: 'utf8' }).stdout.trim()
    writeFileSync(join(bin, 'sleep'), `#!/bin/sh\nexec ${sleep} 0.05\n`)
    chmodSync(join(bin, 'sleep'), 0o755)
    const script = join(folder, 'step.sh')
    writeFileSync(script, step.run ?? '')
    const output = join(folder, 'output')
    writeFileSync(output, '')
    const env = {
      PATH: `${bin}:${process.env.PATH}`,
      HOME: folder,
      GITHUB_OUTPUT: output,
      AWS_ACCESS_KEY_ID: LOCAL_ACCESS_KEY_ID,
      AWS_SECRET_ACCESS_KEY: LOCAL_SECRET_ACCESS_KEY,
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_CONFIG_FILE: join(folder, 'no-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(folder, 'no-credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_ENDPOINT_URL_CODEBUILD: url,
      ...Object.fromEntries(Object.entries(step.env ?? {}).map(([name, value]) => [name, interpolate(value, context)]))
    }
    const { code, stdout } = await new Promise<{ code: number; stdout: string }>((resolve) => {
      execFile('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], { env, timeout: 60_000 }, (error, out) =>
        resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout: out })
      )
    })
    return { code, stdout, outputs: parseOutputFile(readFileSync(output, 'utf8')) }
  } finally {
    rmSync(folder, { recursive: true, force: true })
  }
}

const withBatchId = (id: string): ExpressionContext => contextOf(PUSH, { steps: { start: { outputs: { 'batch-id': id } } } })

describeWithAwsCli("the README's shell steps, with the AWS CLI", () => {
  it('starts the batch with the head commit of the pull request and writes its id at once', async () => {
    await withEndpoint({ projects: [PROJECT] }, async (endpoint, url) => {
      const result = await runScript(startStep, url, contextOf(PULL_REQUEST))

      expect(result.code).toBe(0)
      const [start] = endpoint.requestsOf('StartBuildBatch')
      expect(start.body).toMatchObject({ projectName: PROJECT, sourceVersion: PR_HEAD })
      expect(endpoint.batch(result.outputs['batch-id'])?.sourceVersion).toBe(PR_HEAD)
    })
  })

  it.each<['SUCCEEDED' | 'FAILED' | 'STOPPED' | 'TIMED_OUT', number]>([
    ['SUCCEEDED', 0],
    ['FAILED', 1],
    ['STOPPED', 1],
    ['TIMED_OUT', 1]
  ])('waits for a batch that ends %s and exits %i', async (status, code) => {
    await withEndpoint({}, async (endpoint, url) => {
      const id = endpoint.addBatch({ project: PROJECT })
      const flip = setInterval(() => {
        if (endpoint.requestsOf('BatchGetBuildBatches').length < 2) return
        const batch = endpoint.batch(id)
        if (batch !== undefined) batch.buildBatchStatus = status
        clearInterval(flip)
      }, 10)
      const result = await runScript(waitStep, url, withBatchId(id)).finally(() => clearInterval(flip))

      expect(result.code).toBe(code)
      expect(endpoint.requestsOf('BatchGetBuildBatches').length).toBeGreaterThanOrEqual(3)
      if (code !== 0) expect(result.stdout).toContain(`::error::Batch ${id} ended with status ${status}`)
    })
  })

  it('fails at once, instead of looping, when the aws call fails', async () => {
    await withEndpoint({ faults: [{ kind: 'deny', operation: 'BatchGetBuildBatches' }] }, async (endpoint, url) => {
      const id = endpoint.addBatch({ project: PROJECT })
      const result = await runScript(waitStep, url, withBatchId(id))

      expect(result.code).not.toBe(0)
      expect(endpoint.requestsOf('BatchGetBuildBatches').length).toBeLessThanOrEqual(5)
    })
  })

  it('fails for a batch that does not exist', async () => {
    await withEndpoint({}, async (endpoint, url) => {
      const result = await runScript(waitStep, url, withBatchId(`${PROJECT}:00000000-0000-4000-8000-000000000000`))

      expect(result.code).toBe(1)
      expect(endpoint.requestsOf('BatchGetBuildBatches')).toHaveLength(1)
    })
  })
})
