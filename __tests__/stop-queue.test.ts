import { describe, expect, it } from '@jest/globals'
import type { StopBuildBatchCommand, StopBuildBatchCommandOutput } from '@aws-sdk/client-codebuild'
import type { BatchOutcome } from '../src/codebuild/batch-outcome.js'
import { createStopQueue } from '../src/codebuild/stop-queue.js'
import type { CodeBuildApi } from '../src/codebuild/stop-batches.js'
import { batch, ref } from './fixtures.js'

/** A CodeBuild whose stop answers the test releases one by one, recording what was asked and when. */
function heldCodeBuild() {
  const asked: string[] = []
  const pending = new Map<string, () => void>()
  const send = (command: StopBuildBatchCommand): Promise<StopBuildBatchCommandOutput> => {
    const id = command.input.id ?? ''
    asked.push(id)
    return new Promise((resolve) => {
      pending.set(id, () => resolve({ buildBatch: batch({ ...ref(0), id }, 'STOPPED', ['STOPPED']), $metadata: {} }))
    })
  }
  const client = { send } as unknown as CodeBuildApi
  const answer = (id: string): void => {
    pending.get(id)?.()
    pending.delete(id)
  }
  return { client, asked, answer, inFlight: () => pending.size }
}

const settle = () => new Promise((resolve) => setImmediate(resolve))
const refs = (count: number) => Array.from({ length: count }, (_, n) => ref(n + 1))

describe('createStopQueue', () => {
  it('keeps at most `concurrency` stops in flight, and sends the next as soon as one is answered', async () => {
    const codebuild = heldCodeBuild()
    const queue = createStopQueue(() => codebuild.client, { concurrency: 3, cancelled: new AbortController().signal, terminated: new AbortController().signal })
    const all = refs(5)
    queue.add(all)
    await settle()
    expect(codebuild.asked).toEqual(all.slice(0, 3).map(({ id }) => id))

    codebuild.answer(all[1].id)
    await settle()
    expect(codebuild.asked).toHaveLength(4)
    expect(codebuild.inFlight()).toBe(3)
  })

  it('sends every stop still waiting at once after the first cancel signal', async () => {
    const codebuild = heldCodeBuild()
    const cancelled = new AbortController()
    const queue = createStopQueue(() => codebuild.client, { concurrency: 2, cancelled: cancelled.signal, terminated: new AbortController().signal })
    queue.add(refs(40))
    await settle()
    expect(codebuild.asked).toHaveLength(2)

    cancelled.abort()
    await settle()
    expect(codebuild.asked).toHaveLength(40)
    queue.add([ref(41)])
    await settle()
    expect(codebuild.asked).toHaveLength(41)
  })

  it('queues each batch once, however often it is added, and sends a batch added later at once', async () => {
    const codebuild = heldCodeBuild()
    const queue = createStopQueue(() => codebuild.client, { cancelled: new AbortController().signal, terminated: new AbortController().signal })
    expect(queue.add([ref(1), ref(1), ref(2)])).toEqual([ref(1), ref(2)])
    expect(queue.add([ref(2), ref(3)])).toEqual([ref(3)])
    expect(queue.size()).toBe(3)
    await settle()
    expect(codebuild.asked).toEqual([ref(1).id, ref(2).id, ref(3).id])
    // The same id in another region is another batch.
    expect(queue.add([ref(1, 'eu-west-1')])).toHaveLength(1)
  })

  it('resolves the outcomes in the order asked, once each has its answer, reporting each as it comes', async () => {
    const codebuild = heldCodeBuild()
    const seen: string[] = []
    const queue = createStopQueue(() => codebuild.client, {
      cancelled: new AbortController().signal,
      terminated: new AbortController().signal,
      onOutcome: (outcome) => seen.push(outcome.ref.id)
    })
    const [a, b] = refs(2)
    queue.add([a, b])
    let outcomes: BatchOutcome[] | undefined
    void queue.outcomes([b, a]).then((done) => (outcomes = done))
    await settle()
    codebuild.answer(b.id)
    await settle()
    expect(outcomes).toBeUndefined()
    codebuild.answer(a.id)
    await settle()
    expect(seen).toEqual([b.id, a.id])
    expect(outcomes?.map((outcome) => [outcome.ref.id, outcome.result])).toEqual([
      [b.id, 'stopped'],
      [a.id, 'stopped']
    ])
  })

  it('stops waiting at SIGTERM, reporting a stop without an answer as requested, and sends what still waited', async () => {
    const codebuild = heldCodeBuild()
    const terminated = new AbortController()
    const queue = createStopQueue(() => codebuild.client, { concurrency: 1, cancelled: new AbortController().signal, terminated: terminated.signal })
    const [a, b, c] = refs(3)
    queue.add([a, b, c])
    const outcomes = queue.outcomes([a, b, c])
    await settle()
    codebuild.answer(a.id)
    await settle()
    terminated.abort()
    const done = await outcomes
    expect(done.map((outcome) => outcome.result)).toEqual(['stopped', 'requested', 'requested'])
    expect(codebuild.asked).toEqual([a.id, b.id, c.id])
    // Already terminated: answers at once.
    expect((await queue.outcomes([b])).map((outcome) => outcome.result)).toEqual(['requested'])
  })

  it('reports a client that cannot be made as a failed stop', async () => {
    const queue = createStopQueue(
      () => {
        throw new Error('Region is missing')
      },
      { cancelled: new AbortController().signal, terminated: new AbortController().signal }
    )
    queue.add([ref(1)])
    expect(await queue.outcomes([ref(1)])).toEqual([{ ref: ref(1), result: 'failed', error: 'Region is missing' }])
  })

  it('refuses to report a batch that was never queued', async () => {
    const queue = createStopQueue(() => heldCodeBuild().client, { cancelled: new AbortController().signal, terminated: new AbortController().signal })
    await expect(queue.outcomes([ref(9)])).rejects.toThrow(`no stop was queued for ${ref(9).id} (us-east-1)`)
  })
})
