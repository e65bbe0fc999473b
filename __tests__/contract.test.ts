// The contract between the local endpoint and CodeBuild (local-codebuild/contract.mjs): the
// shapes come from the SDK, the recorded responses keep them, the check finds every kind of
// breach, and the endpoint answers with the members the recorded responses have.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { CodeBuildClient, ListBuildBatchesForProjectCommand, StopBuildBatchCommand, type SortOrderType } from '@aws-sdk/client-codebuild'
import {
  onTheWire,
  RECORDED_BATCH_GET_BUILD_BATCHES,
  RECORDED_LIST_BUILD_BATCHES_FOR_PROJECT,
  RECORDED_STOP_BUILD_BATCH
} from '../__fixtures__/recorded-responses.js'
import { loadContract, RECORDED_ENUM_VALUES } from '../local-codebuild/contract.mjs'
import {
  createLocalCodeBuild,
  LOCAL_ACCESS_KEY_ID,
  LOCAL_SECRET_ACCESS_KEY,
  PARTIAL_REQUEST_MEMBERS,
  RECORDED_BUILDS,
  REQUEST_ENUMS,
  REQUEST_MEMBERS,
  type MemberRule
} from '../local-codebuild/server.mjs'
import { expectContractKept, withEndpoint } from './e2e/harness.js'

const contract = loadContract()

/**
 * A JSON answer as it travels, to break on purpose and to compare member by member: its
 * shape is what these tests check, so it is typed no further.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
type Json = Record<string, any>

/** A deep copy of the recorded stop answer as it came over the wire, to break on purpose. */
const recordedStop = (): { buildBatch: Json } => structuredClone(onTheWire(RECORDED_STOP_BUILD_BATCH)) as { buildBatch: Json }

describe('the contract', () => {
  it.each([
    ['StopBuildBatch', RECORDED_STOP_BUILD_BATCH],
    ['BatchGetBuildBatches', RECORDED_BATCH_GET_BUILD_BATCHES],
    ['ListBuildBatchesForProject', RECORDED_LIST_BUILD_BATCHES_FOR_PROJECT]
  ])('is kept by the response recorded from CodeBuild for %s', (operation, recorded) => {
    expect(contract.checkResponse(operation, 200, onTheWire(recorded))).toEqual([])
  })

  it.each<[string, (answer: { buildBatch: Json }) => void, RegExp]>([
    ['a member the shape does not have', (a) => (a.buildBatch.buildBatchState = 'STOPPED'), /buildBatch\.buildBatchState: BuildBatch has no member buildBatchState$/],
    ['a number sent as text', (a) => (a.buildBatch.buildBatchNumber = '3'), /buildBatch\.buildBatchNumber: "3" where a number belongs$/],
    ['a timestamp sent as ISO text', (a) => (a.buildBatch.startTime = '2020-10-21T16:54:24Z'), /buildBatch\.startTime: .* where a number belongs$/],
    ['a boolean sent as text', (a) => (a.buildBatch.complete = 'true'), /buildBatch\.complete: "true" where a boolean belongs$/],
    ['a value outside the enum', (a) => (a.buildBatch.buildBatchStatus = 'CANCELLED'), /buildBatch\.buildBatchStatus: 'CANCELLED' is not a value of StatusType/],
    ['a phase type outside the enum', (a) => (a.buildBatch.phases[0].phaseType = 'DOWNLOAD_SOURCE'), /phases\[0\]\.phaseType: 'DOWNLOAD_SOURCE' is not a value of BuildBatchPhaseType/],
    ['a required member left out', (a) => delete a.buildBatch.environment.image, /buildBatch\.environment\.image: required member of ProjectEnvironment is missing$/],
    ['a required member of a list item left out', (a) => a.buildBatch.environment.environmentVariables.push({ name: 'TOKEN' }), /environmentVariables\[0\]\.value: required member of EnvironmentVariable is missing$/],
    ['a null', (a) => (a.buildBatch.sourceVersion = null), /buildBatch\.sourceVersion: null/],
    ['a structure where a list belongs', (a) => (a.buildBatch.buildGroups = a.buildBatch.buildGroups[0]), /buildBatch\.buildGroups: .* where a list belongs$/],
    ['a list where a structure belongs', (a) => (a.buildBatch.source = [a.buildBatch.source]), /buildBatch\.source: .* where the structure ProjectSource belongs$/]
  ])('finds %s', (_breach, breakIt, problem) => {
    const answer = recordedStop()
    breakIt(answer)

    const problems = contract.checkResponse('StopBuildBatch', 200, answer)

    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatch(problem)
  })

  it('allows the values the recorded responses have and the model lacks, only where they were recorded', () => {
    const answer = recordedStop()
    expect(RECORDED_ENUM_VALUES['BuildSummary.buildStatus']).toEqual(['PENDING'])
    expect(contract.enumValues('StatusType')).not.toContain('PENDING')
    expect(contract.enumValues('ArtifactsType')).not.toContain('no_artifacts')
    expect(answer.buildBatch.buildGroups[2].currentBuildSummary.buildStatus).toBe('PENDING')
    expect(answer.buildBatch.buildGroups[0].currentBuildSummary.primaryArtifact.type).toBe('no_artifacts')

    answer.buildBatch.phases[2].phaseStatus = 'PENDING'
    answer.buildBatch.currentPhase = 'TIMED_OUT'
    expect(contract.checkResponse('StopBuildBatch', 200, answer)).toEqual([
      expect.stringMatching(/currentPhase: 'TIMED_OUT' is not a value of BuildBatchPhaseType/),
      expect.stringMatching(/phases\[2\]\.phaseStatus: 'PENDING' is not a value of StatusType/)
    ])
  })

  it('checks errors: a type and a message, and the members of a modeled error', () => {
    expect(contract.checkResponse('ListBuildBatchesForProject', 400, { __type: 'ResourceNotFoundException', message: 'gone' })).toEqual([])
    expect(contract.checkResponse('StopBuildBatch', 400, { __type: 'ThrottlingException', message: 'Rate exceeded' })).toEqual([])
    expect(contract.checkResponse('StopBuildBatch', 400, { __type: 'InvalidInputException', message: 'x', reason: 'y' })).toEqual([
      'StopBuildBatch InvalidInputException.reason: InvalidInputException has no member reason'
    ])
    expect(contract.checkResponse('StopBuildBatch', 500, { __type: 'InternalFailure' })).toEqual([
      expect.stringContaining('is not {"__type": string, "message": string}')
    ])
  })

  it('checks requests against the input of their operation', () => {
    expect(contract.checkRequest('ListBuildBatchesForProject', { projectName: 'app', filter: { status: 'IN_PROGRESS' }, sortOrder: 'DESCENDING', maxResults: 100 })).toEqual([])
    expect(contract.checkRequest('BatchGetBuildBatches', {})).toEqual(['BatchGetBuildBatches.ids: required member of BatchGetBuildBatchesInput is missing'])
    expect(contract.checkRequest('StopBuildBatch', { id: 'app:1', force: true })).toEqual(['StopBuildBatch.force: StopBuildBatchInput has no member force'])
  })
})

