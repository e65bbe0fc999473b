import { describe, expect, it } from '@jest/globals'
import { parseRecordedBatches } from '../src/inputs/recorded-batches.js'

const A = 'app:10000000-0000-4000-8000-000000000000'
const B = 'web:20000000-0000-4000-8000-000000000000'
const ARN_WEST = `arn:aws:codebuild:eu-west-1:123456789012:build-batch/${B}`
const ARN_A = `arn:aws:codebuild:us-east-1:123456789012:build-batch/${A}`

describe('parseRecordedBatches', () => {
  it('reads one id or ARN a line, ignoring blank lines, white space and duplicates', () => {
    const recorded = parseRecordedBatches(`${A}\n\n  ${ARN_WEST}  \r\n${A}\n\t\n`, 'us-east-1')
    expect(recorded.refs).toEqual([
      { id: A, project: 'app', region: 'us-east-1', partition: 'aws' },
      { id: B, project: 'web', region: 'eu-west-1', partition: 'aws', account: '123456789012', arn: ARN_WEST }
    ])
    expect([...recorded.lines]).toEqual([
      [`us-east-1/${A}`, 1],
      [`eu-west-1/${B}`, 3]
    ])
    expect(recorded.malformed).toEqual([])
  })

  it("puts a plain id in the guard's region, and an ARN in its own", () => {
    const recorded = parseRecordedBatches(`${B}\n${ARN_WEST}`, 'us-east-2')
    expect(recorded.refs.map((ref) => [ref.id, ref.region])).toEqual([
      [B, 'us-east-2'],
      [B, 'eu-west-1']
    ])
  })

  it('keeps the ARN of a batch recorded as id and as ARN', () => {
    expect(parseRecordedBatches(`${A}\n${ARN_A}`, 'us-east-1').refs).toEqual([
      { id: A, project: 'app', region: 'us-east-1', partition: 'aws', account: '123456789012', arn: ARN_A }
    ])
  })

  it('reports each malformed line with its number and the reason, and keeps the others', () => {
    const recorded = parseRecordedBatches(`${A}\nnot-an-id\n${A} ${B}\n::error::x\n${B}`, 'us-east-1')
    expect(recorded.refs.map((ref) => ref.id)).toEqual([A, B])
    expect(recorded.malformed.map((line) => line.line)).toEqual([2, 3, 4])
    expect(recorded.malformed[0].reason).toBe('"not-an-id": a batch id has the form project-name:uuid, and this one has no ":"')
    expect(recorded.malformed[1].reason).toContain(`"${A} ${B}"`)
  })

  it('reads nothing from an empty file', () => {
    expect(parseRecordedBatches('', 'us-east-1')).toEqual({ refs: [], lines: new Map(), malformed: [] })
  })
})
