import { describe, expect, it } from '@jest/globals'
import {
  BatchGetBuildBatchesCommand,
  CodeBuildClient,
  ListBuildBatchesForProjectCommand,
  type BuildBatch
} from '@aws-sdk/client-codebuild'
import { mockClient } from 'aws-sdk-client-mock'
import { discoverBatches, DiscoveryError, type DiscoveryQuery } from '../src/codebuild/discover-batches.js'
import { candidatesFromEvent, type Candidates } from '../src/subject/source-candidates.js'
import { awsError } from './fixtures.js'

const HEAD = 'a'.repeat(40)
const OLD = 'b'.repeat(40)
const CANDIDATES: Candidates = candidatesFromEvent(
  { eventName: 'pull_request', sha: 'm', ref: 'r', repository: 'example/app', payload: { number: 42, pull_request: { number: 42, head: { sha: HEAD } } } },
  { supersededOnly: false }
)
const QUERY: DiscoveryQuery = { project: 'app', region: 'us-east-1', partition: 'aws', candidates: CANDIDATES, supersededOnly: false }

/** A CodeBuild holding `batches`, listing them 100 a page as the real service does. */
function codeBuildWith(batches: BuildBatch[]) {
  const client = new CodeBuildClient({ region: 'us-east-1' })
  const mock = mockClient(client)
  mock.on(ListBuildBatchesForProjectCommand).callsFake(async (input) => {
    const offset = Number(input.nextToken ?? 0)
    const ids = batches.filter((batch) => batch.projectName === input.projectName && !batch.complete).map((batch) => batch.id!)
    const next = offset + (input.maxResults ?? 100)
    return { ids: ids.slice(offset, next), nextToken: next < ids.length ? String(next) : undefined }
  })
  mock.on(BatchGetBuildBatchesCommand).callsFake(async ({ ids }: { ids: string[] }) => ({
    buildBatches: [...ids].reverse().map((id) => batches.find((batch) => batch.id === id)!)
  }))
  return { client, mock }
}

const running = (n: number, sourceVersion: string, resolvedSourceVersion?: string, projectName = 'app'): BuildBatch => ({
  id: `${projectName}:${String(n).padStart(8, '0')}-0000-4000-8000-000000000000`,
  projectName,
  sourceVersion,
  resolvedSourceVersion,
  complete: false,
  buildBatchStatus: 'IN_PROGRESS'
})

describe('discoverBatches', () => {
  it('finds the batches of the pull request among 1,000 with 10 list calls and 10 get calls', async () => {
    const batches = Array.from({ length: 1000 }, (_, n) =>
      n % 100 === 0 ? running(n, 'pr/42', OLD) : running(n, n % 2 === 0 ? 'pr/420' : 'main', 'c'.repeat(40))
    )
    const { client, mock } = codeBuildWith(batches)

    const discovery = await discoverBatches(client, QUERY)

    expect(discovery.inProgress).toBe(1000)
    expect(discovery.matched.map((batch) => batch.id)).toEqual(batches.filter((_, n) => n % 100 === 0).map((batch) => batch.id))
    expect(mock.commandCalls(ListBuildBatchesForProjectCommand)).toHaveLength(10)
    expect(mock.commandCalls(BatchGetBuildBatchesCommand)).toHaveLength(10)
    expect(mock.commandCalls(ListBuildBatchesForProjectCommand)[0].args[0].input).toMatchObject({
      projectName: 'app',
      filter: { status: 'IN_PROGRESS' },
      maxResults: 100
    })
  })

  it('matches by head commit as well as by pr/<number>', async () => {
    const { client } = codeBuildWith([running(1, 'feature/matrix', HEAD), running(2, 'pr/42', OLD), running(3, 'pr/43', OLD)])

    const discovery = await discoverBatches(client, QUERY)

    expect(discovery.matched.map((batch) => batch.sourceVersion)).toEqual(['feature/matrix', 'pr/42'])
    expect([...discovery.matches.entries()].map(([id, match]) => [id, match.field, match.candidate.value])).toEqual([
      [running(1, '').id, 'resolvedSourceVersion', HEAD],
      [running(2, '').id, 'sourceVersion', 'pr/42']
    ])
  })

  it('never returns a batch of another project or one that finished meanwhile', async () => {
    const finished = { ...running(2, 'pr/42', OLD), complete: true, buildBatchStatus: 'SUCCEEDED' as const }
    const other = running(3, 'pr/42', OLD, 'other-app')
    const client = new CodeBuildClient({ region: 'us-east-1' })
    const mock = mockClient(client)
    mock.on(ListBuildBatchesForProjectCommand).resolves({ ids: [running(1, 'pr/42', OLD).id!, finished.id!, other.id!] })
    mock.on(BatchGetBuildBatchesCommand).resolves({ buildBatches: [running(1, 'pr/42', OLD), finished, other] })

    const discovery = await discoverBatches(client, QUERY)

    expect(discovery.matched.map((batch) => batch.id)).toEqual([running(1, 'pr/42', OLD).id])
  })

  it('keeps the batches of the current head with superseded-only, and those of unknown commit', async () => {
    const current = running(1, 'pr/42', HEAD)
    const older = running(2, 'pr/42', OLD)
    const unresolved = running(3, 'pr/42')
    const { client } = codeBuildWith([current, older, unresolved])

    const discovery = await discoverBatches(client, { ...QUERY, supersededOnly: true })

    expect(discovery.matched.map((batch) => batch.id)).toEqual([older.id])
    expect(discovery.kept.map(({ batch, reason }) => [batch.id, reason])).toEqual([
      [current.id, 'current-head'],
      [unresolved.id, 'unknown-commit']
    ])
  })

  it('makes no get call when the project has nothing in progress', async () => {
    const { client, mock } = codeBuildWith([])

    expect(await discoverBatches(client, QUERY)).toEqual({ inProgress: 0, matched: [], kept: [], matches: new Map() })
    expect(mock.commandCalls(BatchGetBuildBatchesCommand)).toHaveLength(0)
  })

  it.each([
    ['ListBuildBatchesForProject', 'Could not list the batches of project app in us-east-1: access denied: grant codebuild:ListBuildBatchesForProject on arn:aws:codebuild:us-east-1:<account-id>:project/app'],
    ['BatchGetBuildBatches', 'Could not describe the batches of project app in us-east-1: access denied: grant codebuild:BatchGetBuildBatches']
  ])('says which permission is missing when %s is denied', async (operation, message) => {
    const { client, mock } = codeBuildWith([running(1, 'pr/42', OLD)])
    const denied = awsError('AccessDeniedException', 'not authorized')
    if (operation === 'ListBuildBatchesForProject') mock.on(ListBuildBatchesForProjectCommand).rejects(denied)
    else mock.on(BatchGetBuildBatchesCommand).rejects(denied)

    await expect(discoverBatches(client, QUERY)).rejects.toBeInstanceOf(DiscoveryError)
    await expect(discoverBatches(client, QUERY)).rejects.toThrow(message)
  })

  it('names the project and the region when CodeBuild has no such project', async () => {
    const { client, mock } = codeBuildWith([])
    mock.on(ListBuildBatchesForProjectCommand).rejects(awsError('ResourceNotFoundException', 'The project app does not exist'))

    await expect(discoverBatches(client, QUERY)).rejects.toThrow(
      new DiscoveryError('CodeBuild has no project app in us-east-1: check project-name and the region (aws-region, or AWS_REGION).')
    )
    expect(mock.commandCalls(BatchGetBuildBatchesCommand)).toHaveLength(0)
  })
})
