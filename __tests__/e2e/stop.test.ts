// End-to-end: dist/index.js under Node 24, started as the runner starts it, against the
// local CodeBuild endpoint over real HTTP, with the real AWS SDK and SigV4 signing.
import { describe, expect, it } from '@jest/globals'
import { LOCAL_ACCOUNT, RECORDED_BUILDS } from '../../local-codebuild/server.mjs'
import { batchesOf, commandLines, runStep, UNKNOWN_UUID, withEndpoint } from './harness.js'

const FAST = { 'poll-interval': '0.2' }

describe('stopping batches', () => {
  it('stops a running batch and waits until its builds have stopped', async () => {
    await withEndpoint({}, async (endpoint, url) => {
      const id = endpoint.addBatch({ project: 'app', pollsToSettle: 2, sourceVersion: 'pr/7', buildBatchNumber: 31 })
      const result = await runStep(url, { 'batch-id': id, ...FAST })

      expect(result.exitCode).toBe(0)
      expect(result.outputs).toMatchObject({
        status: 'STOPPED',
        complete: 'true',
        'current-phase': 'STOPPED',
        'batch-id': id,
        'batch-arn': `arn:aws:codebuild:us-east-1:${LOCAL_ACCOUNT}:build-batch/${id}`,
        'build-batch-number': '31',
        'stopped-ids': JSON.stringify([id])
      })
      expect(batchesOf(result)).toEqual([
        expect.objectContaining({ id, result: 'stopped', status: 'STOPPED', complete: true, settled: true, runningBuilds: 0 })
      ])
      // The stop answer said STOPPED while three builds still ran: the action polled on.
      expect(endpoint.requestsOf('StopBuildBatch').map((request) => request.body)).toEqual([{ id }])
      expect(endpoint.requestsOf('BatchGetBuildBatches')).toHaveLength(2)
      expect(endpoint.requests.every((request) => request.signed)).toBe(true)
      expect(endpoint.requests[0].userAgent).toContain('stop-codebuild-batch/1.0.0')
      expect(endpoint.batch(id)?.buildGroups.map((group: { currentBuildSummary: { buildStatus: string } }) => group.currentBuildSummary.buildStatus)).toEqual(['STOPPED', 'STOPPED', 'STOPPED'])
      expect(result.summary).toContain(`<a href="https://us-east-1.console.aws.amazon.com/codesuite/codebuild/${LOCAL_ACCOUNT}/projects/app/batch/${encodeURIComponent(id)}?region=us-east-1">CodeBuild console</a>`)
      expect(result.summary).toContain('<b>Source version:</b> <code>pr/7</code>')
      expect(result.summary).toMatch(/<td>build3<\/td><td>build1<\/td><td>no<\/td><td>STOPPED<\/td>/)
      expect(commandLines(result)).toEqual([])
      expect(result.stderr).toBe('')
    })
  })

  it('keeps polling a batch that answers IN_PROGRESS to the stop until it is STOPPED', async () => {
    await withEndpoint({}, async (endpoint, url) => {
      const id = endpoint.addBatch({ project: 'app', stopBehaviour: 'gradual', pollsToSettle: 3 })
      const result = await runStep(url, { 'batch-id': id, ...FAST })

      expect(result.exitCode).toBe(0)
      expect(result.stdout).toContain(`Stop requested for ${id} (us-east-1): status IN_PROGRESS`)
      expect(result.outputs).toMatchObject({ status: 'STOPPED', complete: 'true' })
      expect(endpoint.requestsOf('BatchGetBuildBatches')).toHaveLength(3)
    })
  })

  it('returns right after the stop request with wait: false', async () => {
    await withEndpoint({}, async (endpoint, url) => {
      const id = endpoint.addBatch({ project: 'app' })
      const result = await runStep(url, { 'batch-id': id, wait: 'false' })

      expect(result.exitCode).toBe(0)
      expect(endpoint.requestsOf('BatchGetBuildBatches')).toHaveLength(0)
      // `complete` is the batch's own flag here; `settled` says its builds still run.
      expect(result.outputs.complete).toBe('true')
      expect(batchesOf(result)[0]).toMatchObject({ result: 'stopped', complete: true, settled: false, runningBuilds: 3 })
      expect(result.summary).toContain('Did not wait for the builds to stop')
    })
  })

  it('stops batches from two regions, given as ids and ARNs, each exactly once', async () => {
    await withEndpoint({}, async (endpoint, url) => {
      const east = [1, 2, 3].map(() => endpoint.addBatch({ project: 'app' }))
      const west = [1, 2].map(() => endpoint.addBatch({ project: 'web', region: 'eu-west-1', pollsToSettle: 1 }))
      const arn = (id: string, region: string): string => `arn:aws:codebuild:${region}:${LOCAL_ACCOUNT}:build-batch/${id}`
      const input = [
        east[0],
        `${east[1]}, ${arn(east[1], 'us-east-1')}`,
        east[2],
        east[0],
        ...west.map((id) => arn(id, 'eu-west-1'))
      ].join('\n')
      const result = await runStep(url, { 'batch-id': input, ...FAST })

      expect(result.exitCode).toBe(0)
      const stops = endpoint.requestsOf('StopBuildBatch')
      expect(stops.map((request) => `${request.region} ${request.body.id}`).sort()).toEqual(
        [...east.map((id) => `us-east-1 ${id}`), ...west.map((id) => `eu-west-1 ${id}`)].sort()
      )
      const firstRound = endpoint.requestsOf('BatchGetBuildBatches').slice(0, 2)
      expect(firstRound.map((request) => [request.region, request.body.ids.length]).sort()).toEqual([
        ['eu-west-1', 2],
        ['us-east-1', 3]
      ])
      expect(result.outputs).toMatchObject({ status: 'STOPPED', complete: 'true', 'batch-id': '', 'batch-arn': '' })
      expect(batchesOf(result)).toHaveLength(5)
      expect(result.summary).toContain('<th>Builds still running</th>')
    })
  })

  it('polls with one BatchGetBuildBatches call per 100 batches', async () => {
    await withEndpoint({}, async (endpoint, url) => {
      const ids = Array.from({ length: 150 }, () => endpoint.addBatch({ project: 'app', pollsToSettle: 1 }))
      const result = await runStep(url, { 'batch-id': ids.join(','), ...FAST })

      expect(result.exitCode).toBe(0)
      expect(endpoint.requestsOf('StopBuildBatch')).toHaveLength(150)
      expect(endpoint.requestsOf('BatchGetBuildBatches').map((request) => request.body.ids.length).sort()).toEqual([100, 50])
      expect(JSON.parse(result.outputs['stopped-ids'])).toHaveLength(150)
    })
  })

  it.each(['final-status', 'invalid-input'] as const)(
    'reports a batch that had already finished as already complete (CodeBuild answering with %s)',
    async (finishedStopAnswer) => {
      await withEndpoint({ finishedStopAnswer }, async (endpoint, url) => {
        const id = endpoint.addBatch({ project: 'app', status: 'SUCCEEDED' })
        const result = await runStep(url, { 'batch-id': id, ...FAST })

        expect(result.exitCode).toBe(0)
        expect(result.outputs).toMatchObject({ status: 'SUCCEEDED', complete: 'true', 'stopped-ids': '[]' })
        expect(batchesOf(result)[0]).toMatchObject({ result: 'already-complete', status: 'SUCCEEDED' })
        expect(result.stdout).toContain(`Batch ${id} (us-east-1) had already finished: SUCCEEDED`)
      })
    }
  )
})

