// End-to-end: every line of the log and the summary says only what the action has seen.
// Each case is a false statement an earlier version made, run as the runner runs the action
// (dist/index.js under Node 24 against the local endpoint), so that it cannot come back.
import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { cpSync, mkdtempSync, openSync, closeSync, constants, readdirSync, readFileSync, rmSync, statSync, unlinkSync } from 'node:fs'
import { open } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ROOT } from '../../local-codebuild/run-action.mjs'
import { batchesOf, commandLines, runStep, UNKNOWN_UUID, withEndpoint } from './harness.js'

const FAST = { 'poll-interval': '0.2' }
const EVERY_BATCH_STOPPED = /every batch has stopped|All batches and their builds have stopped/
const SUMMARY_EVERY_BATCH = 'Every batch and all its builds had stopped'

describe('the headline says what happened', () => {
  it('says that nothing was stopped when no batch exists', async () => {
    await withEndpoint({}, async (_endpoint, url) => {
      const result = await runStep(url, { 'batch-id': `app:${UNKNOWN_UUID}`, ...FAST })

      expect(result.exitCode).toBe(1)
      expect(result.summary).toContain('<p>1 not found. No batch was stopped.</p>')
      expect(result.summary).not.toContain(SUMMARY_EVERY_BATCH)
      expect(result.stdout).not.toMatch(EVERY_BATCH_STOPPED)
    })
  })

  it('says that nothing was stopped when every stop is refused', async () => {
    await withEndpoint({ faults: [{ kind: 'deny', operation: 'StopBuildBatch' }] }, async (endpoint, url) => {
      const ids = [endpoint.addBatch({ project: 'app' }), endpoint.addBatch({ project: 'app' })]
      const result = await runStep(url, { 'batch-id': ids.join(' '), ...FAST })

      expect(result.exitCode).toBe(1)
      expect(result.summary).toContain('<p>2 could not be stopped. No batch was stopped.</p>')
      expect(result.summary).not.toContain(SUMMARY_EVERY_BATCH)
      expect(result.stdout).not.toMatch(EVERY_BATCH_STOPPED)
    })
  })

  it('never says every batch stopped when one of two stops was refused and that batch still runs', async () => {
    await withEndpoint({ faults: [{ kind: 'deny', operation: 'StopBuildBatch', count: 1 }] }, async (endpoint, url) => {
      const ids = [endpoint.addBatch({ project: 'app', pollsToSettle: 1 }), endpoint.addBatch({ project: 'app', pollsToSettle: 2 })]
      const result = await runStep(url, { 'batch-id': ids.join(' '), ...FAST })

      const refused = batchesOf(result).find((batch) => batch.result === 'failed')?.id as string
      expect(result.exitCode).toBe(1)
      expect(endpoint.batch(refused)?.buildBatchStatus).toBe('IN_PROGRESS')
      expect(result.stdout).not.toMatch(EVERY_BATCH_STOPPED)
      expect(result.stdout).toMatch(/Poll \d: of 2 batch\(es\), 1 stopped, 1 not stopped \(see above\)\./)
      expect(result.stdout).toContain('1 of 2 batch(es) and all their builds have stopped')
      expect(result.summary).not.toContain(SUMMARY_EVERY_BATCH)
      expect(result.summary).toContain('1 stopped, 1 could not be stopped. 1 of 2 batches and all their builds had stopped')
    })
  })

  it('shows a batch that had failed before as already finished with its status, and links no missing batch', async () => {
    await withEndpoint({}, async (endpoint, url) => {
      const failedBefore = endpoint.addBatch({ project: 'app', status: 'FAILED' })
      const missing = `app:${UNKNOWN_UUID}`
      const result = await runStep(url, { 'batch-id': `${failedBefore} ${missing}`, 'ignore-not-found': 'true', ...FAST })

      expect(result.exitCode).toBe(0)
      expect(result.stdout).toContain(`Batch ${failedBefore} (us-east-1) had already finished: FAILED`)
      expect(result.summary).toContain('🏁 already finished: FAILED')
      expect(result.summary).not.toMatch(/✅|☑|✔/)
      expect(result.summary).toContain(`<tr><td><code>${missing}</code></td><td>❓ not found</td>`)
      expect(result.summary).not.toContain(encodeURIComponent(missing))
      expect(result.summary).toContain(`/batch/${encodeURIComponent(failedBefore)}?region=us-east-1`)
    })
  })
})

