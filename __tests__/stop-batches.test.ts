import { describe, expect, it } from '@jest/globals'
import { BatchGetBuildBatchesCommand, CodeBuildClient, StopBuildBatchCommand } from '@aws-sdk/client-codebuild'
import { mockClient } from 'aws-sdk-client-mock'
import type { BatchOutcome } from '../src/codebuild/batch-outcome.js'
import { previewBatches, STOPPED_EARLIER_ALLOWANCE_MS, stopBatches } from '../src/codebuild/stop-batches.js'
import { awsError, batch, ref } from './fixtures.js'

function mockedCodeBuild() {
  const client = new CodeBuildClient({ region: 'us-east-1' })
  return { client, mock: mockClient(client) }
}

describe('stopBatches', () => {
  it('stops every listed batch and reports each one, in input order', async () => {
    const { client, mock } = mockedCodeBuild()
    const refs = [ref(1), ref(2), ref(3)]
    mock.on(StopBuildBatchCommand).callsFake(async ({ id }) => ({
      buildBatch: batch(refs.find((r) => r.id === id)!, 'STOPPED', ['IN_PROGRESS'])
    }))
    const seen: BatchOutcome[] = []

    const outcomes = await stopBatches(refs, () => client, { onOutcome: (o) => seen.push(o) })

    expect(outcomes.map((o) => [o.ref.id, o.result])).toEqual(refs.map((r) => [r.id, 'stopped']))
    expect(outcomes[0].batch?.buildBatchStatus).toBe('STOPPED')
    expect(seen).toHaveLength(3)
    expect(mock.commandCalls(StopBuildBatchCommand).map((call) => call.args[0].input.id).sort()).toEqual(
      refs.map((r) => r.id).sort()
    )
  })

  it('reports a batch whose stop answer carries a final status as already complete', async () => {
    const { client, mock } = mockedCodeBuild()
    mock.on(StopBuildBatchCommand).resolves({ buildBatch: batch(ref(1), 'SUCCEEDED', ['SUCCEEDED']) })

    const [result] = await stopBatches([ref(1)], () => client)

    expect(result).toMatchObject({ result: 'already-complete', batch: { buildBatchStatus: 'SUCCEEDED' } })
  })

  describe('a batch CodeBuild answers STOPPED', () => {
    const SENT_AT = Date.parse('2026-03-02T10:00:00Z')
    const stoppedAt = (endTime: number | undefined) => batch(ref(1), 'STOPPED', ['STOPPED'], endTime === undefined ? {} : { endTime: new Date(endTime) })

    it.each([
      ['an hour before the request', SENT_AT - 3_600_000, 'already-complete'],
      ['just past the allowance before the request', SENT_AT - STOPPED_EARLIER_ALLOWANCE_MS - 1, 'already-complete'],
      ['within the allowance before the request (clock skew)', SENT_AT - STOPPED_EARLIER_ALLOWANCE_MS + 1000, 'stopped'],
      ['after the request was sent', SENT_AT + 400, 'stopped'],
      ['with no endTime', undefined, 'stopped']
    ])('that ended %s is reported %s', async (_when, endTime, expected) => {
      const { client, mock } = mockedCodeBuild()
      mock.on(StopBuildBatchCommand).resolves({ buildBatch: stoppedAt(endTime) })

      const [result] = await stopBatches([ref(1)], () => client, { now: () => SENT_AT })

      expect(result).toMatchObject({ result: expected, batch: { buildBatchStatus: 'STOPPED' } })
    })

    it("compares on CodeBuild's clock, as the SDK measured its offset", async () => {
      const { client, mock } = mockedCodeBuild()
      // CodeBuild's clock is ten minutes ahead of this machine's.
      client.config.systemClockOffset = 600_000
      const onServiceClock = SENT_AT + 600_000
      mock
        .on(StopBuildBatchCommand, { id: ref(1).id })
        .resolves({ buildBatch: { ...stoppedAt(onServiceClock - 120_000), id: ref(1).id } })
        .on(StopBuildBatchCommand, { id: ref(2).id })
        .resolves({ buildBatch: { ...stoppedAt(onServiceClock + 300), id: ref(2).id } })

      const outcomes = await stopBatches([ref(1), ref(2)], () => client, { now: () => SENT_AT })

      // On this machine's clock both ended after the request; on CodeBuild's, the first two minutes before.
      expect(outcomes.map((o) => o.result)).toEqual(['already-complete', 'stopped'])
    })
  })

  it('looks a batch up when CodeBuild refuses to stop it, and reports it complete when it is', async () => {
    const { client, mock } = mockedCodeBuild()
    mock.on(StopBuildBatchCommand).rejects(awsError('InvalidInputException', 'Build batch is already complete'))
    mock.on(BatchGetBuildBatchesCommand).resolves({ buildBatches: [batch(ref(1), 'FAILED')], buildBatchesNotFound: [] })

    const [result] = await stopBatches([ref(1)], () => client)

    expect(result).toMatchObject({ result: 'already-complete', batch: { buildBatchStatus: 'FAILED' } })
  })

  it('reports not-found when CodeBuild answers ResourceNotFoundException', async () => {
    const { client, mock } = mockedCodeBuild()
    mock.on(StopBuildBatchCommand).rejects(awsError('ResourceNotFoundException', 'not found'))

    const [result] = await stopBatches([ref(1)], () => client)

    expect(result).toEqual({
      ref: ref(1),
      result: 'not-found',
      error: `CodeBuild has no batch ${ref(1).id} in us-east-1: check the id and the region.`
    })
    expect(mock.commandCalls(BatchGetBuildBatchesCommand)).toHaveLength(0)
  })

  it('reports not-found when CodeBuild answers InvalidInputException and the lookup finds nothing', async () => {
    const { client, mock } = mockedCodeBuild()
    mock.on(StopBuildBatchCommand).rejects(awsError('InvalidInputException', 'does not exist'))
    mock.on(BatchGetBuildBatchesCommand).resolves({ buildBatches: [], buildBatchesNotFound: [ref(1).id] })

    const [result] = await stopBatches([ref(1)], () => client)

    expect(result.result).toBe('not-found')
  })

  it('reports a refused stop of a running batch as failed, with the running state', async () => {
    const { client, mock } = mockedCodeBuild()
    mock.on(StopBuildBatchCommand).rejects(awsError('InvalidInputException', 'cannot stop now'))
    mock.on(BatchGetBuildBatchesCommand).resolves({ buildBatches: [batch(ref(1), 'IN_PROGRESS', ['IN_PROGRESS'])] })

    const [result] = await stopBatches([ref(1)], () => client)

    expect(result).toMatchObject({ result: 'failed', batch: { buildBatchStatus: 'IN_PROGRESS' } })
    expect(result.error).toContain('InvalidInputException: cannot stop now')
  })

  it('keeps the stop error when the lookup after a refusal fails too', async () => {
    const { client, mock } = mockedCodeBuild()
    mock.on(StopBuildBatchCommand).rejects(awsError('InvalidInputException', 'cannot stop now'))
    mock.on(BatchGetBuildBatchesCommand).rejects(awsError('AccessDeniedException', 'not authorized'))

    const [result] = await stopBatches([ref(1)], () => client)

    expect(result.result).toBe('failed')
    expect(result.error).toContain('cannot stop now')
  })

  it('loses nothing on partial failure: every batch gets its outcome', async () => {
    const { client, mock } = mockedCodeBuild()
    const refs = [ref(1), ref(2), ref(3), ref(4)]
    mock
      .on(StopBuildBatchCommand)
      .resolves({ buildBatch: batch(ref(1), 'STOPPED') })
      .on(StopBuildBatchCommand, { id: ref(2).id })
      .rejects(awsError('AccessDeniedException', 'User is not authorized to perform: codebuild:StopBuildBatch'))
      .on(StopBuildBatchCommand, { id: ref(3).id })
      .rejects(new TypeError('socket exploded'))
      .on(StopBuildBatchCommand, { id: ref(4).id })
      .rejects('a plain string')

    const outcomes = await stopBatches(refs, () => client)

    expect(outcomes.map((o) => o.result)).toEqual(['stopped', 'failed', 'failed', 'failed'])
    expect(outcomes[1].error).toContain('grant codebuild:StopBuildBatch on arn:aws:codebuild:us-east-1:<account-id>:project/app')
    expect(outcomes[2].error).toContain('socket exploded')
    expect(outcomes[3].error).toContain('a plain string')
  })

  it('sends each batch to the client of its own region', async () => {
    const east = mockedCodeBuild()
    const west = mockedCodeBuild()
    east.mock.on(StopBuildBatchCommand).resolves({ buildBatch: batch(ref(1), 'STOPPED') })
    west.mock.on(StopBuildBatchCommand).resolves({ buildBatch: batch(ref(2, 'eu-west-1'), 'STOPPED') })

    await stopBatches([ref(1), ref(2, 'eu-west-1')], (region) => (region === 'eu-west-1' ? west.client : east.client))

    expect(east.mock.commandCalls(StopBuildBatchCommand).map((call) => call.args[0].input.id)).toEqual([ref(1).id])
    expect(west.mock.commandCalls(StopBuildBatchCommand).map((call) => call.args[0].input.id)).toEqual([ref(2).id])
  })

  it('keeps at most `concurrency` stop calls in flight', async () => {
    let inFlight = 0
    let most = 0
    const client = {
      send: async () => {
        inFlight++
        most = Math.max(most, inFlight)
        await new Promise((resolve) => setTimeout(resolve, 5))
        inFlight--
        return { buildBatch: { buildBatchStatus: 'STOPPED' } }
      }
    } as unknown as CodeBuildClient
    const refs = Array.from({ length: 25 }, (_, n) => ref(n))

    const outcomes = await stopBatches(refs, () => client, { concurrency: 4 })

    expect(outcomes).toHaveLength(25)
    expect(most).toBe(4)
  })
})

