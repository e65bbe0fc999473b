/**
 * The parts of @actions/core that this action uses, built on @actions/core's own modules.
 *
 * Why not `import * as core from '@actions/core'`: its entry module (core.js) also loads
 * its OIDC token client, which loads @actions/http-client and undici, about 1 MB of
 * JavaScript that this action never runs. Measured on a 2-core machine under Node 24, that
 * import alone added 100 ms to every start (a bare `node` starts in about 80 ms), and a
 * cancellation step has seconds, not minutes. The modules imported below are the ones
 * core.js itself calls for these functions (command escaping, the GITHUB_OUTPUT file
 * protocol, the job summary); the functions are core.js's one-line wrappers around them.
 * @actions/core is pinned to an exact version, and __tests__/workflow-commands.test.ts
 * checks that every function writes exactly what core.js writes.
 *
 * The paths go through node_modules because @actions/core's package exports only its
 * entry module; the bundler (ncc) resolves them like any other file.
 */
import { EOL } from 'node:os'
import { issueCommand } from '../../node_modules/@actions/core/lib/command.js'
import { issueFileCommand, prepareKeyValueMessage } from '../../node_modules/@actions/core/lib/file-command.js'
import { toCommandValue } from '../../node_modules/@actions/core/lib/utils.js'

export { summary } from '../../node_modules/@actions/core/lib/summary.js'

/** An input as the runner passes it (INPUT_<NAME>), trimmed; '' when not given. */
export function getInput(name: string): string {
  return (process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim()
}

export function setOutput(name: string, value: string): void {
  if (process.env.GITHUB_OUTPUT) {
    issueFileCommand('OUTPUT', prepareKeyValueMessage(name, value))
    return
  }
  process.stdout.write(EOL)
  issueCommand('set-output', { name }, value)
}

/** Saves a value of the action's state for its post step, which reads it as STATE_<name> (getState). */
export function saveState(name: string, value: string): void {
  if (process.env.GITHUB_STATE) {
    issueFileCommand('STATE', prepareKeyValueMessage(name, value))
    return
  }
  issueCommand('save-state', { name }, toCommandValue(value))
}

/** A value the main step saved (saveState); '' when it saved none. */
export function getState(name: string): string {
  return process.env[`STATE_${name}`] ?? ''
}

/** Sets a variable for this step and every later step of the job, post steps included. */
export function exportVariable(name: string, value: string): void {
  process.env[name] = toCommandValue(value)
  if (process.env.GITHUB_ENV) {
    issueFileCommand('ENV', prepareKeyValueMessage(name, value))
    return
  }
  issueCommand('set-env', { name }, toCommandValue(value))
}

export function info(message: string): void {
  process.stdout.write(message + EOL)
}

export function debug(message: string): void {
  issueCommand('debug', {}, message)
}

export function warning(message: string): void {
  issueCommand('warning', {}, message)
}

export function error(message: string): void {
  issueCommand('error', {}, message)
}

/** Logs the error and makes the step fail when the process exits. */
export function setFailed(message: string): void {
  process.exitCode = 1
  error(message)
}