describe('waiting', () => {
  it('never follows a refused poll with "every batch has stopped"', async () => {
    await withEndpoint({ faults: [{ kind: 'deny', operation: 'BatchGetBuildBatches' }] }, async (endpoint, url) => {
      const id = endpoint.addBatch({ project: 'app' })
      const result = await runStep(url, { 'batch-id': id, ...FAST })

      expect(result.exitCode).toBe(0)
      expect(result.stdout).toContain('::warning::stopped waiting for 1 batch(es) in us-east-1: access denied')
      expect(result.stdout).not.toMatch(EVERY_BATCH_STOPPED)
      expect(result.stdout).toContain('Poll 1: of 1 batch(es), 1 that CodeBuild will not describe (their state is unknown).')
      expect(result.summary).not.toContain(SUMMARY_EVERY_BATCH)
    })
  })

  it('asks again after a 4xx answer that is not a refusal, instead of ending the wait', async () => {
    const faults = [{ kind: 'server-error', operation: 'BatchGetBuildBatches', status: 400, count: 1 }] as const
    await withEndpoint({ faults: [...faults] }, async (endpoint, url) => {
      const id = endpoint.addBatch({ project: 'app', pollsToSettle: 1 })
      const result = await runStep(url, { 'batch-id': id, ...FAST })

      expect(result.exitCode).toBe(0)
      expect(result.stdout).toContain('failed, trying again next round')
      expect(result.stdout).toContain('Poll 1: of 1 batch(es), 1 not described this time (asked again next round).')
      expect(result.stdout).toContain('Poll 2: every batch has stopped.')
      expect(endpoint.requestsOf('BatchGetBuildBatches')).toHaveLength(2)
      expect(result.outputs.complete).toBe('true')
    })
  })

  it('keeps asking through throttling, never claims the batch stopped, and ends by wait-timeout', async () => {
    await withEndpoint({ faults: [{ kind: 'throttle', operation: 'BatchGetBuildBatches' }] }, async (endpoint, url) => {
      const id = endpoint.addBatch({ project: 'app' })
      const result = await runStep(url, { 'batch-id': id, 'wait-timeout': '3', ...FAST })

      expect(result.exitCode).toBe(0)
      expect(result.stdout).not.toMatch(EVERY_BATCH_STOPPED)
      expect(result.stdout).not.toContain('stopped waiting for')
      expect(result.stdout).toMatch(/::warning::Gave up waiting after \d\.\d s: the stop was requested, but 1 batch\(es\) were still stopping when last seen/)
      expect(endpoint.requestsOf('BatchGetBuildBatches').length).toBeGreaterThan(1)
      expect(result.outputs).toMatchObject({ complete: 'false', 'stopped-ids': JSON.stringify([id]) })
      // Start-up, plus 3 s of waiting, plus writing the report; the client alone would retry
      // a throttled call for tens of seconds.
      expect(result.durationMs).toBeLessThan(3000 + 4000)
    })
  })

  it('abandons a poll in flight at the deadline: wait-timeout 2 never runs for 9 s', async () => {
    await withEndpoint({ faults: [{ kind: 'hang', operation: 'BatchGetBuildBatches', delayMs: 60_000 }] }, async (endpoint, url) => {
      const id = endpoint.addBatch({ project: 'app' })
      const result = await runStep(url, { 'batch-id': id, 'wait-timeout': '2', ...FAST })

      expect(result.exitCode).toBe(0)
      expect(result.stdout).toContain('The poll in flight at the deadline was abandoned.')
      expect(result.outputs).toMatchObject({ complete: 'false', 'stopped-ids': JSON.stringify([id]) })
      expect(result.summary).toContain('Gave up waiting')
      expect(result.durationMs).toBeLessThan(2000 + 4000)
    })
  })
})

