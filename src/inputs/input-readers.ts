import { isProjectName, isRegion } from './batch-ref.js'
import { Inputs, type InputName } from './constants.js'
import { quote } from '../report/escape.js'
import { InputError } from '../runtime/errors.js'
import type { StopSettings } from '../core/stop-and-report.js'

/**
 * The readers that both actions' settings share (the stop action's settings.ts, the guard's
 * guard-settings.ts): one input, one reader, one error message, whichever action reads it.
 */

/** Reads one input, already trimmed, as `@actions/core`'s `getInput` does. */
export type InputReader<Name extends string = InputName> = (name: Name) => string

/**
 * An input reader that gives an empty input the default its action.yml declares. An empty
 * value means "not given": a caller passing `${{ inputs.x }}` through gets the default of
 * action.yml, the only place where defaults are written.
 */
export function withDefaults<Name extends string>(
  getInput: InputReader<Name>,
  defaults: Readonly<Record<Name, string>>
): InputReader<Name> {
  return (name) => {
    const value = getInput(name)
    return value === '' ? defaults[name] : value
  }
}

// Newlines, commas and any white space separate the values of a list input; nothing else
// does, so a NUL byte or another stray character stays inside its value and fails
// validation visibly.
const LIST_SEPARATORS = /[\s,]+/

/** The values of a list input, in order, without empty ones. */
export function splitList(value: string): string[] {
  return value.split(LIST_SEPARATORS).filter((token) => token !== '')
}

/** A CodeBuild project name, or an InputError naming the input and the value. */
export function checkProjectName(name: string): string {
  if (!isProjectName(name)) {
    throw new InputError(
      `Input '${Inputs.ProjectName}' has an invalid value ${quote(name)}: a CodeBuild project name is 2 to 255 letters, digits, "-" or "_", starting with a letter or digit.`
    )
  }
  return name
}

/** The projects of a list input (newlines, commas or spaces), each checked, each once. */
export function readProjectNames(value: string): string[] {
  return [...new Set(splitList(value).map(checkProjectName))]
}

/** The region from the input, else AWS_REGION, else AWS_DEFAULT_REGION; undefined when none is set. */
export function readRegion(input: string, env: Readonly<Record<string, string | undefined>>): string | undefined {
  return readRegionWhenNeeded(input, env).value()
}

/** A region read only when something needs it (see readRegionWhenNeeded). */
export interface DefaultRegion {
  /** The region, or undefined when none is set; throws an InputError when it is not a region. */
  value(): string | undefined
}

/**
 * The region, as readRegion reads it, with the environment checked only when a plain batch
 * id or a project needs the region (`value()`); the input is checked at once. A batch ARN
 * names its own region, so with every batch given as an ARN no request needs the default
 * region, and an unusable one that another step set for tools of its own (such as
 * aws-global) must not fail the step.
 */
export function readRegionWhenNeeded(input: string, env: Readonly<Record<string, string | undefined>>): DefaultRegion {
  const candidates: ReadonlyArray<readonly [string, string | undefined]> = [
    [`Input '${Inputs.AwsRegion}'`, input],
    ['Environment variable AWS_REGION', env.AWS_REGION?.trim()],
    ['Environment variable AWS_DEFAULT_REGION', env.AWS_DEFAULT_REGION?.trim()]
  ]
  const set = candidates.find(([, value]) => value !== undefined && value !== '')
  const value = (): string | undefined => {
    if (set === undefined) return undefined
    const [source, region = ''] = set
    if (!isRegion(region)) {
      throw new InputError(`${source} has an invalid value ${quote(region)}: expected an AWS region such as us-east-1.`)
    }
    return region
  }
  if (input !== '') value()
  return { value }
}

/** The region of projects to search, which must be known. */
export function requireRegion(region: string | undefined, projects: readonly string[]): string {
  if (region === undefined) {
    throw new InputError(
      `Input '${Inputs.AwsRegion}' is empty and neither AWS_REGION nor AWS_DEFAULT_REGION is set: give the region of project ${projects.join(', ')}.`
    )
  }
  return region
}

export function readBoolean(name: InputName, value: string): boolean {
  // The YAML 1.2 core schema spellings, as @actions/core's getBooleanInput accepts them.
  if (['true', 'True', 'TRUE'].includes(value)) return true
  if (['false', 'False', 'FALSE'].includes(value)) return false
  throw new InputError(`Input '${name}' has an invalid value ${quote(value)}: expected true or false.`)
}

function readSeconds(name: InputName, value: string, min: number, max: number): number {
  const seconds = /^\d{1,6}(\.\d{1,3})?$/.test(value) ? Number(value) : Number.NaN
  if (!(seconds >= min && seconds <= max)) {
    throw new InputError(
      `Input '${name}' has an invalid value ${quote(value)}: expected a number of seconds from ${min} to ${max}.`
    )
  }
  return Math.round(seconds * 1000)
}

const MAX_WAIT_TIMEOUT_SECONDS = 6 * 60 * 60 // a job cannot run longer on GitHub-hosted runners
const MIN_POLL_INTERVAL_SECONDS = 0.1
const MAX_POLL_INTERVAL_SECONDS = 3600

/** How to wait and report: the inputs every action that stops batches has. */
export type WaitAndReport = Pick<StopSettings, 'wait' | 'waitTimeoutMs' | 'pollIntervalMs' | 'summary'>

export function readWaitAndReport(
  read: InputReader<typeof Inputs.Wait | typeof Inputs.WaitTimeout | typeof Inputs.PollInterval | typeof Inputs.Summary>
): WaitAndReport {
  return {
    wait: readBoolean(Inputs.Wait, read(Inputs.Wait)),
    waitTimeoutMs: readSeconds(Inputs.WaitTimeout, read(Inputs.WaitTimeout), 1, MAX_WAIT_TIMEOUT_SECONDS),
    pollIntervalMs: readSeconds(Inputs.PollInterval, read(Inputs.PollInterval), MIN_POLL_INTERVAL_SECONDS, MAX_POLL_INTERVAL_SECONDS),
    summary: readBoolean(Inputs.Summary, read(Inputs.Summary))
  }
}
