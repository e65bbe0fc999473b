import type { BuildBatch, CodeBuildClient } from '@aws-sdk/client-codebuild'
import { discoverBatches, DiscoveryError } from './codebuild/discover-batches.js'
import { runStep, stopAndReport } from './core/stop-and-report.js'
import { refOfListedBatch, type BatchRef } from './inputs/batch-ref.js'
import { Inputs } from './inputs/constants.js'
import { readSettings, type DiscoverySettings } from './inputs/settings.js'
import { listPullRequestCommits } from './github/pull-request-commits.js'
import { candidateLines, discoveryLines, lookingForLine, pullRequestCommitsWarning } from './report/render-log.js'
import type { DiscoverySummary } from './report/render-summary.js'
import * as core from './report/workflow-commands.js'
import { listenForCancellation, type Cancellation } from './runtime/cancellation.js'
import { InputError } from './runtime/errors.js'
import { addPullRequestCommits, type CandidatesWithHistory } from './subject/pull-request-candidates.js'
import { readRunEvent } from './subject/run-event.js'
import { candidatesFromEvent, candidatesFromInput } from './subject/source-candidates.js'

/**
 * The stop action: read the inputs, find the run's batches when asked, then stop, wait and
 * report with the core that the guard shares (core/stop-and-report.ts).
 */
export async function run(cancellation: Cancellation = listenForCancellation()): Promise<void> {
  await runStep(cancellation, async (context) => {
    const settings = readSettings((name) => core.getInput(name), process.env)
    const found =
      settings.discovery === undefined ? undefined : await findBatches(settings.discovery, context.clientFor, context.cancellation.signal)
    await stopAndReport(
      context,
      {
        refs: mergeRefs(settings.batches, found?.refs ?? []),
        known: found?.known,
        discovery: found?.summary,
        findError: found?.error
      },
      settings
    )
  })
}

interface FoundBatches {
  /** The matching batches, as references to stop. */
  readonly refs: readonly BatchRef[]
  /** Their state as discovery saw it, by id, for a dry run. */
  readonly known: ReadonlyMap<string, BuildBatch>
  readonly summary: DiscoverySummary
  /** Why discovery failed; the explicit ids are still stopped, and the step fails. */
  readonly error?: string
}

/** Finds the batches of this run's pull request, branch or commit, and says so in the log. */
async function findBatches(
  settings: DiscoverySettings,
  clientFor: (region: string) => CodeBuildClient,
  signal: AbortSignal
): Promise<FoundBatches> {
  const { candidates, pullRequestCommits } = await gatherCandidates(settings, signal)
  const query = { ...settings, candidates }
  for (const line of candidateLines(candidates, pullRequestCommits)) core.info(line)
  if (pullRequestCommits !== undefined && pullRequestCommits.state !== 'listed') core.warning(pullRequestCommitsWarning(pullRequestCommits))
  core.info(lookingForLine(query))
  const base = { project: settings.project, region: settings.region, candidates, pullRequestCommits }
  if (candidates.list.length === 0) {
    core.warning(`The ${candidates.eventName || 'unknown'} event names no source version or commit: nothing to look for.`)
    return { refs: [], known: new Map(), summary: { ...base, inProgress: 0, matched: 0, kept: [] } }
  }
  try {
    const discovery = await discoverBatches(clientFor(settings.region), query)
    for (const line of discoveryLines(query, discovery)) core.info(line)
    return {
      refs: discovery.matched.map((batch) => refOfListedBatch(batch.id ?? '', batch.arn, settings.region)),
      known: new Map(discovery.matched.map((batch) => [batch.id ?? '', batch])),
      summary: {
        ...base,
        inProgress: discovery.inProgress,
        matched: discovery.matched.length,
        matches: discovery.matches,
        kept: discovery.kept.map(({ batch, reason }) => ({ id: batch.id ?? '', reason }))
      }
    }
  } catch (error) {
    if (!(error instanceof DiscoveryError)) throw error
    return { refs: [], known: new Map(), summary: { ...base, kept: [], error: error.message }, error: error.message }
  }
}

/**
 * The candidates: the source-version input's, or the event's and, on a pull request event,
 * the pull request's commits from the GitHub API (a failure there only warns).
 */
async function gatherCandidates(settings: DiscoverySettings, signal: AbortSignal): Promise<CandidatesWithHistory> {
  const event = readRunEvent()
  const options = { supersededOnly: settings.supersededOnly }
  if (settings.supersededOnly && candidatesFromEvent(event, options).head === undefined) {
    throw new InputError(
      `Input '${Inputs.SupersededOnly}' needs the run's head commit, and the ${event.eventName || 'unknown'} event names none (GITHUB_SHA is empty).`
    )
  }
  if (settings.sourceVersions.length > 0) return { candidates: candidatesFromInput(settings.sourceVersions, event, options) }
  return addPullRequestCommits(candidatesFromEvent(event, options), event, (pullRequest) =>
    listPullRequestCommits({
      token: settings.githubToken,
      apiUrl: process.env.GITHUB_API_URL ?? '',
      repository: event.repository,
      pullRequest,
      signal
    })
  )
}

/** The explicit batches first, then the discovered ones that are not among them. */
function mergeRefs(explicit: readonly BatchRef[], discovered: readonly BatchRef[]): BatchRef[] {
  const seen = new Set(explicit.map((ref) => `${ref.region}/${ref.id}`))
  return [...explicit, ...discovered.filter((ref) => !seen.has(`${ref.region}/${ref.id}`))]
}
