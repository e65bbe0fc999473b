import type { BuildBatch } from '@aws-sdk/client-codebuild'
import type { Candidate, Candidates } from './source-candidates.js'
import { judgeSource, type RunRepository, type SourceVerdict } from './source-repository.js'

/**
 * Whose batch is this? The ownership rule, pure: a batch as CodeBuild describes it and the
 * run's candidates go in; whether to stop it, or why to keep it, comes out. Where the batch
 * does not say enough to tell, it is kept: a wrong stop is worse than a missed one.
 *
 * 1. A batch started for a ref belongs to that ref. Its sourceVersion is then `pr/<m>`,
 *    `refs/pull/<m>/…`, `refs/heads/…`, `refs/tags/…` or a bare branch or tag name. It
 *    matches when that ref is one of the run's; its resolved commit counts only when the ref
 *    is the run's too. A pull request's head branch counts when it lives in this repository
 *    and the batch's resolved commit is one of the pull request's.
 * 2. Only a batch started by commit (a full SHA as its sourceVersion) is matched by commit
 *    alone. A batch started without a source version builds the project's default branch,
 *    and whose that is cannot be told.
 * 3. On workflow_run, a batch that carries the run's id as GITHUB_RUN_ID is the run's; one
 *    that carries another run's id is not, whatever it was built for.
 * 4. Its source must be this repository (see judgeSource).
 * 5. With superseded-only, it is stopped only when its commit is known to be older than the
 *    run's head (see keptBySupersededOnly).
 */

/** Which candidate a batch matched, and by which of its fields. */
export interface CandidateMatch {
  readonly candidate: Candidate
  readonly field: 'sourceVersion' | 'resolvedSourceVersion' | 'GITHUB_RUN_ID'
}

/** Why a batch that a candidate connects to the run is kept running. */
export type KeepReason =
  /** superseded-only: it builds the run's current head. */
  | { readonly code: 'current-head'; readonly commit: string }
  /** superseded-only: its commit is not known yet, so it may be this run's own batch. */
  | { readonly code: 'unknown-commit' }
  /** superseded-only: its commit comes after the run's head among the pull request's commits. */
  | { readonly code: 'newer-commit'; readonly commit: string }
  /** superseded-only: its commit is not known to be older than the run's head (or there is no head). */
  | { readonly code: 'unknown-age'; readonly commit: string }
  /** It was started for another ref, although its commit is a candidate. */
  | { readonly code: 'other-ref'; readonly sourceVersion: string; readonly commit: string }
  /** It was started without a source version (the project's default branch), although its commit is a candidate. */
  | { readonly code: 'no-source-version'; readonly commit: string }
  /** It was started for the pull request's head branch, and its commit is not known yet. */
  | { readonly code: 'head-branch-commit-unknown'; readonly branch: string }
  /** It was started for the pull request's head branch, and its commit is not one of the pull request's. */
  | { readonly code: 'head-branch-other-commit'; readonly branch: string; readonly commit: string }
  /** Its source is not this repository, or whose it is cannot be told. */
  | {
      readonly code: 'other-repository'
      readonly verdict: Exclude<SourceVerdict, 'ours'>
      readonly type: string
      readonly location: string
    }
  /** It carries another run's GITHUB_RUN_ID. */
  | { readonly code: 'other-run'; readonly runId: string }

/** A batch that a candidate connects to the run: stopped unless `keep` says why not. */
export interface BatchDecision {
  readonly match: CandidateMatch
  readonly keep?: KeepReason
}

export interface DecideOptions {
  /** Stop only the batches of commits known to be older than the run's head. */
  readonly supersededOnly: boolean
  /** This run's repository, which a batch's source must be. */
  readonly repository: RunRepository
}

/** A commit SHA (SHA-1, or SHA-256 for repositories that use it): what a batch started by commit records. */
const COMMIT = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i

/** The roles of candidates that are commits of the pull request the run is about. */
const PULL_REQUEST_COMMITS = new Set<Candidate['role']>(['head', 'before', 'pull-request-commit'])

/**
 * Whether a batch is the run's: undefined when no candidate connects it to the run, else the
 * candidate that does, and why it is kept when it is. Comparison is exact only: pr/42 never
 * matches pr/420, main never matches main-2. Among candidates, the first in the list wins:
 * the event's own before the pull request's commits.
 */
export function decideBatch(batch: BuildBatch, candidates: Candidates, options: DecideOptions): BatchDecision | undefined {
  const found = connect(batch, candidates)
  if (found === undefined || found.keep !== undefined) return found
  const { match } = found
  const verdict = judgeSource(batch.source, options.repository)
  if (verdict !== 'ours') {
    return { match, keep: { code: 'other-repository', verdict, type: batch.source?.type ?? '', location: batch.source?.location ?? '' } }
  }
  const keep = options.supersededOnly ? keptBySupersededOnly(batch, candidates) : undefined
  return keep === undefined ? { match } : { match, keep }
}

/**
 * The candidate a batch was built for, field by field and no more: its sourceVersion against
 * every candidate, then its resolvedSourceVersion against the commits. Not the ownership
 * rule: the guard uses it where the batch's start time, initiator and run id have already
 * told that the job started it (subject/job-ownership.ts).
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

/** Rules 1 to 3: the candidate that connects the batch to the run, and whether the rules keep it. */
function connect(batch: BuildBatch, candidates: Candidates): BatchDecision | undefined {
  const byRunId = runIdMatch(batch, candidates)
  if (byRunId?.keep === undefined && byRunId !== undefined) return byRunId
  const bySource = sourceMatch(batch, candidates)
  // Another run's id outweighs any source version: the batch is that run's.
  if (bySource !== undefined && byRunId?.keep !== undefined) return { match: bySource.match, keep: byRunId.keep }
  return bySource
}

