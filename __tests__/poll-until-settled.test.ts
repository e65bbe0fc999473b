import { describe, expect, it } from '@jest/globals'
import { BatchGetBuildBatchesCommand, CodeBuildClient, type BuildBatch } from '@aws-sdk/client-codebuild'
import { mockClient } from 'aws-sdk-client-mock'
import type { BatchOutcome } from '../src/codebuild/batch-outcome.js'
import type { BatchRef } from '../src/inputs/batch-ref.js'
import { pollUntilSettled, type WaitOptions, type WaitProgress } from '../src/codebuild/poll-until-settled.js'
import { awsError, batch, outcome, ref } from './fixtures.js'

/** A clock that only moves when the code under test sleeps. */
function fakeClock(options: Partial<WaitOptions> = {}) {
  let now = 0
  const sleeps: number[] = []
  const waitOptions: WaitOptions = {
    timeoutMs: 60_000,
    intervalMs: 5000,
    now: () => now,
    sleep: async (ms, signal) => {
      sleeps.push(ms)
      if (!signal.aborted) now += ms
    },
    signal: new AbortController().signal,
    ...options
  }
  return { waitOptions, sleeps, elapsed: () => now }
}

/** A CodeBuild whose batches settle after `pollsToSettle` polls of each. */
function settlingCodeBuild(refs: readonly BatchRef[], pollsToSettle: number) {
  const client = new CodeBuildClient({ region: 'us-east-1' })
  const mock = mockClient(client)
  const polls = new Map<string, number>()
  mock.on(BatchGetBuildBatchesCommand).callsFake(async ({ ids }: { ids: string[] }) => ({
    buildBatches: ids.map((id): BuildBatch => {
      const seen = (polls.get(id) ?? 0) + 1
      polls.set(id, seen)
      const of = refs.find((r) => r.id === id)!
      return batch(of, 'STOPPED', seen >= pollsToSettle ? ['STOPPED', 'STOPPED'] : ['IN_PROGRESS', 'PENDING'])
    })
  }))
  return { client, mock }
}

const stopping = (of: BatchRef): BatchOutcome => outcome(of, 'stopped', batch(of, 'STOPPED', ['IN_PROGRESS', 'PENDING']))

