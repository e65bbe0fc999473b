import { Context } from '../../node_modules/@actions/github/lib/context.js'
import type { RunEvent } from './source-candidates.js'

/**
 * The run's event, read by @actions/github's Context (GITHUB_EVENT_NAME, GITHUB_SHA,
 * GITHUB_REF, GITHUB_REPOSITORY and the payload file at GITHUB_EVENT_PATH), when discovery
 * needs it.
 *
 * Context comes from its own module: @actions/github's entry module also loads Octokit, an
 * HTTP client and undici, which only the pull request's commits need (src/github/ loads them
 * then; see workflow-commands.ts for the measured cost of such an import). This module loads
 * only `fs` and `os`.
 */
export function readRunEvent(): RunEvent {
  const context = new Context()
  return {
    eventName: context.eventName ?? '',
    sha: context.sha ?? '',
    ref: context.ref ?? '',
    repository: repositoryOf(context),
    payload: context.payload ?? {}
  }
}

/** owner/name from GITHUB_REPOSITORY, else from the payload; '' when neither says. */
function repositoryOf(context: Context): string {
  try {
    const { owner, repo } = context.repo
    return owner && repo ? `${owner}/${repo}` : ''
  } catch {
    return ''
  }
}
