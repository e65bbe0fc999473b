import { forLog } from '../report/escape.js'
import * as core from '../report/workflow-commands.js'
import { errorMessage, InputError } from '../runtime/errors.js'

/**
 * Ends a step whose body threw as a failed step, with a message the user can act on; a
 * stack trace is printed only for a bug (with RUNNER_DEBUG), never for an expected failure.
 * Every entrypoint ends this way. It lives apart from stop-and-report.ts so that the guard's
 * main step, which sends no request, does not load the AWS SDK to report bad input.
 */
export function failStep(error: unknown): void {
  if (error instanceof InputError) {
    core.setFailed(forLog(error.message))
    return
  }
  // Not expected: say so plainly, with the stack for a bug report.
  core.setFailed(forLog(`Unexpected error: ${errorMessage(error)}`))
  if (error instanceof Error && error.stack !== undefined) core.debug(forLog(error.stack))
}
