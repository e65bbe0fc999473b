import { ACTION_DEFAULTS } from './action-defaults.generated.js'
import { BatchRefError, parseBatchRef, partitionOf, uniqueRefs, type BatchRef } from './batch-ref.js'
import { Inputs } from './constants.js'
import {
  checkProjectName,
  readBoolean,
  readRegionWhenNeeded,
  readWaitAndReport,
  requireRegion,
  splitList,
  withDefaults,
  type DefaultRegion,
  type InputReader
} from './input-readers.js'
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

/**
 * Reads and validates every input. Nothing is coerced: a value that is not exactly what the
 * input takes throws an InputError that names the input and the value, before any request.
 */
export function readSettings(getInput: InputReader, env: Readonly<Record<string, string | undefined>>): Settings {
  const read = withDefaults(getInput, ACTION_DEFAULTS)
  const defaultRegion = readRegionWhenNeeded(read(Inputs.AwsRegion), env)
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
    ...readWaitAndReport(read),
    ignoreNotFound: readBoolean(Inputs.IgnoreNotFound, read(Inputs.IgnoreNotFound))
  }
}

// Anything printable up to 255 characters: a pull request (pr/42), a branch, a tag, a ref
// or a commit SHA. White space and commas separate values, control characters never belong.
// eslint-disable-next-line no-control-regex -- control characters are what this rejects
const SOURCE_VERSION = /^[^\s,\u0000-\u001f\u007f]{1,255}$/u

// The token is read as given, without the default of action.yml: that default is the
// expression `${{ github.token }}`, which the runner evaluates before the action starts, so
// an empty value means that the workflow gave none on purpose (or has no token to give).
function readDiscovery(read: InputReader, defaultRegion: DefaultRegion, githubToken: string): DiscoverySettings | undefined {
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
  checkProjectName(project)
  const projectRegion = requireRegion(defaultRegion.value(), [project])
  const sourceVersions = [...new Set(splitList(versionsInput))]
  const bad = sourceVersions.find((value) => !SOURCE_VERSION.test(value))
  if (bad !== undefined) {
    throw new InputError(
      `Input '${Inputs.SourceVersion}' has an invalid value ${quote(bad)}: expected source versions such as pr/42, main, refs/heads/main or a commit SHA, of at most 255 characters.`
    )
  }
  return { project, region: projectRegion, partition: partitionOf(projectRegion), sourceVersions, supersededOnly, githubToken }
}

function readBatchIds(input: string, defaultRegion: DefaultRegion): BatchRef[] {
  const tokens = batchIdTokens(input)
  const problems: string[] = []
  const refs: BatchRef[] = []
  for (const token of tokens) {
    try {
      refs.push(parseBatchRef(token, token.startsWith('arn:') ? undefined : defaultRegion.value()))
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
  // The same batch given twice, or once as an id and once as an ARN, is stopped once.
  return uniqueRefs(refs)
}

/**
 * The ids of batch-id: separated by newlines, commas or white space, or a JSON array of
 * strings, as the `stopped-ids` output and other actions' outputs give them
 * (`batch-id: ${{ steps.cleanup.outputs.stopped-ids }}`).
 */
function batchIdTokens(input: string): string[] {
  const trimmed = input.trim()
  if (!trimmed.startsWith('[')) return splitList(input)
  let parsed: unknown
  try {
    parsed = JSON.parse(trimmed)
  } catch {
    throw new InputError(`Input '${Inputs.BatchId}' has an invalid value ${quote(trimmed)}: it starts with "[" but is not a JSON array.`)
  }
  if (!Array.isArray(parsed) || parsed.some((item) => typeof item !== 'string')) {
    throw new InputError(
      `Input '${Inputs.BatchId}' has an invalid value ${quote(trimmed)}: a JSON array of batch ids or ARNs must hold strings only, such as ["my-project:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"].`
    )
  }
  return (parsed as string[]).map((item) => item.trim()).filter((item) => item !== '')
}
