import { ACTION_DEFAULTS } from './action-defaults.generated.js'
import { BatchRefError, isProjectName, isRegion, parseBatchRef, partitionOf, type BatchRef } from './batch-ref.js'
import { Inputs, type InputName } from './constants.js'
import { quote } from '../report/escape.js'
import { InputError } from '../runtime/errors.js'
import type { StopSettings } from '../core/stop-and-report.js'

/** Everything the action was asked to do, validated; how to stop, wait and report is shared with the guard. */
export interface Settings extends StopSettings {
  /** The batches given by id or ARN, in input order, each once. */
  readonly batches: readonly BatchRef[]
  /** Where to look for the batches of this pull request, branch or commit; absent without project-name. */
  readonly discovery?: DiscoverySettings
}

export interface DiscoverySettings {
  /** The project whose in-progress batches are searched. */
  readonly project: string
  /** The region of that project. */
  readonly region: string
  readonly partition: string
  /** Source versions to look for; empty means: the ones of the run's event. */
  readonly sourceVersions: readonly string[]
  /** Keep the batches of the run's current head commit; stop only older ones. */
  readonly supersededOnly: boolean
  /** The token that lists a pull request's commits; '' when none was given. Never logged. */
  readonly githubToken: string
}

/** Reads one input, already trimmed, as `@actions/core`'s `getInput` does. */
export type InputReader = (name: InputName) => string

const MAX_WAIT_TIMEOUT_SECONDS = 6 * 60 * 60 // a job cannot run longer on GitHub-hosted runners
const MIN_POLL_INTERVAL_SECONDS = 0.1
const MAX_POLL_INTERVAL_SECONDS = 3600

/**
 * Reads and validates every input. Nothing is coerced: a value that is not exactly what the
 * input takes throws an InputError that names the input and the value, before any request.
 */
export function readSettings(getInput: InputReader, env: Readonly<Record<string, string | undefined>>): Settings {
  const read = (name: InputName): string => {
    const value = getInput(name)
    // An empty value means "not given": a caller passing `${{ inputs.x }}` through gets the
    // default of action.yml, the only place where defaults are written.
    return value === '' ? ACTION_DEFAULTS[name] : value
  }
  const defaultRegion = readRegion(read(Inputs.AwsRegion), env)
  const discovery = readDiscovery(read, defaultRegion, getInput(Inputs.GitHubToken))
  const batches = readBatchIds(read(Inputs.BatchId), defaultRegion)
  if (batches.length === 0 && discovery === undefined) {
    throw new InputError(
      `Input '${Inputs.BatchId}' and input '${Inputs.ProjectName}' are both empty: give batch ids or ARNs to stop, a project whose batches for this run to find and stop, or both.`
    )
  }
  return {
    batches,
    discovery,
    dryRun: readBoolean(Inputs.DryRun, read(Inputs.DryRun)),
    wait: readBoolean(Inputs.Wait, read(Inputs.Wait)),
    waitTimeoutMs: readSeconds(Inputs.WaitTimeout, read(Inputs.WaitTimeout), 1, MAX_WAIT_TIMEOUT_SECONDS),
    pollIntervalMs: readSeconds(
      Inputs.PollInterval,
      read(Inputs.PollInterval),
      MIN_POLL_INTERVAL_SECONDS,
      MAX_POLL_INTERVAL_SECONDS
    ),
    ignoreNotFound: readBoolean(Inputs.IgnoreNotFound, read(Inputs.IgnoreNotFound)),
    summary: readBoolean(Inputs.Summary, read(Inputs.Summary))
  }
}

// Anything printable up to 255 characters: a pull request (pr/42), a branch, a tag, a ref
// or a commit SHA. White space and commas separate values, control characters never belong.
// eslint-disable-next-line no-control-regex -- control characters are what this rejects
const SOURCE_VERSION = /^[^\s,\u0000-\u001f\u007f]{1,255}$/u

