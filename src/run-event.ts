import type { RunEvent } from './source-candidates.js'

/**
 * The run's event, read by @actions/github's Context (GITHUB_EVENT_NAME, GITHUB_SHA,
 * GITHUB_REF and the payload file at GITHUB_EVENT_PATH). Loaded only when discovery needs
 * it, and from its own module: @actions/github's entry module also loads Octokit, an HTTP
 * client and undici, which this action never uses (see workflow-commands.ts for the
 * measured cost of such an import).
 */
export async function readRunEvent(): Promise<RunEvent> {
  const { Context } = await import('../node_modules/@actions/github/lib/context.js')
  const context = new Context()
  return {
    eventName: context.eventName ?? '',
    sha: context.sha ?? '',
    ref: context.ref ?? '',
    payload: context.payload ?? {}
  }
}