describe('one cause, one message', () => {
  it('reports missing credentials once for 12 batches, with at most a few error lines', async () => {
    await withEndpoint({}, async (endpoint, url) => {
      const ids = Array.from({ length: 12 }, () => endpoint.addBatch({ project: 'app' }))
      const result = await runStep(url, { 'batch-id': ids.join('\n') }, { env: { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined } })

      expect(result.exitCode).toBe(1)
      expect(result.stdout.split('no AWS credentials were found')).toHaveLength(2)
      const errors = commandLines(result).filter((line) => line.startsWith('::error::'))
      expect(errors).toHaveLength(2)
      expect(errors[0]).toMatch(/^::error::Could not stop 12 batches \(.* and 2 more\): no AWS credentials were found/)
      expect(errors[1]).toMatch(/^::error::12 of 12 batch\(es\) could not be stopped: /)
      expect(result.summary.split('no AWS credentials were found').length - 1).toBeLessThanOrEqual(1 + 12)
      expect(endpoint.requests).toHaveLength(0)
    })
  })

  it('keeps the error lines to a few when there are more causes than that', async () => {
    await withEndpoint({}, async (_endpoint, url) => {
      const regions = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-south-1']
      const missing = regions.map((region) => `arn:aws:codebuild:${region}:123456789012:build-batch/app:${UNKNOWN_UUID}`)
      const result = await runStep(url, { 'batch-id': missing.join('\n') })

      expect(result.exitCode).toBe(1)
      const errors = commandLines(result).filter((line) => line.startsWith('::error::'))
      expect(errors).toHaveLength(4)
      expect(errors[3]).toContain('5 of 5 batch(es) could not be stopped')
      for (const region of regions) expect(result.stdout).toContain(`in ${region}: check the id and the region.`)
    })
  })
})

