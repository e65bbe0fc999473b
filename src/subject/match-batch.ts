import type { BuildBatch } from '@aws-sdk/client-codebuild'
import type { Candidate, Candidates } from './source-candidates.js'

/** Which candidate a batch matched, and by which of its fields. */
export interface CandidateMatch {
  readonly candidate: Candidate
  readonly field: 'sourceVersion' | 'resolvedSourceVersion'
}

/** Why superseded-only keeps a matching batch running. */
export type KeepReason = 'current-head' | 'unknown-commit'

/** What to do with a batch that matched: stop it, or keep it for `keep`. */
export interface BatchDecision {
  readonly match: CandidateMatch
  readonly keep?: KeepReason
}

/**
 * The candidate a batch was built for, or undefined. Comparison is exact only: pr/42 never
 * matches pr/420, main never matches main-2. The batch's sourceVersion is compared with
 * every candidate first (it is what the batch was started for, so it says most), then its
 * resolvedSourceVersion with the commits. Among candidates, the first in the list wins: the
 * event's own before the pull request's commits.
 */
export function matchBatch(batch: BuildBatch, candidates: Candidates): CandidateMatch | undefined {
  const { sourceVersion, resolvedSourceVersion } = batch
  if (sourceVersion !== undefined) {
    const candidate = candidates.list.find(({ value }) => value === sourceVersion)
    if (candidate !== undefined) return { candidate, field: 'sourceVersion' }
  }
  if (resolvedSourceVersion !== undefined) {
    const candidate = candidates.list.find(({ value, kind }) => kind === 'commit' && value === resolvedSourceVersion)
    if (candidate !== undefined) return { candidate, field: 'resolvedSourceVersion' }
  }
  return undefined
}

/**
 * With superseded-only, whether a matching batch is kept running:
 * - it builds the run's current head (by resolved commit, or started with the head's SHA);
 * - its commit is not known yet (CodeBuild fills resolvedSourceVersion once the source is
 *   downloaded, seconds after the start): such a batch may be the current run's own, and
 *   stopping it would cancel the very build the run waits for. Unless it was started with
 *   the SHA of an older candidate commit (the event's `before` or another commit of the pull
 *   request): then its commit is known after all, and it is not the head's.
 */
export function keptBySupersededOnly(batch: BuildBatch, candidates: Candidates): KeepReason | undefined {
  const { head } = candidates
  if (head !== undefined && (batch.resolvedSourceVersion === head || batch.sourceVersion === head)) return 'current-head'
  if (batch.resolvedSourceVersion !== undefined) return undefined
  const startedWithOlderCommit = candidates.list.some(
    ({ value, role }) => (role === 'before' || role === 'pull-request-commit') && value !== head && value === batch.sourceVersion
  )
  return startedWithOlderCommit ? undefined : 'unknown-commit'
}

/** Whether a batch is the run's, and if so whether superseded-only keeps it. */
export function decideBatch(batch: BuildBatch, candidates: Candidates, supersededOnly: boolean): BatchDecision | undefined {
  const match = matchBatch(batch, candidates)
  if (match === undefined) return undefined
  const keep = supersededOnly ? keptBySupersededOnly(batch, candidates) : undefined
  return keep === undefined ? { match } : { match, keep }
}
