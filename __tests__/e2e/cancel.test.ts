// End to end: a cancel never costs a stop or the outputs. dist/index.js under Node 24,
// cancelled exactly as the runner cancels a step (SIGINT, SIGTERM 7.5 s later, SIGKILL 2.5 s
// after that), against the local CodeBuild endpoint answering with latency. Each test prints
// when the last stop left and when the step exited, counted from SIGINT.
import { describe, expect, it } from '@jest/globals'
import { fileURLToPath } from 'node:url'
import type { RunResult } from '../../local-codebuild/run-action.mjs'
import {
  batchesOf,
  cancelAsTheRunner,
  RUNNER_SIGKILL_AFTER_MS,
  RUNNER_SIGTERM_AFTER_MS,
  runStep,
  withEndpoint,
  type LocalCodeBuild,
  type RunnerCancel
} from './harness.js'

const PUSH_ENV = {
  GITHUB_EVENT_NAME: 'push',
  GITHUB_EVENT_PATH: fileURLToPath(new URL('../../__fixtures__/events/push.json', import.meta.url)),
  GITHUB_SHA: '2222222222222222222222222222222222222222',
  GITHUB_REF: 'refs/heads/main'
}

const stopsOf = (endpoint: LocalCodeBuild) => endpoint.requestsOf('StopBuildBatch')
const stoppedIds = (result: RunResult): string[] => JSON.parse(result.outputs['stopped-ids'] ?? '[]')

/** The timings of one cancelled step, counted from SIGINT, for the log of the test run. */
function report(name: string, times: RunnerCancel, lastStopAt: number | undefined): { lastStopMs: number; exitMs: number } {
  const sigint = times.sigintAt ?? Number.NaN
  const lastStopMs = (lastStopAt ?? Number.NaN) - sigint
  const exitMs = (times.exitedAt ?? Number.NaN) - sigint
  const sigterm = times.sigtermAt === undefined ? 'not needed' : `${times.sigtermAt - sigint} ms`
  process.stderr.write(`[cancel timings] ${name}: last stop left at ${lastStopMs} ms, SIGTERM ${sigterm}, step exited at ${exitMs} ms, counted from SIGINT\n`)
  return { lastStopMs, exitMs }
}

describe('the ids of batch-id go out at once, never behind discovery', () => {
  it('stops the given batch while ListBuildBatchesForProject is still slow to answer', async () => {
    await withEndpoint({ faults: [{ kind: 'delay', operation: 'ListBuildBatchesForProject', delayMs: 3000 }] }, async (endpoint, url) => {
      const given = endpoint.addBatch({ project: 'app', sourceVersion: 'refs/heads/release', pollsToSettle: 1 })
      const found = endpoint.addBatch({ project: 'app', sourceVersion: 'main', pollsToSettle: 1 })
      const result = await runStep(url, { 'batch-id': given, 'project-name': 'app', 'poll-interval': '0.2' }, { env: PUSH_ENV })

      expect(result.exitCode).toBe(0)
      const [list] = endpoint.requestsOf('ListBuildBatchesForProject')
      const [first, second] = stopsOf(endpoint)
      expect([first.body.id, second.body.id]).toEqual([given, found])
      // The given stop was sent and answered while the listing was held for 3 s.
      expect(first.receivedAt).toBeLessThan(list.receivedAt + 2000)
      expect(second.receivedAt).toBeGreaterThanOrEqual(list.receivedAt + 2900)
      // By the time the listing answered, the given batch had stopped: it is no longer in progress.
      expect(result.stdout.indexOf(`Stop requested for ${given}`)).toBeGreaterThanOrEqual(0)
      expect(result.stdout.indexOf(`Stop requested for ${given}`)).toBeLessThan(result.stdout.indexOf('Found 1 in-progress batch(es)'))
      expect(result.stdout).toContain('Stopping 1 CodeBuild batch build(s).')
      expect(result.stdout).toContain('Stopping 1 more CodeBuild batch build(s).')
      expect(stoppedIds(result)).toEqual([given, found])
    })
  })

  it('has stopped the given batch when the runner cancels during a hung discovery, and reports before the kill', async () => {
    await withEndpoint({ faults: [{ kind: 'hang', operation: 'ListBuildBatchesForProject', delayMs: 60_000 }] }, async (endpoint, url) => {
      const given = endpoint.addBatch({ project: 'app', sourceVersion: 'refs/heads/release' })
      const running = endpoint.addBatch({ project: 'app', sourceVersion: 'main' })
      const cancel = cancelAsTheRunner(() => endpoint.requestsOf('ListBuildBatchesForProject').length > 0 && stopsOf(endpoint).length > 0)
      const result = await runStep(url, { 'batch-id': given, 'project-name': 'app' }, { env: PUSH_ENV, onSpawn: cancel.onSpawn })
      const { times } = cancel
      const { exitMs } = report('hung discovery', times, stopsOf(endpoint).at(-1)?.receivedAtEpochMs)

      expect(result.signal).toBeNull()
      expect(times.sigtermAt).toBeDefined()
      expect(times.sigkillAt).toBeUndefined()
      expect(exitMs).toBeLessThan(RUNNER_SIGKILL_AFTER_MS - 1000)
      expect(endpoint.batch(given)?.buildBatchStatus).toBe('STOPPED')
      expect(endpoint.batch(running)?.buildBatchStatus).toBe('IN_PROGRESS')
      expect(stoppedIds(result)).toEqual([given])
      expect(result.stdout).toContain('::warning::Received SIGINT')
      expect(result.stdout).toContain('::warning::Received SIGTERM: the runner ends this step in 2.5 s')
      // Discovery never finished: the step says so and fails, after writing what it knows.
      expect(result.exitCode).toBe(1)
      expect(result.stdout).toContain('::error::The runner ended the step (SIGTERM) before project app in us-east-1 was searched')
      expect(result.summary).toContain('❌ The runner ended the step &#40;SIGTERM&#41; before project app in us-east-1 was searched')
      expect(result.summary).toContain('1 stopped.')
    })
  })
})

