// The local endpoint is what the end-to-end tests trust, so it is tested too: with the real
// SDK for what it must accept, and with raw HTTP for what it must refuse.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import {
  BatchGetBuildBatchesCommand,
  CodeBuildClient,
  ListBuildBatchesForProjectCommand,
  StartBuildBatchCommand,
  StopBuildBatchCommand,
  paginateListBuildBatchesForProject
} from '@aws-sdk/client-codebuild'
import { createLocalCodeBuild, LOCAL_ACCESS_KEY_ID, LOCAL_INITIATOR, LOCAL_SECRET_ACCESS_KEY } from '../local-codebuild/server.mjs'

let endpoint: ReturnType<typeof createLocalCodeBuild>
let url: string

beforeEach(async () => {
  endpoint = createLocalCodeBuild()
  url = await endpoint.listen()
})
afterEach(() => endpoint.close())

function client(secretAccessKey = LOCAL_SECRET_ACCESS_KEY, region = 'us-east-1'): CodeBuildClient {
  return new CodeBuildClient({
    region,
    endpoint: url,
    maxAttempts: 1,
    credentials: { accessKeyId: LOCAL_ACCESS_KEY_ID, secretAccessKey }
  })
}

describe('local CodeBuild endpoint', () => {
  it('answers a signed StopBuildBatch with a BuildBatch the SDK deserializes', async () => {
    const id = endpoint.addBatch({ project: 'app', buildBatchNumber: 3 })

    const { buildBatch } = await client().send(new StopBuildBatchCommand({ id }))

    expect(buildBatch).toMatchObject({ id, buildBatchStatus: 'STOPPED', complete: true, buildBatchNumber: 3 })
    expect(buildBatch?.startTime).toBeInstanceOf(Date)
    expect(buildBatch?.phases?.map((phase) => phase.phaseType)).toEqual(['SUBMITTED', 'DOWNLOAD_BATCHSPEC', 'IN_PROGRESS', 'STOPPED'])
    expect(endpoint.requests[0]).toMatchObject({ operation: 'StopBuildBatch', signed: true, region: 'us-east-1' })
  })

  it('starts a batch now with StartBuildBatch, recording its source version, variables and initiator', async () => {
    const before = Date.now()
    const { buildBatch } = await client('local-codebuild-secret-key-for-tests-only', 'eu-west-1').send(
      new StartBuildBatchCommand({
        projectName: 'app',
        sourceVersion: 'pr/42',
        environmentVariablesOverride: [{ name: 'GITHUB_RUN_ID', value: '9001', type: 'PLAINTEXT' }]
      })
    )

    expect(buildBatch).toMatchObject({ projectName: 'app', buildBatchStatus: 'IN_PROGRESS', sourceVersion: 'pr/42', initiator: LOCAL_INITIATOR })
    expect(buildBatch?.environment?.environmentVariables).toEqual([{ name: 'GITHUB_RUN_ID', value: '9001', type: 'PLAINTEXT' }])
    expect(buildBatch?.startTime?.getTime()).toBeGreaterThanOrEqual(before - 1000)
    expect(endpoint.batch(buildBatch?.id ?? '', 'eu-west-1')?.buildBatchStatus).toBe('IN_PROGRESS')
    await expect(client().send(new StartBuildBatchCommand({ projectName: '' }))).rejects.toMatchObject({ name: 'InvalidInputException' })
  })

  it('refuses a request signed with the wrong secret', async () => {
    const id = endpoint.addBatch({ project: 'app' })

    await expect(client('wrong').send(new StopBuildBatchCommand({ id }))).rejects.toMatchObject({ name: 'InvalidSignatureException' })
    expect(endpoint.batch(id)?.buildBatchStatus).toBe('IN_PROGRESS')
  })

  it('refuses an unsigned request and one whose body was changed after signing', async () => {
    const id = endpoint.addBatch({ project: 'app' })
    const unsigned = await fetch(url, {
      method: 'POST',
      headers: { 'x-amz-target': 'CodeBuild_20161006.StopBuildBatch', 'content-type': 'application/x-amz-json-1.1' },
      body: JSON.stringify({ id })
    })
    expect(unsigned.status).toBe(400)
    expect(await unsigned.json()).toMatchObject({ __type: 'MissingAuthenticationTokenException' })

    const signed = client()
    signed.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { body: string }
        // Same length, one character changed: only the signature can tell.
        request.body = JSON.stringify({ id: `${id.slice(0, -1)}${id.endsWith('0') ? '1' : '0'}` })
        return next(args)
      },
      { step: 'finalizeRequest', priority: 'low', name: 'tamper' }
    )
    await expect(signed.send(new StopBuildBatchCommand({ id }))).rejects.toMatchObject({ name: 'InvalidSignatureException' })
  })

  it('keeps batches of each region apart', async () => {
    const id = endpoint.addBatch({ project: 'app', region: 'eu-west-1' })

    await expect(client().send(new StopBuildBatchCommand({ id }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' })
    const { buildBatch } = await client(undefined, 'eu-west-1').send(new StopBuildBatchCommand({ id }))
    expect(buildBatch?.arn).toBe(`arn:aws:codebuild:eu-west-1:123456789012:build-batch/${id}`)
  })

  it('settles a stopped batch after the given number of polls', async () => {
    const id = endpoint.addBatch({ project: 'app', pollsToSettle: 2 })
    await client().send(new StopBuildBatchCommand({ id }))
    const statuses = async (): Promise<string[]> => {
      const { buildBatches } = await client().send(new BatchGetBuildBatchesCommand({ ids: [id] }))
      return (buildBatches?.[0].buildGroups ?? []).map((group) => group.currentBuildSummary?.buildStatus ?? '')
    }

    expect(await statuses()).toEqual(['IN_PROGRESS', 'IN_PROGRESS', 'PENDING'])
    expect(await statuses()).toEqual(['STOPPED', 'STOPPED', 'STOPPED'])
  })

  it('refuses BatchGetBuildBatches with more than 100 ids', async () => {
    const ids = Array.from({ length: 101 }, (_, n) => `app:${n}`)
    await expect(client().send(new BatchGetBuildBatchesCommand({ ids }))).rejects.toMatchObject({ name: 'InvalidInputException' })
  })

  it('lists the batches of a project page by page, newest first, filtered by status', async () => {
    const running = Array.from({ length: 250 }, (_, n) => endpoint.addBatch({ project: 'app', startTime: 1_700_000_000 + n }))
    endpoint.addBatch({ project: 'app', status: 'SUCCEEDED' })
    endpoint.addBatch({ project: 'other' })

    const ids: string[] = []
    for await (const page of paginateListBuildBatchesForProject(
      { client: client() },
      { projectName: 'app', filter: { status: 'IN_PROGRESS' }, maxResults: 100 }
    )) {
      ids.push(...(page.ids ?? []))
    }

    expect(ids).toEqual([...running].reverse())
    expect(endpoint.requestsOf('ListBuildBatchesForProject')).toHaveLength(3)
    const ascending = await client().send(new ListBuildBatchesForProjectCommand({ projectName: 'app', sortOrder: 'ASCENDING', maxResults: 2 }))
    expect(ascending.ids).toEqual(running.slice(0, 2))
  })

  it('injects faults to the first requests, or to a seeded share of them', async () => {
    endpoint.setFaults([{ kind: 'throttle', operation: 'StopBuildBatch', count: 1 }])
    const id = endpoint.addBatch({ project: 'app' })

    await expect(client().send(new StopBuildBatchCommand({ id }))).rejects.toMatchObject({ name: 'ThrottlingException' })
    await expect(client().send(new StopBuildBatchCommand({ id }))).resolves.toBeDefined()

    endpoint.setFaults([{ kind: 'server-error', rate: 0.3 }])
    const results = await Promise.allSettled(
      Array.from({ length: 200 }, () => client().send(new BatchGetBuildBatchesCommand({ ids: [id] })))
    )
    const failed = results.filter((result) => result.status === 'rejected').length
    expect(failed).toBeGreaterThan(40)
    expect(failed).toBeLessThan(80)
  })
})