describe("the endpoint's own request rules", () => {
  /** The endpoint's rule in the contract's words. */
  function described(rule: MemberRule): Record<string, unknown> {
    const type = rule.type === 'integer' ? 'number' : rule.type
    return {
      type,
      ...(rule.enum === undefined ? {} : { enum: rule.enum }),
      ...(rule.member === undefined ? {} : { member: described(rule.member) }),
      ...(rule.members === undefined ? {} : { members: describedMembers(rule.members) })
    }
  }
  function describedMembers(members: Record<string, MemberRule>): Record<string, unknown> {
    return Object.fromEntries(Object.entries(members).map(([name, rule]) => [name, { ...described(rule), required: rule.required === true }]))
  }

  const whole = Object.keys(REQUEST_MEMBERS).filter((operation) => !PARTIAL_REQUEST_MEMBERS.includes(operation))

  it.each(whole)('are the members, types, enums and required members the SDK has for %s', (operation) => {
    expect(describedMembers(REQUEST_MEMBERS[operation])).toEqual(contract.describeInput(operation).members)
  })

  it.each(PARTIAL_REQUEST_MEMBERS)('are, for %s, every required member and each other one the endpoint reads, as the SDK has them', (operation) => {
    const sdk = contract.describeInput(operation).members ?? {}
    const own = describedMembers(REQUEST_MEMBERS[operation])
    expect(Object.keys(own).length).toBeGreaterThan(0)
    expect(own).toEqual(Object.fromEntries(Object.keys(own).map((name) => [name, sdk[name]])))
    const required = Object.entries(sdk).filter(([, member]) => member.required).map(([name]) => name)
    expect(Object.keys(own)).toEqual(expect.arrayContaining(required))
  })

  it.each(Object.keys(REQUEST_ENUMS) as Array<keyof typeof REQUEST_ENUMS>)('take the values of the SDK enum %s', (name) => {
    expect([...REQUEST_ENUMS[name]].sort()).toEqual(contract.enumValues(name).sort())
  })
})

