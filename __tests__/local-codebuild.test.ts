// The local endpoint is what the end-to-end tests trust, so it is tested too: with the real
// SDK for what it must accept, and with raw HTTP for what it must refuse.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import {
  BatchGetBuildBatchesCommand,
  CodeBuildClient,
  ListBuildBatchesForProjectCommand,
  StartBuildBatchCommand,
  StopBuildBatchCommand,
  paginateListBuildBatchesForProject,
  type ListBuildBatchesForProjectCommandInput
} from '@aws-sdk/client-codebuild'
import { loadContract } from '../local-codebuild/contract.mjs'
import {
  createLocalCodeBuild,
  LOCAL_ACCESS_KEY_ID,
  LOCAL_INITIATOR,
  LOCAL_SECRET_ACCESS_KEY,
  type BatchSpec
} from '../local-codebuild/server.mjs'
import { expectContractKept } from './e2e/harness.js'

let endpoint: ReturnType<typeof createLocalCodeBuild>
let url: string

beforeEach(async () => {
  endpoint = createLocalCodeBuild({ contract: loadContract() })
  url = await endpoint.listen()
})
afterEach(async () => {
  await endpoint.close()
  // Every answer, refusals included, has a shape CodeBuild could send.
  expectContractKept(endpoint)
})

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

  it('starts a batch of a known project now with StartBuildBatch, SUBMITTED, recording its source version, variables and initiator', async () => {
    endpoint.addProject('app', 'eu-west-1')
    const before = Date.now()
    const { buildBatch } = await client(undefined, 'eu-west-1').send(
      new StartBuildBatchCommand({
        projectName: 'app',
        sourceVersion: 'pr/42',
        environmentVariablesOverride: [{ name: 'GITHUB_RUN_ID', value: '9001', type: 'PLAINTEXT' }]
      })
    )

    expect(buildBatch).toMatchObject({
      projectName: 'app',
      buildBatchStatus: 'IN_PROGRESS',
      currentPhase: 'SUBMITTED',
      sourceVersion: 'pr/42',
      initiator: LOCAL_INITIATOR,
      buildBatchNumber: 1
    })
    // CodeBuild has not read the batch spec nor downloaded the source yet.
    expect(buildBatch?.buildGroups).toBeUndefined()
    expect(buildBatch?.resolvedSourceVersion).toBeUndefined()
    expect(buildBatch?.environment?.environmentVariables).toEqual([{ name: 'GITHUB_RUN_ID', value: '9001', type: 'PLAINTEXT' }])
    expect(buildBatch?.startTime?.getTime()).toBeGreaterThanOrEqual(before - 1000)
    expect(endpoint.batch(buildBatch?.id ?? '', 'eu-west-1')?.buildBatchStatus).toBe('IN_PROGRESS')

    const { buildBatch: bare } = await client(undefined, 'eu-west-1').send(new StartBuildBatchCommand({ projectName: 'app' }))
    expect(bare?.sourceVersion).toBeUndefined()
    expect(bare?.buildBatchNumber).toBe(2)
  })

  it('refuses to start a batch of a project it does not know, or without a project name', async () => {
    await expect(client().send(new StartBuildBatchCommand({ projectName: 'app' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'Project cannot be found: arn:aws:codebuild:us-east-1:123456789012:project/app'
    })
    await expect(client().send(new StartBuildBatchCommand({ projectName: '' }))).rejects.toMatchObject({ name: 'InvalidInputException' })
    await expect(
      client().send(
        new StartBuildBatchCommand({ projectName: 'app', environmentVariablesOverride: [{ name: 'X', value: 'y', type: 'HIDDEN' as 'PLAINTEXT' }] })
      )
    ).rejects.toMatchObject({ name: 'InvalidInputException' })
    expect(endpoint.requestsOf('StartBuildBatch')).toHaveLength(3)
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

describe('what CodeBuild sends, as the recorded responses show it', () => {
  it('counts build batch numbers per project, after any number given', () => {
    const numbers = [
      endpoint.addBatch({ project: 'app' }),
      endpoint.addBatch({ project: 'app' }),
      endpoint.addBatch({ project: 'other' }),
      endpoint.addBatch({ project: 'app', buildBatchNumber: 31 }),
      endpoint.addBatch({ project: 'app' }),
      endpoint.addBatch({ project: 'app', region: 'eu-west-1' })
    ].map((id, n) => endpoint.batch(id, n === 5 ? 'eu-west-1' : 'us-east-1')?.buildBatchNumber)

    expect(numbers).toEqual([1, 2, 1, 31, 32, 1])
  })

  it('truncates phase durations to whole seconds and ends a finished batch with a phase that has only a start time', () => {
    const phasesOf = (spec: BatchSpec) => endpoint.batch(endpoint.addBatch(spec))?.phases as Array<Record<string, number | string>>
    const succeeded = phasesOf({ project: 'app', status: 'SUCCEEDED', startTime: 1_700_000_000, endTime: 1_700_000_242.5 })
    const timedOut = phasesOf({ project: 'app', status: 'TIMED_OUT' })

    expect(succeeded.map((phase) => [phase.phaseType, phase.phaseStatus, phase.durationInSeconds])).toEqual([
      ['SUBMITTED', 'SUCCEEDED', 0],
      // 31.544 s: truncated, not rounded.
      ['DOWNLOAD_BATCHSPEC', 'SUCCEEDED', 31],
      ['IN_PROGRESS', 'SUCCEEDED', 210],
      ['COMBINE_ARTIFACTS', 'SUCCEEDED', 0],
      ['SUCCEEDED', undefined, undefined]
    ])
    for (const phase of succeeded.slice(0, -1)) {
      expect(phase.durationInSeconds).toBe(Math.floor(Number(phase.endTime) - Number(phase.startTime)))
    }
    expect(Object.keys(succeeded[succeeded.length - 1])).toEqual(['phaseType', 'startTime'])
    // The model's phase types have no TIMED_OUT: the IN_PROGRESS phase carries it, the batch ends FAILED.
    expect(timedOut.slice(-2).map((phase) => [phase.phaseType, phase.phaseStatus])).toEqual([
      ['IN_PROGRESS', 'TIMED_OUT'],
      ['FAILED', undefined]
    ])
    expect(endpoint.batch(endpoint.addBatch({ project: 'app', status: 'FAULT' }))?.currentPhase).toBe('FAILED')
  })

  it('ends the first phases of a running batch started a moment ago no later than now, in order', () => {
    const now = Date.now() / 1000
    const phases = endpoint.batch(endpoint.addBatch({ project: 'app', startTime: now - 2 }))?.phases as Array<Record<string, number | string>>

    expect(phases.map((phase) => phase.phaseType)).toEqual(['SUBMITTED', 'DOWNLOAD_BATCHSPEC', 'IN_PROGRESS'])
    for (const [earlier, later] of phases.slice(0, -1).map((phase, n) => [phase, phases[n + 1]])) {
      expect(Number(earlier.endTime)).toBeLessThanOrEqual(Number(later.startTime))
      expect(Number(earlier.endTime)).toBeLessThanOrEqual(Date.now() / 1000)
    }
    expect(Number(phases[2].startTime)).toBeGreaterThanOrEqual(now - 2)
  })

  it('leaves out the source version when none was given, and the commit until the source is downloaded', () => {
    const batch = (spec: BatchSpec) => endpoint.batch(endpoint.addBatch(spec))
    const noVersion = batch({ project: 'app', sourceVersion: null })
    const submitted = batch({ project: 'app', phase: 'SUBMITTED' })
    const unresolved = batch({ project: 'app', resolvedSourceVersion: null })

    expect(noVersion).not.toHaveProperty('sourceVersion')
    expect(noVersion).toHaveProperty('resolvedSourceVersion')
    expect(submitted).toMatchObject({ currentPhase: 'SUBMITTED', sourceVersion: 'refs/heads/main' })
    expect(submitted).not.toHaveProperty('resolvedSourceVersion')
    expect(submitted).not.toHaveProperty('buildGroups')
    expect(unresolved).not.toHaveProperty('resolvedSourceVersion')
    expect(() => endpoint.addBatch({ project: 'app', phase: 'DOWNLOAD_BATCHSPEC', builds: [] })).toThrow('has no build groups yet')
  })

  it('stops a batch that has no build groups yet, settled at once', async () => {
    const id = endpoint.addBatch({ project: 'app', phase: 'DOWNLOAD_BATCHSPEC' })

    const { buildBatch } = await client().send(new StopBuildBatchCommand({ id }))

    expect(buildBatch).toMatchObject({ buildBatchStatus: 'STOPPED', currentPhase: 'STOPPED', complete: true })
    expect(buildBatch?.buildGroups).toBeUndefined()
    expect(buildBatch?.phases?.map((phase) => [phase.phaseType, phase.phaseStatus])).toEqual([
      ['SUBMITTED', 'SUCCEEDED'],
      ['DOWNLOAD_BATCHSPEC', 'STOPPED'],
      ['STOPPED', undefined]
    ])
  })

  it('reports retried builds in priorBuildSummaryList, and artifacts only for finished builds', () => {
    const id = endpoint.addBatch({
      project: 'app',
      builds: [
        { identifier: 'DOWNLOAD_SOURCE', status: 'SUCCEEDED' },
        { identifier: 'linux', status: 'IN_PROGRESS', priorStatuses: ['FAILED'] }
      ]
    })
    const [source, linux] = endpoint.batch(id)!.buildGroups

    expect(source).not.toHaveProperty('dependsOn')
    expect(source.currentBuildSummary.primaryArtifact).toEqual({ type: 'no_artifacts', identifier: 'DOWNLOAD_SOURCE' })
    expect(linux.dependsOn).toEqual([])
    expect(linux.currentBuildSummary).not.toHaveProperty('primaryArtifact')
    expect(linux.priorBuildSummaryList).toEqual([
      expect.objectContaining({ buildStatus: 'FAILED', primaryArtifact: { type: 'no_artifacts', identifier: 'linux' } })
    ])
    expect(linux.priorBuildSummaryList[0].requestedOn).toBeLessThan(linux.currentBuildSummary.requestedOn)
  })

  it('settles a batch given stopSeconds when that time has passed, whatever the polls', async () => {
    const id = endpoint.addBatch({ project: 'app', stopBehaviour: 'gradual', stopSeconds: 1 })
    const poll = async () => (await client().send(new BatchGetBuildBatchesCommand({ ids: [id] }))).buildBatches?.[0]

    await client().send(new StopBuildBatchCommand({ id }))
    for (let n = 0; n < 5; n++) expect((await poll())?.buildBatchStatus).toBe('IN_PROGRESS')
    await new Promise((resolve) => setTimeout(resolve, 1100))
    const settled = await poll()

    expect(settled).toMatchObject({ buildBatchStatus: 'STOPPED', complete: true })
    expect(settled?.buildGroups?.map((group) => group.currentBuildSummary?.buildStatus)).toEqual(['STOPPED', 'STOPPED', 'STOPPED'])
    // It ended when the time was up, not when it was polled.
    const stoppedAt = endpoint.requestsOf('StopBuildBatch')[0].receivedAtEpochMs
    expect(settled!.endTime!.getTime() - stoppedAt).toBeGreaterThanOrEqual(990)
    expect(settled!.endTime!.getTime() - stoppedAt).toBeLessThan(1100)
  })
})

describe('requests CodeBuild refuses', () => {
  it.each([
    [{ projectName: 'app', sortOrder: 'SIDEWAYS' }, "Value '\"SIDEWAYS\"' at 'sortOrder' failed to satisfy constraint: Member must satisfy enum value set: [ASCENDING, DESCENDING]"],
    [{ projectName: 'app', filter: { status: 'PENDING' } }, "at 'filter.status' failed to satisfy constraint: Member must satisfy enum value set"],
    [{ projectName: 'app', maxResults: '5' }, "Value '\"5\"' at 'maxResults' failed to satisfy constraint: Member must be an integer"],
    [{ projectName: 'app', maxResults: 2.5 }, 'Member must be an integer'],
    [{ projectName: 'app', maxResults: 101 }, 'Member must have value less than or equal to 100'],
    [{ projectName: '' }, "at 'projectName' failed to satisfy constraint: Member must have length greater than or equal to 1"],
    [{ projectName: 7, sortOrder: 'up' }, '2 validation errors detected:']
  ])('refuses ListBuildBatchesForProject %j with InvalidInputException', async (input, message) => {
    endpoint.addBatch({ project: 'app' })

    const refused = client().send(new ListBuildBatchesForProjectCommand(input as ListBuildBatchesForProjectCommandInput))

    await expect(refused).rejects.toMatchObject({ name: 'InvalidInputException', message: expect.stringContaining(message) })
  })

  it.each([
    ['StopBuildBatch', { id: 42 }, "Value '42' at 'id' failed to satisfy constraint: Member must be a string"],
    ['StopBuildBatch', {}, "Value null at 'id' failed to satisfy constraint: Member must not be null"],
    ['BatchGetBuildBatches', { ids: 'app:1' }, "Value '\"app:1\"' at 'ids' failed to satisfy constraint: Member must be a list"],
    ['BatchGetBuildBatches', { ids: ['app:1', 2] }, "Value '2' at 'ids.2.member' failed to satisfy constraint: Member must be a string"]
  ])('refuses %s %j with InvalidInputException', async (operation, input, message) => {
    const command = operation === 'StopBuildBatch' ? new StopBuildBatchCommand(input as never) : new BatchGetBuildBatchesCommand(input as never)

    await expect(client().send(command as StopBuildBatchCommand)).rejects.toMatchObject({
      name: 'InvalidInputException',
      message: `1 validation error detected: ${message}`
    })
  })

  it('answers ResourceNotFoundException for a project that does not exist, and lists one that exists without batches', async () => {
    endpoint.addBatch({ project: 'app' })
    endpoint.addProject('empty')

    await expect(client().send(new ListBuildBatchesForProjectCommand({ projectName: 'missing' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException'
    })
    // Projects exist per region.
    await expect(client(undefined, 'eu-west-1').send(new ListBuildBatchesForProjectCommand({ projectName: 'app' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException'
    })
    expect((await client().send(new ListBuildBatchesForProjectCommand({ projectName: 'empty' }))).ids).toEqual([])
  })

  it('knows the projects it is given', async () => {
    const withProjects = createLocalCodeBuild({ contract: loadContract(), projects: ['web', { name: 'api', region: 'eu-west-1' }] })
    const other = await withProjects.listen()
    const send = (region: string, projectName: string) =>
      new CodeBuildClient({ region, endpoint: other, maxAttempts: 1, credentials: { accessKeyId: LOCAL_ACCESS_KEY_ID, secretAccessKey: LOCAL_SECRET_ACCESS_KEY } }).send(
        new ListBuildBatchesForProjectCommand({ projectName })
      )
    try {
      expect((await send('us-east-1', 'web')).ids).toEqual([])
      expect((await send('eu-west-1', 'api')).ids).toEqual([])
      await expect(send('us-east-1', 'api')).rejects.toMatchObject({ name: 'ResourceNotFoundException' })
    } finally {
      await withProjects.close()
    }
    expectContractKept(withProjects)
  })
})

describe('StartBuildBatch, for the README\'s workflow', () => {
  it('starts a batch of a known project, SUBMITTED with its source version and no commit yet, as the recorded answer shows', async () => {
    endpoint.addProject('app')

    const { buildBatch } = await client().send(new StartBuildBatchCommand({ projectName: 'app', sourceVersion: 'a'.repeat(40) }))

    expect(buildBatch).toMatchObject({ projectName: 'app', currentPhase: 'SUBMITTED', buildBatchStatus: 'IN_PROGRESS', complete: false, sourceVersion: 'a'.repeat(40), buildBatchNumber: 1 })
    expect(buildBatch?.resolvedSourceVersion).toBeUndefined()
    expect(buildBatch?.buildGroups).toBeUndefined()
    // The batch is there for the other operations, and stops like any other.
    expect((await client().send(new ListBuildBatchesForProjectCommand({ projectName: 'app' }))).ids).toEqual([buildBatch?.id])
    expect((await client().send(new StopBuildBatchCommand({ id: buildBatch?.id }))).buildBatch?.buildBatchStatus).toBe('STOPPED')
    // Without a source version, the batch has none; overridden environment variables are the batch's.
    const environmentVariablesOverride = [{ name: 'RUN_ID', value: '42', type: 'PLAINTEXT' as const }]
    const { buildBatch: plain } = await client().send(new StartBuildBatchCommand({ projectName: 'app', environmentVariablesOverride }))
    expect(plain?.sourceVersion).toBeUndefined()
    expect(plain?.buildBatchNumber).toBe(2)
    expect(plain?.initiator).toBe(LOCAL_INITIATOR)
    expect(plain?.environment?.environmentVariables).toEqual(environmentVariablesOverride)
  })

  it('refuses a project that does not exist, and a request without a project name', async () => {
    await expect(client().send(new StartBuildBatchCommand({ projectName: 'missing' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: expect.stringContaining('project/missing')
    })
    await expect(client().send(new StartBuildBatchCommand({} as never))).rejects.toMatchObject({
      name: 'InvalidInputException',
      message: "1 validation error detected: Value null at 'projectName' failed to satisfy constraint: Member must not be null"
    })
    expect(endpoint.requestsOf('ListBuildBatchesForProject')).toHaveLength(0)
  })
})

describe('clock', () => {
  /** An endpoint whose clock is `offsetMs` off this machine's. */
  async function skewed(offsetMs: number) {
    const skewedEndpoint = createLocalCodeBuild({ contract: loadContract(), clockOffsetMs: offsetMs })
    const skewedUrl = await skewedEndpoint.listen()
    const skewedClient = (maxAttempts: number) =>
      new CodeBuildClient({
        region: 'us-east-1',
        endpoint: skewedUrl,
        maxAttempts,
        credentials: { accessKeyId: LOCAL_ACCESS_KEY_ID, secretAccessKey: LOCAL_SECRET_ACCESS_KEY }
      })
    return { endpoint: skewedEndpoint, client: skewedClient }
  }

  it.each([
    [10 * 60_000, /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$/],
    [-10 * 60_000, /^Signature not yet current: \d{8}T\d{6}Z is still later than \d{8}T\d{6}Z \(\d{8}T\d{6}Z \+ 5 min\.\)$/]
  ])("refuses a request signed %d ms off its clock; the SDK corrects its clock from the answer's Date header", async (offsetMs, message) => {
    const { endpoint: skewedEndpoint, client: skewedClient } = await skewed(offsetMs)
    try {
      const id = skewedEndpoint.addBatch({ project: 'app' })

      await expect(skewedClient(1).send(new StopBuildBatchCommand({ id }))).rejects.toMatchObject({ name: 'InvalidSignatureException', message: expect.stringMatching(message) })
      const correcting = skewedClient(2)
      const { buildBatch, $metadata } = await correcting.send(new StopBuildBatchCommand({ id }))

      expect(buildBatch?.buildBatchStatus).toBe('STOPPED')
      expect($metadata.attempts).toBe(2)
      expect(Math.abs(correcting.config.systemClockOffset - offsetMs)).toBeLessThan(2000)
      // The batch's times follow the endpoint's clock.
      expect(Math.abs(buildBatch!.endTime!.getTime() - (Date.now() + offsetMs))).toBeLessThan(2000)
      expect(skewedEndpoint.requests.map((request) => request.error)).toEqual(['InvalidSignatureException', 'InvalidSignatureException', undefined])
    } finally {
      await skewedEndpoint.close()
    }
    expectContractKept(skewedEndpoint)
  })

  it('accepts a request signed within five minutes of its clock, and dates every answer by it', async () => {
    const { endpoint: skewedEndpoint, client: skewedClient } = await skewed(4 * 60_000)
    try {
      const id = skewedEndpoint.addBatch({ project: 'app' })
      const signed = skewedClient(1)
      let date = ''
      signed.middlewareStack.add(
        (next) => async (args) => {
          const result = await next(args)
          date = (result.response as { headers: Record<string, string> }).headers.date
          return result
        },
        { step: 'deserialize', name: 'read-date' }
      )

      await expect(signed.send(new StopBuildBatchCommand({ id }))).resolves.toBeDefined()
      expect(Math.abs(Date.parse(date) - (Date.now() + 4 * 60_000))).toBeLessThan(2000)
    } finally {
      await skewedEndpoint.close()
    }
    expectContractKept(skewedEndpoint)
  })
})
