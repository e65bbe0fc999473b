import { describe, expect, it } from '@jest/globals'
import { MIXED } from '../src/inputs/constants.js'
import { batchReport, buildOutputs } from '../src/report/outputs.js'
import { batch, outcome, ref } from './fixtures.js'

describe('buildOutputs', () => {
  it('fills the single-batch outputs when one batch was requested', () => {
    const one = outcome(ref(1), 'stopped', batch(ref(1), 'STOPPED', ['STOPPED']))
    expect(buildOutputs([one], true)).toEqual({
      status: 'STOPPED',
      complete: 'true',
      'current-phase': 'STOPPED',
      'batch-id': ref(1).id,
      'batch-arn': `arn:aws:codebuild:us-east-1:123456789012:build-batch/${ref(1).id}`,
      'build-batch-number': '7',
      'stopped-ids': JSON.stringify([ref(1).id]),
      batches: JSON.stringify([batchReport(one)])
    })
  })

  it('leaves the single-batch outputs empty for several batches, and shares the common status', () => {
    const outputs = buildOutputs(
      [outcome(ref(1), 'stopped', batch(ref(1), 'STOPPED')), outcome(ref(2), 'stopped', batch(ref(2), 'STOPPED'))],
      true
    )
    expect(outputs).toMatchObject({ status: 'STOPPED', 'current-phase': 'STOPPED', 'batch-id': '', 'batch-arn': '', 'build-batch-number': '' })
  })

  it('says MIXED when the batches disagree', () => {
    const outputs = buildOutputs(
      [outcome(ref(1), 'stopped', batch(ref(1), 'STOPPED')), outcome(ref(2), 'already-complete', batch(ref(2), 'SUCCEEDED'))],
      true
    )
    expect(outputs.status).toBe(MIXED)
    expect(outputs['current-phase']).toBe(MIXED)
  })

  it('leaves status empty, and complete vacuously true, when no batch was found', () => {
    const outputs = buildOutputs([outcome(ref(1), 'not-found', undefined, 'gone')], true)
    expect(outputs).toMatchObject({ status: '', complete: 'true', 'batch-id': ref(1).id, 'batch-arn': '', 'stopped-ids': '[]' })
  })

  it('keeps complete false while a build still runs, after waiting', () => {
    const running = outcome(ref(1), 'stopped', batch(ref(1), 'STOPPED', ['STOPPED', 'PENDING']))
    expect(buildOutputs([running], true).complete).toBe('false')
  })

  it("follows the batch's own complete flag without waiting", () => {
    const running = outcome(ref(1), 'stopped', batch(ref(1), 'STOPPED', ['IN_PROGRESS']))
    expect(buildOutputs([running], false).complete).toBe('true')
    expect(batchReport(running)).toMatchObject({ complete: true, settled: false, runningBuilds: 1 })
  })

  it('does not count a missing batch against complete, but does count a failed one', () => {
    const stopped = outcome(ref(1), 'stopped', batch(ref(1), 'STOPPED', ['STOPPED']))
    expect(buildOutputs([stopped, outcome(ref(2), 'not-found', undefined, 'gone')], true).complete).toBe('true')
    expect(buildOutputs([stopped, outcome(ref(2), 'failed', undefined, 'denied')], true).complete).toBe('false')
  })

  it('lists only accepted stops in stopped-ids, and every batch with its result in batches', () => {
    const outcomes = [
      outcome(ref(1), 'stopped', batch(ref(1), 'STOPPED')),
      outcome(ref(2), 'already-complete', batch(ref(2), 'SUCCEEDED')),
      outcome(ref(3), 'not-found', undefined, 'gone'),
      outcome(ref(4, 'eu-west-1'), 'failed', undefined, 'denied')
    ]
    const outputs = buildOutputs(outcomes, true)
    expect(JSON.parse(outputs['stopped-ids'])).toEqual([ref(1).id])
    expect(JSON.parse(outputs.batches)).toEqual([
      expect.objectContaining({ id: ref(1).id, result: 'stopped', status: 'STOPPED', buildBatchNumber: 7 }),
      expect.objectContaining({ id: ref(2).id, result: 'already-complete', status: 'SUCCEEDED' }),
      { id: ref(3).id, arn: '', region: 'us-east-1', status: '', currentPhase: '', complete: false, settled: false, runningBuilds: 0, buildBatchNumber: null, result: 'not-found', error: 'gone' },
      expect.objectContaining({ id: ref(4).id, region: 'eu-west-1', result: 'failed', error: 'denied' })
    ])
  })

  it('leaves a stop that was not confirmed out of stopped-ids, and keeps complete false', () => {
    const outcomes = [outcome(ref(1), 'stopped', batch(ref(1), 'STOPPED', ['STOPPED'])), outcome(ref(2), 'requested')]
    const outputs = buildOutputs(outcomes, true)
    expect(JSON.parse(outputs['stopped-ids'])).toEqual([ref(1).id])
    expect(outputs.complete).toBe('false')
    expect(JSON.parse(outputs.batches)[1]).toMatchObject({ id: ref(2).id, result: 'requested', status: '', complete: false })
  })
})