describe('the endpoint', () => {
  let endpoint: ReturnType<typeof createLocalCodeBuild>
  let client: CodeBuildClient

  beforeEach(async () => {
    endpoint = createLocalCodeBuild({ contract })
    const url = await endpoint.listen()
    client = new CodeBuildClient({
      region: 'us-east-1',
      endpoint: url,
      maxAttempts: 1,
      credentials: { accessKeyId: LOCAL_ACCESS_KEY_ID, secretAccessKey: LOCAL_SECRET_ACCESS_KEY }
    })
  })
  afterEach(async () => {
    client.destroy()
    await endpoint.close()
  })

  /** Every member path of a value: `buildBatch.phases[].phaseType`, ... */
  function memberPaths(value: unknown, path = ''): string[] {
    if (Array.isArray(value)) return [path, ...value.flatMap((item) => memberPaths(item, `${path}[]`))]
    if (typeof value === 'object' && value !== null) {
      return [path, ...Object.entries(value).flatMap(([key, item]) => memberPaths(item, path === '' ? key : `${path}.${key}`))]
    }
    return [path]
  }
  const pathsOf = (value: unknown): string[] => [...new Set(memberPaths(value))].sort()
  /** The members each phase and each build group has, in order. */
  function layout(batch: Json) {
    return {
      phases: batch.phases.map((phase: Record<string, unknown>) => [phase.phaseType, Object.keys(phase).sort()]),
      groups: batch.buildGroups.map((group: Json) => [group.identifier, Object.keys(group).sort(), Object.keys(group.currentBuildSummary).sort()])
    }
  }
  const onWire = (value: unknown): Json => JSON.parse(JSON.stringify(value))

  it('answers a stop with the members, phases and build groups of the recorded stop answer', async () => {
    const id = endpoint.addBatch({ project: 'app', sourceVersion: null, builds: RECORDED_BUILDS })

    await client.send(new StopBuildBatchCommand({ id }))
    const answer = onWire({ buildBatch: endpoint.batch(id) })
    const recorded = onTheWire(RECORDED_STOP_BUILD_BATCH) as { buildBatch: Json }

    expect(pathsOf(answer)).toEqual(pathsOf(recorded))
    expect(layout(answer.buildBatch)).toEqual(layout(recorded.buildBatch))
    expect(contract.checkResponse('StopBuildBatch', 200, answer)).toEqual([])
    expect(endpoint.contractViolations).toEqual([])
  })

  it('describes a finished batch with the members, phases and build groups of the recorded one', () => {
    const builds = RECORDED_BUILDS.map((build) => ({ ...build, status: 'SUCCEEDED' as const }))
    const id = endpoint.addBatch({ project: 'app', status: 'SUCCEEDED', sourceVersion: null, builds })

    const described = onWire({ buildBatches: [endpoint.batch(id)], buildBatchesNotFound: [] })
    const recorded = onTheWire(RECORDED_BATCH_GET_BUILD_BATCHES) as { buildBatches: Json[] }

    expect(pathsOf(described)).toEqual(pathsOf(recorded))
    expect(layout(described.buildBatches[0])).toEqual(layout(recorded.buildBatches[0]))
  })

  it('keeps every response that breaks the contract, and the harness fails the test that caused it', async () => {
    // CodeBuild always reports a variable's value; a batch spec without one makes a wrong answer.
    const id = endpoint.addBatch({ project: 'app', environmentVariables: [{ name: 'TOKEN' }] })

    await client.send(new StopBuildBatchCommand({ id }))

    expect(endpoint.contractViolations).toEqual([
      {
        operation: 'StopBuildBatch',
        status: 200,
        problems: ['StopBuildBatch.buildBatch.environment.environmentVariables[0].value: required member of EnvironmentVariable is missing']
      }
    ])
    expect(() => expectContractKept(endpoint)).toThrow("The exchange with the local endpoint broke CodeBuild's contract:\nanswer to StopBuildBatch (HTTP 200)")
  })

  it('fails a test that sent a request outside the contract', async () => {
    const sent = withEndpoint({}, async (other, url) => {
      other.addBatch({ project: 'app' })
      const sideways = new CodeBuildClient({
        region: 'us-east-1',
        endpoint: url,
        maxAttempts: 1,
        credentials: { accessKeyId: LOCAL_ACCESS_KEY_ID, secretAccessKey: LOCAL_SECRET_ACCESS_KEY }
      })
      await sideways.send(new ListBuildBatchesForProjectCommand({ projectName: 'app', sortOrder: 'SIDEWAYS' as SortOrderType })).catch(() => undefined)
      sideways.destroy()
    })

    await expect(sent).rejects.toThrow(/request ListBuildBatchesForProject: ListBuildBatchesForProject\.sortOrder: 'SIDEWAYS' is not a value of SortOrderType/)
  })
})
