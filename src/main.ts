import { requestStops, runStep, stopAndReport, type StepContext } from './core/stop-and-report.js'
import { uniqueRefs } from './inputs/batch-ref.js'
import { readSettings, type DiscoverySettings } from './inputs/settings.js'
import * as core from './report/workflow-commands.js'
import { listenForCancellation, type Cancellation } from './runtime/cancellation.js'

/**
 * The stop action: read the inputs, stop the given batches at once, find the run's batches
 * when asked, then stop, wait and report with the core that the guard shares
 * (core/stop-and-report.ts).
 */
export async function run(cancellation: Cancellation = listenForCancellation()): Promise<void> {
  await runStep(cancellation, async (context) => {
    const settings = readSettings((name) => core.getInput(name), process.env)
    const search = settings.discovery === undefined ? undefined : await planSearch(settings.discovery, settings.batches.length > 0)
    // The given ids go out first, while the project is searched: a slow or hung listing, or
    // a cancel during it, must never hold back a stop the workflow named.
    if (!settings.dryRun) requestStops(context, settings.batches)
    const found = await search?.(context)
    await stopAndReport(
      context,
      {
        // The explicit batches first, then the discovered ones that are not among them.
        refs: uniqueRefs([...settings.batches, ...(found?.refs ?? [])]),
        known: found?.known,
        discovery: found?.summary,
        findError: found?.error
      },
      settings
    )
  })
}

/**
 * Plans the search of project-name before any request is sent (what is wrong with it is the
 * user's to fix), and returns the search. Its code (the run's event, each event's subject,
 * the ownership rule, the GitHub API) is imported only here: a stop by id never reads or
 * compiles it.
 */
async function planSearch(discovery: DiscoverySettings, hasBatchIds: boolean) {
  const [{ findBatches, planDiscovery }, { readRunEvent }] = await Promise.all([import('./core/find-batches.js'), import('./subject/run-event.js')])
  const plan = planDiscovery(discovery, readRunEvent(), hasBatchIds)
  return (context: StepContext) => findBatches(plan, context)
}