describe('after SIGINT, every stop still to be sent goes out at once', () => {
  it('gets all of 400 ids at 350 ms a request their stop before the kill', async () => {
    await withEndpoint({ latencyMs: 350 }, async (endpoint, url) => {
      const ids = Array.from({ length: 400 }, () => endpoint.addBatch({ project: 'app' }))
      // Cancelled as soon as the first stops are out: at ten at a time, the rest would take
      // 39 more rounds of 350 ms, 13.7 s, longer than the 10 s before the kill.
      const cancel = cancelAsTheRunner(() => stopsOf(endpoint).length > 0)
      const result = await runStep(url, { 'batch-id': ids.join('\n') }, { onSpawn: cancel.onSpawn, timeoutMs: 60_000 })
      const { times } = cancel
      const stops = stopsOf(endpoint)
      const { lastStopMs, exitMs } = report('400 ids at 350 ms', times, stops.at(-1)?.receivedAtEpochMs)

      expect(result.signal).toBeNull()
      expect(result.exitCode).toBe(0)
      expect(stops.map((request) => request.body.id).sort()).toEqual([...ids].sort())
      expect(ids.every((id) => endpoint.batch(id)?.buildBatchStatus === 'STOPPED')).toBe(true)
      expect(stoppedIds(result).sort()).toEqual([...ids].sort())
      // Far quicker than ten at a time could be, and with every answer in before SIGTERM.
      expect(lastStopMs).toBeLessThan(RUNNER_SIGTERM_AFTER_MS - 1500)
      expect(times.sigtermAt).toBeUndefined()
      expect(exitMs).toBeLessThan(RUNNER_SIGTERM_AFTER_MS)
      expect(result.stdout).toContain('The step was cancelled while waiting')
    })
  })
})

describe('at SIGTERM the step reports what it knows and exits well before the kill', () => {
  it('reports a stop still in flight as requested and not confirmed, and writes the outputs and the summary', async () => {
    await withEndpoint({ latencyMs: 200, faults: [{ kind: 'hang', operation: 'StopBuildBatch', count: 1, delayMs: 60_000 }] }, async (endpoint, url) => {
      const ids = Array.from({ length: 3 }, () => endpoint.addBatch({ project: 'app' }))
      // The endpoint leaves the first stop that reaches it unanswered; the two others are answered.
      const cancel = cancelAsTheRunner((stdout) => stdout.split('Stop requested for').length - 1 === 2)
      const result = await runStep(url, { 'batch-id': ids.join(',') }, { onSpawn: cancel.onSpawn })
      const { times } = cancel
      const hung = stopsOf(endpoint).find((request) => request.fault === 'hang')?.body.id
      const answered = ids.filter((id) => id !== hung)
      const { exitMs } = report('a stop in flight at SIGTERM', times, stopsOf(endpoint).at(-1)?.receivedAtEpochMs)

      expect(result.signal).toBeNull()
      expect(times.sigtermAt).toBeDefined()
      expect(times.sigkillAt).toBeUndefined()
      // Well before the kill, 2.5 s after SIGTERM.
      expect(exitMs - RUNNER_SIGTERM_AFTER_MS).toBeLessThan(1500)
      expect(result.exitCode).toBe(0)
      expect(stopsOf(endpoint)).toHaveLength(3)
      expect(batchesOf(result).map((batch) => [batch.id, batch.result])).toEqual(ids.map((id) => [id, id === hung ? 'requested' : 'stopped']))
      expect(stoppedIds(result)).toEqual(answered)
      expect(result.outputs.complete).toBe('false')
      expect(result.stdout).toContain(
        `::warning::Stop requested for ${hung} (us-east-1), not confirmed: no answer had come when the runner ended the step, so whether CodeBuild accepted it is not known`
      )
      expect(result.summary).toContain('2 stopped, 1 requested and not confirmed.')
      expect(result.summary).toContain('📨 requested, not confirmed')
    })
  })
})
