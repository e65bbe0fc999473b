import type { RunEvent } from './source-candidates.js'

/**
 * The run's event, from @actions/github's context (GITHUB_EVENT_NAME, GITHUB_SHA,
 * GITHUB_REF and the payload file at GITHUB_EVENT_PATH). Loaded only when discovery needs
 * it: @actions/github brings an HTTP client the stop path never uses.
 */
export async function readRunEvent(): Promise<RunEvent> {
  const { context } = await import('@actions/github')
  return {
    eventName: context.eventName ?? '',
    sha: context.sha ?? '',
    ref: context.ref ?? '',
    payload: context.payload ?? {}
  }
}