describe('batches that had stopped before the request', () => {
  /** The log's way of writing CodeBuild's times. */
  const logTime = (epochSeconds: number): string => `${new Date(epochSeconds * 1000).toISOString().slice(0, 19).replace('T', ' ')}Z`
  /** The summary's: the same time, kept from wrapping with non-breaking hyphens and a non-breaking space. */
  const summaryTime = (epochSeconds: number): string => logTime(epochSeconds).replace(/-/g, '&#8209;').replace(' ', '&nbsp;')

  it.each(['final-status', 'invalid-input'] as const)(
    'reports a batch stopped earlier as already complete, says when it stopped, and leaves it out of stopped-ids (CodeBuild answering with %s)',
    async (finishedStopAnswer) => {
      await withEndpoint({ finishedStopAnswer }, async (endpoint, url) => {
        const running = endpoint.addBatch({ project: 'app', pollsToSettle: 1 })
        // Stopped an hour ago, by a person or an earlier run: CodeBuild still answers STOPPED.
        const endTime = Math.floor(Date.now() / 1000) - 3600
        const earlier = endpoint.addBatch({ project: 'app', status: 'STOPPED', startTime: endTime - 300, endTime })
        const result = await runStep(url, { 'batch-id': `${running} ${earlier}`, ...FAST })

        expect(result.exitCode).toBe(0)
        expect(batchesOf(result).map((batch) => [batch.id, batch.result, batch.status])).toEqual([
          [running, 'stopped', 'STOPPED'],
          [earlier, 'already-complete', 'STOPPED']
        ])
        expect(result.outputs['stopped-ids']).toBe(JSON.stringify([running]))
        expect(result.stdout).toContain(`Batch ${earlier} (us-east-1) had already finished: STOPPED at ${logTime(endTime)}`)
        expect(result.summary).toContain(`<b>Ended:</b> ${summaryTime(endTime)}`)
        expect(result.summary).toContain('<p>1 stopped, 1 already finished. Every batch and all its builds had stopped after ')
        expect(result.summary).toContain(`<code>${earlier}</code>: 🏁 already finished: STOPPED</summary>`)
      })
    }
  )

  it("tells them apart on CodeBuild's clock when this machine's is ten minutes off, either way", async () => {
    for (const clockOffsetMs of [10 * 60_000, -10 * 60_000]) {
      await withEndpoint({ clockOffsetMs }, async (endpoint, url) => {
        const running = endpoint.addBatch({ project: 'app', pollsToSettle: 1 })
        // Two minutes before the request by CodeBuild's clock; minutes after it, or long before, by this machine's.
        const endTime = Math.floor((Date.now() + clockOffsetMs) / 1000) - 120
        const earlier = endpoint.addBatch({ project: 'app', status: 'STOPPED', startTime: endTime - 300, endTime })
        const result = await runStep(url, { 'batch-id': `${running} ${earlier}`, ...FAST })

        expect(result.exitCode).toBe(0)
        expect(batchesOf(result).map((batch) => batch.result)).toEqual(['stopped', 'already-complete'])
        expect(result.outputs['stopped-ids']).toBe(JSON.stringify([running]))
        // The first request was signed by this machine's clock and refused; the SDK corrected its clock from the answer.
        const refused = endpoint.requests.filter((request) => request.error === 'InvalidSignatureException')
        expect(refused.length).toBeGreaterThan(0)
        expect(endpoint.requestsOf('StopBuildBatch').filter((request) => request.error === undefined)).toHaveLength(2)
        expect(endpoint.batch(running)?.buildBatchStatus).toBe('STOPPED')
      })
    }
  })
})