describe('a summary of many batches', () => {
  it('puts the overview table first and each batch in a collapsed section, with times that do not wrap', async () => {
    await withEndpoint({}, async (endpoint, url) => {
      const ids = Array.from({ length: 30 }, () => endpoint.addBatch({ project: 'app', pollsToSettle: 1 }))
      const result = await runStep(url, { 'batch-id': ids.join('\n'), ...FAST })

      expect(result.exitCode).toBe(0)
      const { summary } = result
      expect(summary.indexOf('<th>Builds still running</th>')).toBeLessThan(summary.indexOf('<details>'))
      expect(summary.match(/<details><summary>/g)).toHaveLength(30)
      expect(summary).not.toContain('<details open>')
      const times = [...summary.matchAll(/<td>(\d{4}[^<]*Z)<\/td>/g)].map((match) => match[1])
      expect(times.length).toBeGreaterThan(30)
      for (const time of times) expect(time).toMatch(/^\d{4}&#8209;\d\d&#8209;\d\d&nbsp;\d\d:\d\d:\d\dZ$/)
    })
  })
})

describe('debug logging', () => {
  it('logs each request with its operation, attempt and AWS request id under RUNNER_DEBUG=1', async () => {
    await withEndpoint({ faults: [{ kind: 'throttle', operation: 'StopBuildBatch', count: 1 }] }, async (endpoint, url) => {
      const id = endpoint.addBatch({ project: 'app', pollsToSettle: 1 })
      const result = await runStep(url, { 'batch-id': id, ...FAST }, { env: { RUNNER_DEBUG: '1' } })

      expect(result.exitCode).toBe(0)
      const debug = commandLines(result).filter((line) => line.startsWith('::debug::CodeBuild '))
      expect(debug).toHaveLength(endpoint.requests.length)
      endpoint.requests.forEach((request, n) => {
        expect(request.requestId).toMatch(/^[0-9a-f-]{36}$/)
        expect(debug[n]).toContain(`request id ${request.requestId}`)
      })
      expect(debug[0]).toMatch(/^::debug::CodeBuild StopBuildBatch attempt 1 of 10: HTTP 400 ThrottlingException after \d+ ms, request id /)
      expect(debug[1]).toMatch(/^::debug::CodeBuild StopBuildBatch attempt 2 of 10: HTTP 200 after \d+ ms/)
      expect(debug[2]).toMatch(/^::debug::CodeBuild BatchGetBuildBatches attempt 1 of 10: HTTP 200/)
    })
  })

  it('logs no attempt without RUNNER_DEBUG', async () => {
    await withEndpoint({}, async (endpoint, url) => {
      const id = endpoint.addBatch({ project: 'app', pollsToSettle: 1 })
      const result = await runStep(url, { 'batch-id': id, ...FAST })

      expect(result.stdout).not.toContain('::debug::')
    })
  })
})

describe('a signal at start-up', () => {
  const chunks = readdirSync(join(ROOT, 'dist')).filter((name) => name.endsWith('.js') && name !== 'index.js')

  it('has a small entry file and the rest of the action in chunks read after it', () => {
    expect(chunks.length).toBeGreaterThan(0)
    expect(statSync(join(ROOT, 'dist', 'index.js')).size).toBeLessThan(20_000)
  })

  it('still sends the stop and writes the outputs when SIGINT comes before the bulk of the code is read', async () => {
    // A copy of dist/ whose chunk files are named pipes: Node blocks reading them until this
    // test writes their content, so the SIGINT below arrives while the action's code is
    // provably not loaded yet, only its entry file. That is the earliest moment an action
    // can handle a signal at all; before it, Node itself is still starting.
    const copy = mkdtempSync(join(tmpdir(), 'dist-fifo-'))
    cpSync(join(ROOT, 'dist'), copy, { recursive: true })
    const contents = new Map<string, Buffer>()
    for (const name of chunks) {
      const path = join(copy, name)
      contents.set(path, readFileSync(path))
      unlinkSync(path)
      expect(spawnSync('mkfifo', [path]).status).toBe(0)
    }
    const opened = new Set<string>()
    // Pipes the action never read (the chunk with Octokit, which a stop by id never loads, and
    // the guard's): their writers give up when the run is over.
    const unread = new Set<string>()
    const writers: Array<Promise<void>> = []
    let signalled = false
    try {
      await withEndpoint({}, async (endpoint, url) => {
        const id = endpoint.addBatch({ project: 'app', stopBehaviour: 'never-settles' })
        const result = await runStep(url, { 'batch-id': id, 'wait-timeout': '60', ...FAST }, {
          entry: join(copy, 'index.js'),
          onSpawn: (child) => {
            for (const [path, content] of contents) {
              // Opening a pipe for writing waits until the action opens it for reading; waiting
              // in open() itself would hold one of libuv's four threads per pipe, and the pipes
              // the action never reads would starve the ones it does.
              const writer = readerOpened(path, () => unread.has(path)).then(async (probe) => {
                if (probe === undefined) return
                // The probe keeps a writer on the pipe until the real one is open: a pipe whose
                // writers all closed reads as ended.
                const pipe = await open(path, 'w')
                closeSync(probe)
                opened.add(path)
                try {
                  if (!signalled && !unread.has(path)) {
                    signalled = true
                    child.kill('SIGINT')
                    await new Promise((resolve) => setTimeout(resolve, 50))
                  }
                  await pipe.writeFile(content)
                } finally {
                  await pipe.close()
                }
              })
              writers.push(writer.catch((error: unknown) => {
                if (!unread.has(path)) throw error
              }))
            }
          }
        })

        expect(signalled).toBe(true)
        expect(result.signal).toBeNull()
        expect(result.exitCode).toBe(0)
        expect(result.stdout).toContain('::warning::Received SIGINT')
        expect(endpoint.requestsOf('StopBuildBatch')).toHaveLength(1)
        expect(endpoint.batch(id)?.buildBatchStatus).toBe('STOPPED')
        expect(endpoint.requestsOf('BatchGetBuildBatches')).toHaveLength(0)
        expect(result.outputs['stopped-ids']).toBe(JSON.stringify([id]))
        expect(result.summary).toContain('<h2>Stop CodeBuild batch builds: 1 batch</h2>')
      })
    } finally {
      // A pipe the action never opened would keep its writer waiting: it gives up.
      for (const path of contents.keys()) if (!opened.has(path)) unread.add(path)
      await Promise.all(writers)
      rmSync(copy, { recursive: true, force: true })
    }
  })
})

/**
 * Resolves once a process has opened the named pipe for reading, polling without blocking, to
 * a file descriptor that writes to it; or to undefined once `abandoned` says to stop.
 */
function readerOpened(path: string, abandoned: () => boolean): Promise<number | undefined> {
  return new Promise((resolve) => {
    const poll = setInterval(() => {
      if (abandoned()) {
        clearInterval(poll)
        return resolve(undefined)
      }
      let fd: number
      try {
        fd = openSync(path, constants.O_WRONLY | constants.O_NONBLOCK)
      } catch {
        return // ENXIO: no reader yet
      }
      clearInterval(poll)
      resolve(fd)
    }, 2)
  })
}
