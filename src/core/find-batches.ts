import type { BuildBatch } from '@aws-sdk/client-codebuild'
import { discoverBatches, DiscoveryError, type DiscoveryQuery } from '../codebuild/discover-batches.js'
import { listPullRequestCommits } from '../github/pull-request-commits.js'
import { readPullRequest } from '../github/pull-request.js'
import { refOfListedBatch, type BatchRef } from '../inputs/batch-ref.js'
import { Inputs } from '../inputs/constants.js'
import type { DiscoverySettings } from '../inputs/settings.js'
import { keepWords, subjectWords } from '../report/candidate-words.js'
import { forLog } from '../report/escape.js'
import { candidateLines, discoveryLines, lookingForLine, pullRequestWarnings } from '../report/render-log.js'
import type { DiscoverySummary } from '../report/render-summary.js'
import * as core from '../report/workflow-commands.js'
import { untilAborted } from '../runtime/cancellation.js'
import { InputError } from '../runtime/errors.js'
import { candidatesFromEvent, candidatesFromInput } from '../subject/event-subjects.js'
import { addPullRequestHistory, type CandidatesWithHistory } from '../subject/pull-request-candidates.js'
import type { Candidates, RunEvent } from '../subject/source-candidates.js'
import type { StepContext } from './stop-and-report.js'

/**
 * Finding the run's batches in a project: what the event (or the source-version input) is
 * about, what the GitHub API adds about a pull request, and which in-progress batches of the
 * project are the run's (subject/match-batch.ts), each step said in the log.
 */

/** What to look for, decided before any request is sent. */
export interface DiscoveryPlan {
  readonly settings: DiscoverySettings
  readonly event: RunEvent
  readonly candidates: Candidates
}

export interface FoundBatches {
  /** The matching batches, as references to stop. */
  readonly refs: readonly BatchRef[]
  /** Their state as discovery saw it, by id, for a dry run. */
  readonly known: ReadonlyMap<string, BuildBatch>
  readonly summary: DiscoverySummary
  /** Why discovery failed; the explicit ids are still stopped, and the step fails. */
  readonly error?: string
}

/**
 * The subject and its candidates, from the source-version input or the event. Throws an
 * InputError, before any request, when there is nothing to look for and no batch-id either,
 * or when superseded-only needs a head commit that the event cannot name.
 */
export function planDiscovery(settings: DiscoverySettings, event: RunEvent, hasBatchIds: boolean): DiscoveryPlan {
  const options = { supersededOnly: settings.supersededOnly }
  const fromEvent = candidatesFromEvent(event, options)
  const eventName = event.eventName || 'unknown'
  if (settings.sourceVersions.length === 0 && fromEvent.subject.kind === 'none' && !hasBatchIds) {
    throw new InputError(
      `${subjectWords(fromEvent)} Give input '${Inputs.SourceVersion}' with the source versions whose batches to stop in project ${settings.project} (such as pr/42, a branch or a commit SHA), or the batches in input '${Inputs.BatchId}'.`
    )
  }
  if (settings.supersededOnly && fromEvent.head === undefined && fromEvent.pullRequest?.readHead !== true) {
    throw new InputError(
      `Input '${Inputs.SupersededOnly}' needs the run's head commit, and the ${eventName} event names none (${fromEvent.subject.kind === 'none' ? fromEvent.subject.why : 'it is about no commit'}).`
    )
  }
  const candidates = settings.sourceVersions.length > 0 ? candidatesFromInput(settings.sourceVersions, event, options) : fromEvent
  return { settings, event, candidates }
}

/** Finds the batches of the plan's subject, and says so in the log. */
export async function findBatches(plan: DiscoveryPlan, context: StepContext): Promise<FoundBatches> {
  const { settings, event } = plan
  const history = await gatherCandidates(plan, context.cancellation.signal)
  const { candidates, pullRequestCommits, pullRequestHead } = history
  const repository = { serverUrl: event.serverUrl, repository: event.repository }
  const query: DiscoveryQuery = { ...settings, candidates, repository }
  core.info(forLog(subjectWords(candidates)))
  for (const line of candidateLines(candidates, pullRequestCommits)) core.info(line)
  for (const line of pullRequestWarnings(history)) core.warning(line)
  const base = { project: settings.project, region: settings.region, candidates, pullRequestCommits, pullRequestHead }
  if (candidates.list.length === 0) {
    // Only with batch-id (planDiscovery refuses it otherwise): those are stopped, nothing else.
    core.warning(
      `Nothing to look for in project ${settings.project}: give input '${Inputs.SourceVersion}' to find batches on the ${event.eventName || 'unknown'} event. Stopping the batches of '${Inputs.BatchId}' only.`
    )
    return { refs: [], known: new Map(), summary: { ...base, inProgress: 0, matched: 0, kept: [] } }
  }
  core.info(lookingForLine(query))
  try {
    // Discovery goes on after SIGINT (what it finds is still stopped), not after SIGTERM.
    const discovery = await untilAborted(discoverBatches(context.clientFor(settings.region), query), context.cancellation.terminated)
    for (const line of discoveryLines(query, discovery)) core.info(line)
    return {
      refs: discovery.matched.map((batch) => refOfListedBatch(batch.id ?? '', batch.arn, settings.region)),
      known: new Map(discovery.matched.map((batch) => [batch.id ?? '', batch])),
      summary: {
        ...base,
        inProgress: discovery.inProgress,
        matched: discovery.matched.length,
        matches: discovery.matches,
        kept: discovery.kept.map(({ batch, reason }) => ({ id: batch.id ?? '', reason: keepWords(reason, candidates, repository) }))
      }
    }
  } catch (error) {
    const message = context.cancellation.terminated.aborted
      ? `The runner ended the step (SIGTERM) before project ${settings.project} in ${settings.region} was searched: batches of this run there may still be running.`
      : error instanceof DiscoveryError
        ? error.message
        : undefined
    if (message === undefined) throw error
    return { refs: [], known: new Map(), summary: { ...base, kept: [], error: message }, error: message }
  }
}

/**
 * The plan's candidates and, when the event is about a pull request (and source-version is
 * not given), what the GitHub API adds: the pull request's head when the event names only
 * its number, and its commits. A failure there only warns. A cancel ends the lookup at once.
 */
function gatherCandidates(plan: DiscoveryPlan, signal: AbortSignal): Promise<CandidatesWithHistory> {
  const { settings, event, candidates } = plan
  const query = (pullRequest: number) => ({
    token: settings.githubToken,
    apiUrl: process.env.GITHUB_API_URL ?? '',
    repository: event.repository,
    pullRequest,
    signal
  })
  return addPullRequestHistory(candidates, event.repository, {
    listCommits: (pullRequest) => listPullRequestCommits(query(pullRequest)),
    read: (pullRequest) => readPullRequest(query(pullRequest))
  })
}