/** Rule 3, on workflow_run: the batch's GITHUB_RUN_ID, when it carries one in plain text. */
function runIdMatch(batch: BuildBatch, candidates: Candidates): BatchDecision | undefined {
  const candidate = candidates.list.find(({ kind }) => kind === 'run-id')
  if (candidate === undefined) return undefined
  // A variable from Parameter Store or Secrets Manager shows its parameter's name, not its
  // value: it tells nothing, and the batch is judged by the rest.
  const runId = (batch.environment?.environmentVariables ?? []).find(
    ({ name, type, value }) => name === 'GITHUB_RUN_ID' && (type === undefined || type === 'PLAINTEXT') && (value ?? '') !== ''
  )?.value
  if (runId === undefined) return undefined
  const match: CandidateMatch = { candidate, field: 'GITHUB_RUN_ID' }
  return runId === candidate.value ? { match } : { match, keep: { code: 'other-run', runId } }
}

/** Rules 1 and 2: what the batch was started for, against the candidates. */
function sourceMatch(batch: BuildBatch, candidates: Candidates): BatchDecision | undefined {
  const sourceVersion = batch.sourceVersion === '' ? undefined : batch.sourceVersion
  const commit = batch.resolvedSourceVersion === '' ? undefined : batch.resolvedSourceVersion
  const list = candidates.list
  const byCommit = (value: string | undefined): Candidate | undefined =>
    value === undefined ? undefined : list.find((candidate) => candidate.kind === 'commit' && candidate.value === value)

  // The source-version input names versions the user chose: either field may match.
  const input = list.find(({ role, value }) => role === 'input' && (value === sourceVersion || value === commit))
  if (input !== undefined) return { match: { candidate: input, field: input.value === sourceVersion ? 'sourceVersion' : 'resolvedSourceVersion' } }

  if (sourceVersion === undefined) {
    const candidate = byCommit(commit)
    if (candidate === undefined || commit === undefined) return undefined
    return { match: { candidate, field: 'resolvedSourceVersion' }, keep: { code: 'no-source-version', commit } }
  }
  if (COMMIT.test(sourceVersion)) {
    const candidate = byCommit(sourceVersion)
    return candidate === undefined ? undefined : { match: { candidate, field: 'sourceVersion' } }
  }
  // Started for a ref: it is that ref's.
  const ref = list.find(({ kind, role, value }) => kind === 'version' && role !== 'head-branch' && value === sourceVersion)
  if (ref !== undefined) return { match: { candidate: ref, field: 'sourceVersion' } }
  const headBranch = list.find(({ role, value }) => role === 'head-branch' && value === sourceVersion)
  if (headBranch !== undefined) {
    if (commit === undefined) return { match: { candidate: headBranch, field: 'sourceVersion' }, keep: { code: 'head-branch-commit-unknown', branch: sourceVersion } }
    const ofPullRequest = list.find(({ kind, role, value }) => kind === 'commit' && PULL_REQUEST_COMMITS.has(role) && value === commit)
    if (ofPullRequest !== undefined) return { match: { candidate: ofPullRequest, field: 'resolvedSourceVersion' } }
    return { match: { candidate: headBranch, field: 'sourceVersion' }, keep: { code: 'head-branch-other-commit', branch: sourceVersion, commit } }
  }
  const sameCommit = byCommit(commit)
  if (sameCommit === undefined || commit === undefined) return undefined
  return { match: { candidate: sameCommit, field: 'resolvedSourceVersion' }, keep: { code: 'other-ref', sourceVersion, commit } }
}

/**
 * Rule 5, superseded-only: a batch is stopped only when its commit is known to be older than
 * the run's head: the event's `before`, or a commit listed before the head among the pull
 * request's commits. Kept, with the reason:
 * - it builds the head (by resolved commit, or started with the head's SHA);
 * - its commit is not known yet (CodeBuild fills resolvedSourceVersion once the source is
 *   downloaded, seconds after the start): it may be the current run's own batch;
 * - its commit comes after the head among the pull request's commits: a re-run of an older
 *   run, after the pull request moved on, must not stop the newer commit's batch;
 * - its commit's age is not known (not `before`, not listed with the head, or the run has no
 *   head at all).
 */
export function keptBySupersededOnly(batch: BuildBatch, candidates: Candidates): KeepReason | undefined {
  const { head, list } = candidates
  const startedBy = batch.sourceVersion !== undefined && COMMIT.test(batch.sourceVersion) ? batch.sourceVersion : undefined
  const commit = (batch.resolvedSourceVersion === '' ? undefined : batch.resolvedSourceVersion) ?? startedBy
  if (commit === undefined) return { code: 'unknown-commit' }
  if (head !== undefined && commit === head) return { code: 'current-head', commit }
  if (head === undefined) return { code: 'unknown-age', commit }
  if (list.some(({ role, value }) => role === 'before' && value === commit)) return undefined
  const positionOf = (value: string): number | undefined =>
    list.find((candidate) => candidate.role === 'pull-request-commit' && candidate.value === value)?.position?.index
  const at = positionOf(commit)
  const headAt = positionOf(head)
  if (at !== undefined && headAt !== undefined) return at < headAt ? undefined : { code: 'newer-commit', commit }
  return { code: 'unknown-age', commit }
}