describe('previewBatches', () => {
  it('reports every batch without a single stop, describing only those it does not know', async () => {
    const { client, mock } = mockedCodeBuild()
    const known = batch(ref(1), 'IN_PROGRESS', ['IN_PROGRESS'])
    mock.on(BatchGetBuildBatchesCommand).resolves({
      buildBatches: [batch(ref(2), 'IN_PROGRESS'), batch(ref(3), 'SUCCEEDED')],
      buildBatchesNotFound: [ref(4).id]
    })

    const outcomes = await previewBatches([ref(1), ref(2), ref(3), ref(4)], () => client, new Map([[ref(1).id, known]]))

    expect(outcomes.map((o) => [o.ref.id, o.result])).toEqual([
      [ref(1).id, 'would-stop'],
      [ref(2).id, 'would-stop'],
      [ref(3).id, 'already-complete'],
      [ref(4).id, 'not-found']
    ])
    expect(outcomes[0].batch).toBe(known)
    expect(mock.commandCalls(StopBuildBatchCommand)).toHaveLength(0)
    expect(mock.commandCalls(BatchGetBuildBatchesCommand).map((call) => call.args[0].input.ids)).toEqual([[ref(2).id, ref(3).id, ref(4).id]])
  })

  it('reports a batch it could not describe as failed, with the reason', async () => {
    const { client, mock } = mockedCodeBuild()
    mock.on(BatchGetBuildBatchesCommand).rejects(awsError('AccessDeniedException', 'not authorized'))

    const [result] = await previewBatches([ref(1)], () => client)

    expect(result.result).toBe('failed')
    expect(result.error).toContain('grant codebuild:BatchGetBuildBatches')
  })

  it('reports a batch missing from the answer as not found', async () => {
    const { client, mock } = mockedCodeBuild()
    mock.on(BatchGetBuildBatchesCommand).resolves({})

    const [result] = await previewBatches([ref(1)], () => client)

    expect(result.result).toBe('not-found')
  })
})
