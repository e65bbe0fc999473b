// End to end: the action composes with other steps. batch-id takes the JSON array that
// stopped-ids (and other actions' outputs) give, and a setting that does not concern a
// request never blocks it.
import { describe, expect, it } from '@jest/globals'
import { LOCAL_ACCOUNT } from '../../local-codebuild/server.mjs'
import { batchesOf, runStep, withEndpoint } from './harness.js'

const arn = (id: string, region: string): string => `arn:aws:codebuild:${region}:${LOCAL_ACCOUNT}:build-batch/${id}`

describe('batch-id takes a JSON array', () => {
  it("waits, in a later step, for the batches an earlier step stopped: batch-id: ${{ steps.cleanup.outputs.stopped-ids }}", async () => {
    await withEndpoint({}, async (endpoint, url) => {
      const ids = [1, 2, 3].map(() => endpoint.addBatch({ project: 'app', pollsToSettle: 2 }))
      const cleanup = await runStep(url, { 'batch-id': ids.join(' '), wait: 'false' })
      expect(cleanup.outputs['stopped-ids']).toBe(JSON.stringify(ids))

      const later = await runStep(url, { 'batch-id': cleanup.outputs['stopped-ids'], 'poll-interval': '0.2' })

      expect(later.exitCode).toBe(0)
      // Stopped a moment ago (within the 5 s that tell an earlier stop apart), and settled now.
      expect(batchesOf(later).map((batch) => [batch.id, batch.result, batch.settled])).toEqual(ids.map((id) => [id, 'stopped', true]))
      expect(endpoint.requestsOf('StopBuildBatch').map((request) => request.body.id).sort()).toEqual([...ids, ...ids].sort())
      expect(later.outputs).toMatchObject({ complete: 'true', status: 'STOPPED' })
    })
  })

  it('takes ids and ARNs of several regions in one array, and names the input when the array is malformed', async () => {
    await withEndpoint({}, async (endpoint, url) => {
      const east = endpoint.addBatch({ project: 'app', pollsToSettle: 1 })
      const west = endpoint.addBatch({ project: 'web', region: 'eu-west-1', pollsToSettle: 1 })
      const result = await runStep(url, { 'batch-id': JSON.stringify([east, arn(west, 'eu-west-1')]), 'poll-interval': '0.2' })
      expect(result.exitCode).toBe(0)
      expect(JSON.parse(result.outputs['stopped-ids'])).toEqual([east, west])

      const malformed = await runStep(url, { 'batch-id': `["${east}", 42]` })
      expect(malformed.exitCode).toBe(1)
      expect(malformed.stdout).toContain(`::error::Input 'batch-id' has an invalid value`)
      expect(endpoint.requestsOf('StopBuildBatch')).toHaveLength(2)
    })
  })
})

describe('a setting that does not concern a request never blocks it', () => {
  it.each([
    [{ AWS_REGION: 'aws-global' }],
    [{ AWS_REGION: undefined, AWS_DEFAULT_REGION: 'aws-global' }]
  ])('stops batches given as ARNs whatever the environment says of the region (%j)', async (env) => {
    await withEndpoint({}, async (endpoint, url) => {
      const east = endpoint.addBatch({ project: 'app', pollsToSettle: 1 })
      const west = endpoint.addBatch({ project: 'web', region: 'eu-west-1', pollsToSettle: 1 })
      const result = await runStep(url, { 'batch-id': `${arn(east, 'us-east-1')}\n${arn(west, 'eu-west-1')}`, 'poll-interval': '0.2' }, { env })

      expect(result.exitCode).toBe(0)
      expect(endpoint.requestsOf('StopBuildBatch').map((request) => request.region).sort()).toEqual(['eu-west-1', 'us-east-1'])
      expect(JSON.parse(result.outputs['stopped-ids'])).toEqual([east, west])
    })
  })

  it('still refuses it, before any request, for a plain id that needs it', async () => {
    await withEndpoint({}, async (endpoint, url) => {
      const id = endpoint.addBatch({ project: 'app' })
      const result = await runStep(url, { 'batch-id': id }, { env: { AWS_REGION: 'aws-global' } })

      expect(result.exitCode).toBe(1)
      expect(result.stdout).toContain('::error::Environment variable AWS_REGION has an invalid value "aws-global": expected an AWS region such as us-east-1.')
      expect(endpoint.requests).toHaveLength(0)
    })
  })
})
