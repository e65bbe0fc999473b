// The client factory's attempt observer, with the real SDK against the local endpoint.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { StopBuildBatchCommand } from '@aws-sdk/client-codebuild'
import { createLocalCodeBuild, LOCAL_ACCESS_KEY_ID, LOCAL_SECRET_ACCESS_KEY } from '../local-codebuild/server.mjs'
import { createCodeBuildClient, type RequestAttempt } from '../src/codebuild/codebuild-client.js'

describe('createCodeBuildClient with onAttempt', () => {
  const saved = { ...process.env }
  let endpoint: ReturnType<typeof createLocalCodeBuild>

  beforeEach(async () => {
    endpoint = createLocalCodeBuild({
      faults: [
        { kind: 'throttle', operation: 'StopBuildBatch', count: 1 },
        { kind: 'reset', operation: 'StopBuildBatch', count: 1 }
      ]
    })
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_CODEBUILD: await endpoint.listen(),
      AWS_ACCESS_KEY_ID: LOCAL_ACCESS_KEY_ID,
      AWS_SECRET_ACCESS_KEY: LOCAL_SECRET_ACCESS_KEY,
      AWS_EC2_METADATA_DISABLED: 'true'
    })
  })

  afterEach(async () => {
    process.env = { ...saved }
    await endpoint.close()
  })

  it('reports every attempt with its operation, number, status or network error, and request id', async () => {
    const attempts: RequestAttempt[] = []
    const client = createCodeBuildClient('us-east-1', '1.0.0', { onAttempt: (attempt) => attempts.push(attempt) })
    const id = endpoint.addBatch({ project: 'app' })

    await client.send(new StopBuildBatchCommand({ id }))
    client.destroy()

    const ids = endpoint.requests.map((request) => request.requestId)
    expect(attempts).toEqual([
      expect.objectContaining({ operation: 'StopBuildBatch', attempt: 1, maxAttempts: 10, status: 400, errorName: 'ThrottlingException', requestId: ids[0] }),
      expect.objectContaining({ operation: 'StopBuildBatch', attempt: 2, maxAttempts: 10, errorName: 'ECONNRESET' }),
      expect.objectContaining({ operation: 'StopBuildBatch', attempt: 3, maxAttempts: 10, status: 200, requestId: ids[2] })
    ])
    expect(attempts[1].requestId).toBeUndefined()
    expect(JSON.stringify(attempts)).not.toContain(LOCAL_SECRET_ACCESS_KEY)
  })
})