describe('pollUntilSettled', () => {
  it('polls until every build has stopped, one interval apart', async () => {
    const refs = [ref(1), ref(2)]
    const { client, mock } = settlingCodeBuild(refs, 3)
    const clock = fakeClock()

    const result = await pollUntilSettled(refs.map(stopping), () => client, clock.waitOptions)

    expect(result.end).toBe('settled')
    expect(result.rounds).toBe(3)
    expect(clock.sleeps).toEqual([5000, 5000, 5000])
    expect(mock.commandCalls(BatchGetBuildBatchesCommand)).toHaveLength(3)
    expect(result.outcomes.every((o) => o.batch?.buildGroups?.every((g) => g.currentBuildSummary?.buildStatus === 'STOPPED'))).toBe(true)
  })

  it('does not poll when every batch has already settled', async () => {
    const { client, mock } = settlingCodeBuild([ref(1)], 1)
    const settled = outcome(ref(1), 'already-complete', batch(ref(1), 'SUCCEEDED', ['SUCCEEDED']))

    const result = await pollUntilSettled([settled], () => client, fakeClock().waitOptions)

    expect(result).toMatchObject({ end: 'settled', rounds: 0 })
    expect(mock.commandCalls(BatchGetBuildBatchesCommand)).toHaveLength(0)
  })

  it('does not poll batches that were not found or could not be stopped', async () => {
    const { client, mock } = settlingCodeBuild([], 1)
    const outcomes = [outcome(ref(1), 'not-found', undefined, 'gone'), outcome(ref(2), 'failed', undefined, 'denied')]

    const result = await pollUntilSettled(outcomes, () => client, fakeClock().waitOptions)

    expect(result.end).toBe('settled')
    expect(mock.commandCalls(BatchGetBuildBatchesCommand)).toHaveLength(0)
  })

  it('asks for at most 100 ids per call, and one call per region', async () => {
    const east = Array.from({ length: 250 }, (_, n) => ref(n))
    const west = Array.from({ length: 3 }, (_, n) => ref(1000 + n, 'eu-west-1'))
    const eastApi = settlingCodeBuild(east, 1)
    const westApi = settlingCodeBuild(west, 1)

    const result = await pollUntilSettled(
      [...east, ...west].map(stopping),
      (region) => (region === 'eu-west-1' ? westApi.client : eastApi.client),
      fakeClock().waitOptions
    )

    expect(result.end).toBe('settled')
    expect(eastApi.mock.commandCalls(BatchGetBuildBatchesCommand).map((call) => call.args[0].input.ids?.length)).toEqual([100, 100, 50])
    expect(westApi.mock.commandCalls(BatchGetBuildBatchesCommand).map((call) => call.args[0].input.ids?.length)).toEqual([3])
  })

  it('gives up at the timeout after a last poll before the deadline, keeping the last known state', async () => {
    const { client, mock } = settlingCodeBuild([ref(1)], Number.POSITIVE_INFINITY)
    const clock = fakeClock({ timeoutMs: 12_000, intervalMs: 5000 })

    const result = await pollUntilSettled([stopping(ref(1))], () => client, clock.waitOptions)

    expect(result.end).toBe('timed-out')
    // The last round starts early enough to end by the deadline.
    expect(clock.sleeps).toEqual([5000, 5000, 1000])
    expect(clock.elapsed()).toBe(11_000)
    expect(mock.commandCalls(BatchGetBuildBatchesCommand)).toHaveLength(3)
    expect(result.outcomes[0].batch?.buildBatchStatus).toBe('STOPPED')
  })

  it('ends at once, keeping the state so far, when the signal aborts during a sleep', async () => {
    const { client } = settlingCodeBuild([ref(1)], Number.POSITIVE_INFINITY)
    const controller = new AbortController()
    let sleeps = 0
    const result = await pollUntilSettled([stopping(ref(1))], () => client, {
      ...fakeClock().waitOptions,
      signal: controller.signal,
      sleep: async () => {
        if (++sleeps === 2) controller.abort()
      }
    })

    expect(result).toMatchObject({ end: 'interrupted', rounds: 1 })
  })

  it('ends when the signal aborts while a poll is in flight', async () => {
    const controller = new AbortController()
    const client = {
      send: (_command: unknown, options: { abortSignal: AbortSignal }) =>
        new Promise((_resolve, reject) => {
          options.abortSignal.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' })))
          controller.abort()
        })
    } as unknown as CodeBuildClient
    const problems: string[] = []

    const result = await pollUntilSettled([stopping(ref(1))], () => client, {
      ...fakeClock().waitOptions,
      signal: controller.signal,
      onProblem: (message) => problems.push(message)
    })

    expect(result.end).toBe('interrupted')
    expect(problems).toEqual([])
    expect(result.outcomes[0].batch?.buildGroups?.[0].currentBuildSummary?.buildStatus).toBe('IN_PROGRESS')
  })

  it('stops waiting for batches whose poll CodeBuild refuses, and says why', async () => {
    const client = new CodeBuildClient({ region: 'us-east-1' })
    mockClient(client).on(BatchGetBuildBatchesCommand).rejects(awsError('AccessDeniedException', 'not authorized'))
    const problems: string[] = []

    const result = await pollUntilSettled([stopping(ref(1))], () => client, {
      ...fakeClock().waitOptions,
      onProblem: (message) => problems.push(message)
    })

    expect(result).toMatchObject({ end: 'unconfirmed', rounds: 1 })
    expect(problems).toEqual([expect.stringContaining('stopped waiting for 1 batch(es) in us-east-1: access denied: grant codebuild:BatchGetBuildBatches')])
  })

  it('keeps polling after a poll that failed for a server-side reason', async () => {
    const client = new CodeBuildClient({ region: 'us-east-1' })
    mockClient(client)
      .on(BatchGetBuildBatchesCommand)
      .rejectsOnce(awsError('InternalFailure', 'oops', 500, 10))
      .resolves({ buildBatches: [batch(ref(1), 'STOPPED', ['STOPPED'])] })
    const problems: string[] = []

    const result = await pollUntilSettled([stopping(ref(1))], () => client, {
      ...fakeClock().waitOptions,
      onProblem: (message) => problems.push(message)
    })

    expect(result).toMatchObject({ end: 'settled', rounds: 2 })
    expect(problems).toEqual([expect.stringContaining('failed, trying again')])
  })

  it('stops waiting for a batch that CodeBuild no longer finds', async () => {
    const client = new CodeBuildClient({ region: 'us-east-1' })
    mockClient(client).on(BatchGetBuildBatchesCommand).resolves({ buildBatches: [], buildBatchesNotFound: [ref(1).id] })
    const problems: string[] = []
    const rounds: Array<[number, WaitProgress]> = []

    const result = await pollUntilSettled([stopping(ref(1))], () => client, {
      ...fakeClock().waitOptions,
      onProblem: (message) => problems.push(message),
      onRound: (round, unsettled) => rounds.push([round, unsettled])
    })

    expect(result.end).toBe('unconfirmed')
    expect(problems).toEqual([`stopped waiting for ${ref(1).id}: CodeBuild no longer finds it`])
    expect(rounds).toEqual([[1, { settled: 0, stopping: 0, unanswered: 0, unconfirmed: 1, notWaited: 0 }]])
  })

  it.each([
    ['AccessDeniedException', awsError('AccessDeniedException', 'User is not authorized to perform codebuild:BatchGetBuildBatches')],
    ['ResourceNotFoundException', awsError('ResourceNotFoundException', 'no such project')],
    ['ExpiredTokenException', awsError('ExpiredTokenException', 'The security token included in the request is expired')]
  ])('ends the wait for the batches on a refusal (%s)', async (_name, error) => {
    const client = new CodeBuildClient({ region: 'us-east-1' })
    const mock = mockClient(client)
    mock.on(BatchGetBuildBatchesCommand).rejects(error)

    const result = await pollUntilSettled([stopping(ref(1))], () => client, fakeClock().waitOptions)

    expect(result).toMatchObject({ end: 'unconfirmed', rounds: 1 })
    expect(mock.commandCalls(BatchGetBuildBatchesCommand)).toHaveLength(1)
  })

  it.each([
    ['throttling past the client retries', awsError('ThrottlingException', 'Rate exceeded', 400, 10)],
    ['a 503', awsError('ServiceUnavailableException', 'try later', 503, 10)],
    ['a reset connection', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
    ['a timeout', Object.assign(new Error('timed out'), { name: 'TimeoutError' })]
  ])('asks again next round after %s, and says so without claiming a state', async (_what, error) => {
    const client = new CodeBuildClient({ region: 'us-east-1' })
    mockClient(client)
      .on(BatchGetBuildBatchesCommand)
      .rejectsOnce(error)
      .resolves({ buildBatches: [batch(ref(1), 'STOPPED', ['STOPPED'])] })
    const problems: string[] = []
    const rounds: Array<[number, WaitProgress]> = []

    const result = await pollUntilSettled([stopping(ref(1))], () => client, {
      ...fakeClock().waitOptions,
      onProblem: (message) => problems.push(message),
      onRound: (round, progress) => rounds.push([round, progress])
    })

    expect(result).toMatchObject({ end: 'settled', rounds: 2 })
    expect(problems).toEqual([expect.stringContaining('failed, trying again next round')])
    expect(rounds).toEqual([
      [1, { settled: 0, stopping: 0, unanswered: 1, unconfirmed: 0, notWaited: 0 }],
      [2, { settled: 1, stopping: 0, unanswered: 0, unconfirmed: 0, notWaited: 0 }]
    ])
  })

  it('keeps asking through throttling until wait-timeout, never ending the wait early', async () => {
    const client = new CodeBuildClient({ region: 'us-east-1' })
    const mock = mockClient(client)
    mock.on(BatchGetBuildBatchesCommand).rejects(awsError('ThrottlingException', 'Rate exceeded', 400, 10))

    const result = await pollUntilSettled([stopping(ref(1))], () => client, fakeClock({ timeoutMs: 30_000 }).waitOptions)

    expect(result.end).toBe('timed-out')
    expect(mock.commandCalls(BatchGetBuildBatchesCommand).length).toBeGreaterThanOrEqual(6)
    expect(result.progress).toMatchObject({ stopping: 1, unconfirmed: 0 })
  })

  it('aborts and abandons a poll still in flight at the deadline', async () => {
    const deadline = new AbortController()
    let seen: AbortSignal | undefined
    // A call that never settles, even when aborted: the wait must end anyway.
    const client = {
      send: (_command: unknown, options: { abortSignal: AbortSignal }) => {
        seen = options.abortSignal
        setTimeout(() => deadline.abort(new Error('deadline')), 5)
        return new Promise(() => undefined)
      }
    } as unknown as CodeBuildClient
    const problems: string[] = []

    const result = await pollUntilSettled([stopping(ref(1))], () => client, {
      ...fakeClock().waitOptions,
      deadlineSignal: () => deadline.signal,
      onProblem: (message) => problems.push(message)
    })

    expect(result).toMatchObject({ end: 'timed-out', rounds: 1, abandoned: true })
    expect(seen?.aborted).toBe(true)
    expect(problems).toEqual([])
  })

  it('bounds each poll by the time left before the deadline', async () => {
    const { client } = settlingCodeBuild([ref(1)], 1)
    const asked: number[] = []
    const result = await pollUntilSettled([stopping(ref(1))], () => client, {
      ...fakeClock({ timeoutMs: 12_000, intervalMs: 5000 }).waitOptions,
      deadlineSignal: (ms) => {
        asked.push(ms)
        return new AbortController().signal
      }
    })

    expect(result.end).toBe('settled')
    expect(asked).toEqual([7000])
  })

  it('counts a batch whose stop failed as not waited for, never as stopped', async () => {
    const { client } = settlingCodeBuild([ref(1)], 1)
    const rounds: Array<[number, WaitProgress]> = []

    const result = await pollUntilSettled(
      [stopping(ref(1)), outcome(ref(2), 'failed', undefined, 'denied')],
      () => client,
      { ...fakeClock().waitOptions, onRound: (round, progress) => rounds.push([round, progress]) }
    )

    expect(result.end).toBe('settled')
    expect(rounds).toEqual([[1, { settled: 1, stopping: 0, unanswered: 0, unconfirmed: 0, notWaited: 1 }]])
  })
})
