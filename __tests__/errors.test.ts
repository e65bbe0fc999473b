import { describe, expect, it } from '@jest/globals'
import { describeAwsError, errorMessage, errorName, httpStatusOf, type CallContext } from '../src/runtime/errors.js'
import { awsError } from './fixtures.js'

const STOP: CallContext = { operation: 'StopBuildBatch', projectArn: 'arn:aws:codebuild:us-east-1:123456789012:project/app' }

describe('errorMessage', () => {
  const circular: Record<string, unknown> = {}
  circular.self = circular

  it.each([
    [new Error('boom'), 'boom'],
    ['plain string', 'plain string'],
    [{ message: 'from an object' }, 'from an object'],
    [{ code: 42 }, '{"code":42}'],
    [42, '42'],
    [undefined, 'undefined'],
    [null, 'null'],
    [circular, '[object Object]'],
    [new Error(''), 'unknown error'],
    ['   ', 'unknown error']
  ])('turns %p into %j', (thrown, message) => {
    expect(errorMessage(thrown)).toBe(message)
  })

  it("drops the SDK's hint for developers from deserialization errors", () => {
    const error = new SyntaxError(
      'Unexpected end of JSON input\n  Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.'
    )
    expect(errorMessage(error)).toBe('Unexpected end of JSON input')
  })

  it('reads names and HTTP statuses only where they are', () => {
    expect(errorName(new TypeError('x'))).toBe('TypeError')
    expect(errorName('x')).toBe('')
    expect(httpStatusOf(awsError('X', 'y', 503))).toBe(503)
    expect(httpStatusOf(new Error('x'))).toBeUndefined()
  })
})

describe('describeAwsError', () => {
  it.each([
    [Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }), 'aws-actions/configure-aws-credentials'],
    [awsError('UnrecognizedClientException', 'The security token included in the request is invalid.'), 'AWS rejected the credentials (UnrecognizedClientException)'],
    [awsError('ExpiredTokenException', 'expired'), 'invalid or expired'],
    [awsError('AccessDeniedException', 'User is not authorized'), `access denied: grant codebuild:StopBuildBatch on ${STOP.projectArn} to the role this step uses. AWS said: User is not authorized`],
    [awsError('ThrottlingException', 'Rate exceeded', 400, 10), 'CodeBuild kept throttling StopBuildBatch after 10 attempts'],
    [Object.assign(new Error('a request has exceeded the configured 10000 ms requestTimeout'), { name: 'TimeoutError', $metadata: { attempts: 10 } }), 'StopBuildBatch timed out after 10 attempts'],
    [Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED', $metadata: { attempts: 10 } }), 'could not reach CodeBuild after 10 attempts (ECONNREFUSED)'],
    [Object.assign(new SyntaxError('Unexpected end of JSON input'), { $metadata: { attempts: 10 } }), 'got an answer from CodeBuild that could not be read after 10 attempts'],
    [awsError('TeapotException', 'short and stout', 418), 'StopBuildBatch failed (HTTP 418): TeapotException: short and stout'],
    [new Error('bare'), 'StopBuildBatch failed: bare']
  ])('explains %p', (error, explanation) => {
    expect(describeAwsError(error, STOP)).toContain(explanation)
  })

  it('names the operation in the IAM hint', () => {
    expect(describeAwsError(awsError('AccessDeniedException', 'no'), { ...STOP, operation: 'BatchGetBuildBatches' })).toContain(
      'grant codebuild:BatchGetBuildBatches on'
    )
  })
})