// The token is read as given, without the default of action.yml: that default is the
// expression `${{ github.token }}`, which the runner evaluates before the action starts, so
// an empty value means that the workflow gave none on purpose (or has no token to give).
function readDiscovery(
  read: (name: InputName) => string,
  region: string | undefined,
  githubToken: string
): DiscoverySettings | undefined {
  const project = read(Inputs.ProjectName)
  const versionsInput = read(Inputs.SourceVersion)
  const supersededOnly = readBoolean(Inputs.SupersededOnly, read(Inputs.SupersededOnly))
  if (project === '') {
    for (const [name, given] of [
      [Inputs.SourceVersion, versionsInput !== ''],
      [Inputs.SupersededOnly, supersededOnly]
    ] as const) {
      if (given) {
        throw new InputError(`Input '${name}' applies only with input '${Inputs.ProjectName}', which is empty.`)
      }
    }
    return undefined
  }
  if (!isProjectName(project)) {
    throw new InputError(
      `Input '${Inputs.ProjectName}' has an invalid value ${quote(project)}: a CodeBuild project name is 2 to 255 letters, digits, "-" or "_", starting with a letter or digit.`
    )
  }
  if (region === undefined) {
    throw new InputError(
      `Input '${Inputs.AwsRegion}' is empty and neither AWS_REGION nor AWS_DEFAULT_REGION is set: give the region of project ${project}.`
    )
  }
  const sourceVersions = [...new Set(versionsInput.split(ID_SEPARATORS).filter((value) => value !== ''))]
  const bad = sourceVersions.find((value) => !SOURCE_VERSION.test(value))
  if (bad !== undefined) {
    throw new InputError(
      `Input '${Inputs.SourceVersion}' has an invalid value ${quote(bad)}: expected source versions such as pr/42, main, refs/heads/main or a commit SHA, of at most 255 characters.`
    )
  }
  return { project, region, partition: partitionOf(region), sourceVersions, supersededOnly, githubToken }
}

function readRegion(input: string, env: Readonly<Record<string, string | undefined>>): string | undefined {
  const candidates: ReadonlyArray<readonly [string, string | undefined]> = [
    [`Input '${Inputs.AwsRegion}'`, input],
    ['Environment variable AWS_REGION', env.AWS_REGION?.trim()],
    ['Environment variable AWS_DEFAULT_REGION', env.AWS_DEFAULT_REGION?.trim()]
  ]
  for (const [source, value] of candidates) {
    if (value === undefined || value === '') continue
    if (!isRegion(value)) {
      throw new InputError(`${source} has an invalid value ${quote(value)}: expected an AWS region such as us-east-1.`)
    }
    return value
  }
  return undefined
}

// Newlines, commas and any white space separate ids; nothing else does, so a NUL byte or
// another stray character stays inside its token and fails validation visibly.
const ID_SEPARATORS = /[\s,]+/

function readBatchIds(input: string, defaultRegion: string | undefined): BatchRef[] {
  const tokens = input.split(ID_SEPARATORS).filter((token) => token !== '')
  const problems: string[] = []
  const byKey = new Map<string, BatchRef>()
  for (const token of tokens) {
    try {
      const ref = parseBatchRef(token, defaultRegion)
      // The same batch given twice, or once as an id and once as an ARN, is stopped once.
      const key = `${ref.region}/${ref.id}`
      const seen = byKey.get(key)
      if (seen === undefined || (seen.arn === undefined && ref.arn !== undefined)) {
        byKey.set(key, ref)
      }
    } catch (error) {
      if (!(error instanceof BatchRefError)) throw error
      problems.push(error.message)
    }
  }
  if (problems.length > 0) {
    const shown = problems.slice(0, 5).join('; ')
    const more = problems.length > 5 ? `; and ${problems.length - 5} more` : ''
    throw new InputError(
      `Input '${Inputs.BatchId}' has ${problems.length === 1 ? 'an invalid value' : `${problems.length} invalid values:`} ${shown}${more}. ` +
        'Expected batch ids such as my-project:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0 or batch ARNs such as ' +
        'arn:aws:codebuild:us-east-1:123456789012:build-batch/my-project:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0.'
    )
  }
  return [...byKey.values()]
}

function readBoolean(name: InputName, value: string): boolean {
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
