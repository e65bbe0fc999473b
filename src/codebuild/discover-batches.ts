import {
  BatchGetBuildBatchesCommand,
  paginateListBuildBatchesForProject,
  type BuildBatch,
  type CodeBuildClient
} from '@aws-sdk/client-codebuild'
import { projectArnOf } from '../inputs/batch-ref.js'
import { describeAwsError, errorName } from '../runtime/errors.js'
import { chunksByRegion, MAX_IDS_PER_CALL } from './region-chunks.js'
import { runConcurrently } from '../runtime/run-concurrently.js'
import { decideBatch, type CandidateMatch, type KeepReason } from '../subject/match-batch.js'
import type { Candidates } from '../subject/source-candidates.js'

export interface DiscoveryQuery {
  readonly project: string
  readonly region: string
  readonly partition: string
  readonly candidates: Candidates
  readonly supersededOnly: boolean
}

export interface KeptBatch {
  readonly batch: BuildBatch
  readonly reason: KeepReason
}

export interface Discovery {
  /** In-progress batches of the project that were looked at. */
  readonly inProgress: number
  /** The matching batches to stop, newest first, as CodeBuild listed them. */
  readonly matched: readonly BuildBatch[]
  /** Matching batches that superseded-only keeps running. */
  readonly kept: readonly KeptBatch[]
  /** Which candidate each matched or kept batch matched, by batch id. */
  readonly matches: ReadonlyMap<string, CandidateMatch>
}

/** A discovery call that failed; its message says what the user can do. */
export class DiscoveryError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'DiscoveryError'
  }
}

/**
 * Finds the in-progress batches of a project that were built for the candidates. Lists
 * every page of ListBuildBatchesForProject with the IN_PROGRESS filter (100 ids a page),
 * then describes them with BatchGetBuildBatches, 100 ids a call: among 1,000 in-progress
 * batches that is 10 list calls and 10 get calls. Only batches of this project are ever
 * returned.
 */
export async function discoverBatches(client: CodeBuildClient, query: DiscoveryQuery): Promise<Discovery> {
  const projectArn = projectArnOf(query)
  const ids: string[] = []
  try {
    const pages = paginateListBuildBatchesForProject(
      { client, pageSize: MAX_IDS_PER_CALL },
      { projectName: query.project, filter: { status: 'IN_PROGRESS' }, sortOrder: 'DESCENDING' }
    )
    for await (const page of pages) ids.push(...(page.ids ?? []))
  } catch (error) {
    // The model lists ResourceNotFoundException for a project that does not exist.
    if (errorName(error) === 'ResourceNotFoundException') {
      throw new DiscoveryError(
        `CodeBuild has no project ${query.project} in ${query.region}: check project-name and the region (aws-region, or AWS_REGION).`
      )
    }
    throw new DiscoveryError(
      `Could not list the batches of project ${query.project} in ${query.region}: ${describeAwsError(error, { operation: 'ListBuildBatchesForProject', projectArn })}`
    )
  }
  const unique = [...new Set(ids)]
  const chunks = chunksByRegion(unique, () => query.region)
  const described = await runConcurrently(chunks, 4, async (chunk) => {
    try {
      const answer = await client.send(new BatchGetBuildBatchesCommand({ ids: chunk }))
      const byId = new Map((answer.buildBatches ?? []).map((batch) => [batch.id, batch]))
      // Keep the listing's order (newest first), whatever order the answer has.
      return chunk.flatMap((id) => byId.get(id) ?? [])
    } catch (error) {
      throw new DiscoveryError(
        `Could not describe the batches of project ${query.project} in ${query.region}: ${describeAwsError(error, { operation: 'BatchGetBuildBatches', projectArn })}`
      )
    }
  })

  const matched: BuildBatch[] = []
  const kept: KeptBatch[] = []
  const matches = new Map<string, CandidateMatch>()
  for (const batch of described.flat()) {
    // A batch that finished since it was listed no longer needs stopping.
    if (batch.projectName !== query.project || batch.complete === true) continue
    const decision = decideBatch(batch, query.candidates, query.supersededOnly)
    if (decision === undefined) continue
    matches.set(batch.id ?? '', decision.match)
    if (decision.keep === undefined) matched.push(batch)
    else kept.push({ batch, reason: decision.keep })
  }
  return { inProgress: unique.length, matched, kept, matches }
}