describe('the shapes CodeBuild sends', () => {
  it('stops batches that have no build groups yet, settled at once, and says so in the summary', async () => {
    await withEndpoint({}, async (endpoint, url) => {
      const ids = [endpoint.addBatch({ project: 'app', phase: 'SUBMITTED' }), endpoint.addBatch({ project: 'app', phase: 'DOWNLOAD_BATCHSPEC' })]
      const result = await runStep(url, { 'batch-id': ids.join(' '), ...FAST })

      expect(result.exitCode).toBe(0)
      expect(batchesOf(result)).toEqual(
        ids.map((id) => expect.objectContaining({ id, result: 'stopped', status: 'STOPPED', settled: true, runningBuilds: 0 }))
      )
      // Nothing to wait for: the stop answers already said complete, with no build.
      expect(endpoint.requestsOf('BatchGetBuildBatches')).toHaveLength(0)
      expect(result.summary.match(/CodeBuild reports no build groups for this batch\./g)).toHaveLength(2)
      expect(result.summary.match(/<b>Commit:<\/b> <em>none<\/em>/g)).toHaveLength(2)
      expect(result.summary).not.toMatch(/current|yet/)
    })
  })

  it('stops a batch shaped like the recorded one: source group, retried build, no source version', async () => {
    await withEndpoint({}, async (endpoint, url) => {
      const builds = RECORDED_BUILDS.map((build) => (build.identifier === 'linux_small' ? { ...build, priorStatuses: ['FAILED' as const] } : build))
      const id = endpoint.addBatch({ project: 'app', sourceVersion: null, pollsToSettle: 2, builds })
      const result = await runStep(url, { 'batch-id': id, ...FAST })

      expect(result.exitCode).toBe(0)
      // The source group finished long ago and is not counted; the three others stop.
      expect(result.stdout).toContain(`Stop requested for ${id} (us-east-1): status STOPPED, phase STOPPED, 3 build(s) still stopping`)
      expect(batchesOf(result)[0]).toMatchObject({ result: 'stopped', settled: true, runningBuilds: 0 })
      expect(result.summary).toContain('<tr><td>DOWNLOAD&#95;SOURCE</td><td></td><td>no</td><td>SUCCEEDED</td>')
      expect(result.summary).toContain('<td>STOPPED (after 1 earlier attempt: FAILED)</td>')
      expect(result.summary).toContain('<b>Source version:</b> <em>none</em>')
      expect(result.summary).toContain('<tr><td>STOPPED</td><td><em>final</em></td>')
      expect(result.summary).not.toMatch(/PENDING|IN&#95;PROGRESS<\/td><td>(<em>current<\/em>)?<\/td>|current|yet/)
    })
  })
})

describe('a stop that takes time', () => {
  it('polls every poll-interval until a batch that takes 20 s to stop has stopped, and no longer', async () => {
    await withEndpoint({}, async (endpoint, url) => {
      const id = endpoint.addBatch({ project: 'app', stopSeconds: 20 })
      const result = await runStep(url, { 'batch-id': id, 'poll-interval': '5', 'wait-timeout': '50' })

      expect(result.exitCode).toBe(0)
      expect(batchesOf(result)[0]).toMatchObject({ result: 'stopped', settled: true })
      const stoppedAt = endpoint.requestsOf('StopBuildBatch')[0].receivedAtEpochMs
      const polls = endpoint.requestsOf('BatchGetBuildBatches').map((request) => (request.receivedAtEpochMs - stoppedAt) / 1000)
      // At least 5 s apart; every poll but the last came before the 20 s were up; the last after.
      expect(polls.length).toBeGreaterThanOrEqual(4)
      polls.forEach((at, n) => expect(at - (n === 0 ? 0 : polls[n - 1])).toBeGreaterThanOrEqual(4.9))
      expect(polls.slice(0, -1).every((at) => at < 20)).toBe(true)
      expect(polls[polls.length - 1]).toBeGreaterThanOrEqual(20)
      expect(result.stdout).toContain(`Poll ${polls.length}: every batch has stopped.`)
    })
  })

  it('gives up at wait-timeout when the stop takes longer, and says the builds were still stopping', async () => {
    await withEndpoint({}, async (endpoint, url) => {
      const id = endpoint.addBatch({ project: 'app', stopSeconds: 20 })
      const result = await runStep(url, { 'batch-id': id, 'poll-interval': '1', 'wait-timeout': '3' })

      expect(result.exitCode).toBe(0)
      // wait-timeout is an upper bound: the last poll comes shortly before it, and the wait ends there.
      const gaveUp = /::warning::Gave up waiting after (\d+\.\d) s: the stop was requested, but 1 batch\(es\) were still stopping when last seen: (\S+)\./.exec(result.stdout)
      expect(gaveUp?.[2]).toBe(id)
      expect(Number(gaveUp?.[1])).toBeGreaterThanOrEqual(2)
      expect(Number(gaveUp?.[1])).toBeLessThanOrEqual(3.5)
      expect(batchesOf(result)[0]).toMatchObject({ result: 'stopped', settled: false, runningBuilds: 3 })
      const polls = endpoint.requestsOf('BatchGetBuildBatches').length
      expect(polls).toBeGreaterThanOrEqual(2)
      expect(polls).toBeLessThanOrEqual(3)
      expect(result.durationMs).toBeLessThan(10_000)
    })
  })
})

describe('failures', () => {
  it.each(['resource-not-found', 'invalid-input'] as const)(
    'fails naming the batch that does not exist, and still stops the others (CodeBuild answering %s)',
    async (notFoundAnswer) => {
      await withEndpoint({ notFoundAnswer }, async (endpoint, url) => {
        const running = [endpoint.addBatch({ project: 'app' }), endpoint.addBatch({ project: 'app' })]
        const missing = `app:${UNKNOWN_UUID}`
        const result = await runStep(url, { 'batch-id': [running[0], missing, running[1]].join(' '), ...FAST })

        expect(result.exitCode).toBe(1)
        expect(result.stdout).toContain(`::error::CodeBuild has no batch ${missing} in us-east-1: check the id and the region.`)
        expect(batchesOf(result).map((batch) => [batch.id, batch.result])).toEqual([
          [running[0], 'stopped'],
          [missing, 'not-found'],
          [running[1], 'stopped']
        ])
        expect(JSON.parse(result.outputs['stopped-ids'])).toEqual(running)
        for (const id of running) expect(endpoint.batch(id)?.buildBatchStatus).toBe('STOPPED')
      })
    }
  )

  it('only warns about a missing batch with ignore-not-found', async () => {
    await withEndpoint({}, async (endpoint, url) => {
      const id = endpoint.addBatch({ project: 'app' })
      const missing = `app:${UNKNOWN_UUID}`
      const result = await runStep(url, { 'batch-id': `${id},${missing}`, 'ignore-not-found': 'true', ...FAST })

      expect(result.exitCode).toBe(0)
      expect(result.stdout).toContain(`::warning::CodeBuild has no batch ${missing} in us-east-1`)
      expect(result.stdout).not.toContain('::error::')
      expect(result.outputs.complete).toBe('true')
    })
  })

  it('says which IAM permission on which project is missing', async () => {
    await withEndpoint({ faults: [{ kind: 'deny', operation: 'StopBuildBatch' }] }, async (endpoint, url) => {
      const id = endpoint.addBatch({ project: 'app' })
      const result = await runStep(url, { 'batch-id': id, ...FAST })

      expect(result.exitCode).toBe(1)
      expect(result.stdout).toContain(
        `::error::Could not stop ${id}: access denied: grant codebuild:StopBuildBatch on arn:aws:codebuild:us-east-1:<account-id>:project/app to the role this step uses.`
      )
      expect(batchesOf(result)[0]).toMatchObject({ result: 'failed' })
      expect(endpoint.requestsOf('StopBuildBatch')).toHaveLength(1)
    })
  })

  it('explains how to provide credentials when there are none, without sending a request', async () => {
    await withEndpoint({}, async (endpoint, url) => {
      const id = endpoint.addBatch({ project: 'app' })
      const result = await runStep(url, { 'batch-id': id }, { env: { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined } })

      expect(result.exitCode).toBe(1)
      expect(result.stdout).toContain('no AWS credentials were found')
      expect(result.stdout).toContain('aws-actions/configure-aws-credentials')
      expect(endpoint.requests).toHaveLength(0)
    })
  })

  it('reports credentials that AWS rejects', async () => {
    await withEndpoint({}, async (endpoint, url) => {
      const id = endpoint.addBatch({ project: 'app' })
      const result = await runStep(url, { 'batch-id': id }, { env: { AWS_SECRET_ACCESS_KEY: 'not-the-secret' } })

      expect(result.exitCode).toBe(1)
      expect(result.stdout).toContain('AWS rejected the credentials (InvalidSignatureException)')
      expect(endpoint.batch(id)?.buildBatchStatus).toBe('IN_PROGRESS')
    })
  })

  it.each([
    ['batch-id', 'not-a-batch'],
    ['batch-id', ' , '],
    ['wait', 'maybe'],
    ['poll-interval', '0'],
    ['wait-timeout', '-1'],
    ['aws-region', 'moon-1']
  ])('fails on input %s = %j before sending any request', async (name, value) => {
    await withEndpoint({}, async (endpoint, url) => {
      const id = endpoint.addBatch({ project: 'app' })
      const result = await runStep(url, { 'batch-id': id, [name]: value })

      expect(result.exitCode).toBe(1)
      expect(result.stdout).toContain(`::error::Input '${name}'`)
      expect(endpoint.requests).toHaveLength(0)
      expect(`${result.stdout}${result.stderr}`).not.toMatch(/\n\s+at /)
    })
  })
})

describe('faults and timeouts', () => {
  it('rides out throttling, server errors and unreadable answers', async () => {
    const faults = [
      { kind: 'throttle', operation: 'StopBuildBatch', count: 3 },
      { kind: 'server-error', operation: 'StopBuildBatch', count: 2, status: 503 },
      { kind: 'truncate', operation: 'StopBuildBatch', count: 1 },
      { kind: 'throttle', operation: 'BatchGetBuildBatches', count: 2 }
    ] as const
    await withEndpoint({ faults: [...faults] }, async (endpoint, url) => {
      const id = endpoint.addBatch({ project: 'app', pollsToSettle: 1 })
      const result = await runStep(url, { 'batch-id': id, ...FAST })

      expect(result.exitCode).toBe(0)
      expect(result.outputs).toMatchObject({ status: 'STOPPED', complete: 'true' })
      expect(endpoint.requestsOf('StopBuildBatch').map((request) => request.fault)).toEqual([
        'throttle',
        'throttle',
        'throttle',
        'server-error',
        'server-error',
        'truncate',
        undefined
      ])
      expect(result.stdout).not.toMatch(/TypeError|SyntaxError|\n\s+at /)
    })
  })

  it('times out a hung request and retries it', async () => {
    await withEndpoint({ faults: [{ kind: 'hang', operation: 'StopBuildBatch', count: 1, delayMs: 120_000 }] }, async (endpoint, url) => {
      const id = endpoint.addBatch({ project: 'app' })
      const result = await runStep(url, { 'batch-id': id, wait: 'false' })

      expect(result.exitCode).toBe(0)
      expect(endpoint.requestsOf('StopBuildBatch').map((request) => request.fault)).toEqual(['hang', undefined])
      expect(result.durationMs).toBeLessThan(20_000)
    })
  })

  it('warns and still succeeds when the builds do not stop within wait-timeout', async () => {
    await withEndpoint({}, async (endpoint, url) => {
      const id = endpoint.addBatch({ project: 'app', stopBehaviour: 'never-settles' })
      const result = await runStep(url, { 'batch-id': id, 'wait-timeout': '1', ...FAST })

      expect(result.exitCode).toBe(0)
      // The last poll starts early enough for the wait to end by wait-timeout.
      expect(result.stdout).toMatch(/::warning::Gave up waiting after [01]\.\d s: the stop was requested, but 1 batch\(es\) were still stopping when last seen/)
      expect(result.outputs).toMatchObject({ status: 'STOPPED', complete: 'false' })
      expect(batchesOf(result)[0]).toMatchObject({ result: 'stopped', settled: false, runningBuilds: 3 })
      expect(result.summary).toContain('Gave up waiting')
      expect(result.durationMs).toBeLessThan(5000)
    })
  })
})

describe('cancellation by the runner', () => {
  it.each([['SIGINT'], ['SIGTERM'], ['SIGINT twice']])(
    'stops waiting on %s, writes outputs and summary, and exits within 2 s',
    async (how) => {
      await withEndpoint({}, async (endpoint, url) => {
        const id = endpoint.addBatch({ project: 'app', stopBehaviour: 'never-settles' })
        let signalledAt = 0
        const result = await runStep(
          url,
          { 'batch-id': id, 'wait-timeout': '60', ...FAST },
          {
            onSpawn: (child, output) => {
              const timer = setInterval(() => {
                if (!output.stdout().includes('Poll 1:')) return
                clearInterval(timer)
                signalledAt = performance.now()
                child.kill(how === 'SIGTERM' ? 'SIGTERM' : 'SIGINT')
                if (how === 'SIGINT twice') setTimeout(() => child.kill('SIGINT'), 5)
              }, 5)
            }
          }
        )
        const exitedAfterMs = performance.now() - signalledAt

        expect(signalledAt).toBeGreaterThan(0)
        expect(exitedAfterMs).toBeLessThan(2000)
        expect(result.exitCode).toBe(0)
        expect(result.signal).toBeNull()
        expect(result.stdout).toContain('::warning::Received SIG')
        expect(result.stdout).toContain('The step was cancelled while waiting')
        expect(result.outputs).toMatchObject({ status: 'STOPPED', complete: 'false', 'stopped-ids': JSON.stringify([id]) })
        expect(result.summary).toContain('The step was cancelled')
      })
    }
  )

  it('still sends the stop when SIGINT arrives before it', async () => {
    await withEndpoint({ faults: [{ kind: 'delay', operation: 'StopBuildBatch', delayMs: 500 }] }, async (endpoint, url) => {
      const id = endpoint.addBatch({ project: 'app' })
      const result = await runStep(
        url,
        { 'batch-id': id, ...FAST },
        {
          onSpawn: (child, output) => {
            const timer = setInterval(() => {
              if (!output.stdout().includes('Stopping 1')) return
              clearInterval(timer)
              child.kill('SIGINT')
            }, 1)
          }
        }
      )

      expect(result.exitCode).toBe(0)
      expect(endpoint.requestsOf('StopBuildBatch')).toHaveLength(1)
      expect(endpoint.batch(id)?.buildBatchStatus).toBe('STOPPED')
      expect(batchesOf(result)[0]).toMatchObject({ result: 'stopped' })
      expect(endpoint.requestsOf('BatchGetBuildBatches')).toHaveLength(0)
    })
  })
})

describe('job summary', () => {
  it('writes none with summary: false', async () => {
    await withEndpoint({}, async (endpoint, url) => {
      const id = endpoint.addBatch({ project: 'app', pollsToSettle: 1 })
      const result = await runStep(url, { 'batch-id': id, summary: 'false', ...FAST })

      expect(result.exitCode).toBe(0)
      expect(result.summary).toBe('')
    })
  })

  it('keeps hostile text from the API out of the log commands and the summary markup', async () => {
    const hostile = 'x\n::add-mask::leak\n%0A::stop-commands::t\r\n| a | b |\n\n<script>alert(1)</script> [click](javascript:alert(1))'
    await withEndpoint({}, async (endpoint, url) => {
      const id = endpoint.addBatch({
        project: 'app',
        pollsToSettle: 1,
        sourceVersion: hostile,
        initiator: hostile,
        phases: [{ phaseType: 'DOWNLOAD_BATCHSPEC', phaseStatus: 'FAILED', contexts: [{ statusCode: 'CLIENT_ERROR', message: hostile }] }],
        builds: [{ identifier: hostile, status: 'IN_PROGRESS' }]
      })
      const result = await runStep(url, { 'batch-id': id, ...FAST })

      expect(result.exitCode).toBe(0)
      expect(commandLines(result)).toEqual([])
      expect(result.summary).not.toContain('<script')
      expect(result.summary).not.toContain('](')
      for (const table of result.summary.match(/<table>[\s\S]*?<\/table>/g) ?? []) {
        expect(table).not.toMatch(/\n\s*\n/)
      }
    })
  })
})
