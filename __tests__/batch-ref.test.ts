import { describe, expect, it } from '@jest/globals'
import { BatchRefError, isRegion, parseBatchRef, partitionOf, projectArnOf } from '../src/inputs/batch-ref.js'

const UUID = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0'
const ID = `my-app:${UUID}`

describe('parseBatchRef', () => {
  it('takes a plain id in the default region', () => {
    expect(parseBatchRef(ID, 'eu-west-1')).toEqual({ id: ID, project: 'my-app', region: 'eu-west-1', partition: 'aws' })
  })

  it.each([
    ['aws', 'us-east-1'],
    ['aws-cn', 'cn-north-1'],
    ['aws-us-gov', 'us-gov-west-1'],
    ['aws-iso-b', 'us-isob-east-1']
  ])('takes a batch ARN of partition %s, with its region and account', (partition, region) => {
    const arn = `arn:${partition}:codebuild:${region}:123456789012:build-batch/${ID}`
    expect(parseBatchRef(arn, 'us-west-2')).toEqual({ id: ID, project: 'my-app', region, partition, account: '123456789012', arn })
  })

  it('needs no default region for an ARN', () => {
    expect(parseBatchRef(`arn:aws:codebuild:us-east-1:123456789012:build-batch/${ID}`, undefined).region).toBe('us-east-1')
  })

  // One line per malformed token: [token, a fragment of the reason].
  it.each([
    ['my-app', 'has no ":"'],
    [`:${UUID}`, 'project name before ":" is missing'],
    ['my-app:', 'batch uuid after ":" is missing'],
    [`a:${UUID}`, 'project name must be 2 to 255'],
    [`my.app:${UUID}`, 'project name must be 2 to 255'],
    [`my app:${UUID}`, 'project name must be 2 to 255'],
    [`-app:${UUID}`, 'project name must be 2 to 255'],
    [`${'p'.repeat(256)}:${UUID}`, 'project name must be 2 to 255'],
    ['my-app:not-a-uuid', 'not a batch uuid'],
    ['my-app:0f1e2d3c-4b5a-6978-8796', 'not a batch uuid'],
    [`my-app:${UUID.replace('0f', 'zz')}`, 'not a batch uuid'],
    [`my-app:${UUID}\u0000`, 'not a batch uuid'],
    [`my-app:${UUID}:extra`, 'not a batch uuid'],
    [`arn:aws:s3:us-east-1:123456789012:build-batch/${ID}`, 'of the "s3" service'],
    [`arn:aws::us-east-1:123456789012:build-batch/${ID}`, 'names no service'],
    [`arn:aws:codebuild:us-east-1:123456789012:build/${ID}`, 'ARN of a single build'],
    ['arn:aws:codebuild:us-east-1:123456789012:project/my-app', 'does not name a batch build'],
    [`arn:aws-mars:codebuild:us-east-1:123456789012:build-batch/${ID}`, 'not an AWS partition'],
    [`arn:AWS:codebuild:us-east-1:123456789012:build-batch/${ID}`, 'not an AWS partition'],
    [`arn:aws-cn:codebuild:us-east-1:123456789012:build-batch/${ID}`, 'not in partition aws-cn'],
    [`arn:aws:codebuild:cn-north-1:123456789012:build-batch/${ID}`, 'not in partition aws'],
    [`arn:aws:codebuild:us-east:123456789012:build-batch/${ID}`, 'not an AWS region'],
    [`arn:aws:codebuild:us-east-1:12345678901:build-batch/${ID}`, 'not a 12-digit account id'],
    ['arn:aws:codebuild:us-east-1', 'an ARN has the form'],
    [`arn:aws:codebuild:us-east-1:123456789012:build-batch/my-app`, 'has no ":"'],
    [`arn:aws:codebuild:us-east-1:123456789012:build-batch/${'x'.repeat(300)}:${UUID}`, 'project name must be 2 to 255']
  ])('rejects %j: %s', (token, reason) => {
    const attempt = (): unknown => parseBatchRef(token, 'us-east-1')
    expect(attempt).toThrow(BatchRefError)
    expect(attempt).toThrow(reason)
  })

  it('rejects a plain id when no region is known, and says how to give one', () => {
    expect(() => parseBatchRef(ID, undefined)).toThrow('set the aws-region input or AWS_REGION, or pass the batch ARN')
  })

  it('quotes the token in the error, escaped and cut', () => {
    let error: BatchRefError | undefined
    try {
      parseBatchRef(`bad\n::error::${'x'.repeat(200)}`, 'us-east-1')
    } catch (caught) {
      error = caught as BatchRefError
    }
    expect(error?.message).toMatch(/^"bad\\n::error::x+…": /)
    expect(error?.message).not.toContain('\n')
  })
})

describe('regions and partitions', () => {
  it.each([
    ['us-east-1', 'aws'],
    ['eu-central-2', 'aws'],
    ['cn-northwest-1', 'aws-cn'],
    ['us-gov-east-1', 'aws-us-gov'],
    ['us-iso-east-1', 'aws-iso'],
    ['us-isob-east-1', 'aws-iso-b'],
    ['eu-isoe-west-1', 'aws-iso-e'],
    ['us-isof-south-1', 'aws-iso-f'],
    ['eusc-de-east-1', 'aws-eusc']
  ])('puts %s in partition %s', (region, partition) => {
    expect(isRegion(region)).toBe(true)
    expect(partitionOf(region)).toBe(partition)
  })

  it.each(['us-east', 'US-EAST-1', 'useast1', 'mars-1', 'us-east-1a', '', 'us-east-1 '])('does not take %j for a region', (value) => {
    expect(isRegion(value)).toBe(false)
  })

  it('names the project ARN for IAM, with a placeholder for an unknown account', () => {
    expect(projectArnOf(parseBatchRef(ID, 'cn-north-1'))).toBe('arn:aws-cn:codebuild:cn-north-1:<account-id>:project/my-app')
    expect(projectArnOf(parseBatchRef(`arn:aws:codebuild:us-east-1:123456789012:build-batch/${ID}`, undefined))).toBe(
      'arn:aws:codebuild:us-east-1:123456789012:project/my-app'
    )
  })
})
