import { GUARD_DEFAULTS } from './action-defaults.generated.js'
import { GuardInputs, type GuardInputName } from './constants.js'
import { readProjectNames, readRegion, readWaitAndReport, requireRegion, withDefaults, type InputReader } from './input-readers.js'
import { InputError } from '../runtime/errors.js'
import type { StopSettings } from '../core/stop-and-report.js'

/** What the guard was asked to do, validated when its main step runs. */
export interface GuardSettings extends StopSettings {
  /** The projects whose in-progress batches the post step searches, each once, in input order. */
  readonly projects: readonly string[]
  /**
   * The region of the projects and of batch ids recorded without an ARN, resolved by the main
   * step: a later step may empty AWS_REGION before the post step runs.
   */
  readonly region: string
}

/**
 * Reads and validates every input of the guard, with the readers and messages of the stop
 * action's inputs of the same names. The main step calls it, so bad input fails the job
 * when it starts, never when it is being cancelled.
 */
export function readGuardSettings(
  getInput: InputReader<GuardInputName>,
  env: Readonly<Record<string, string | undefined>>
): GuardSettings {
  const read = withDefaults(getInput, GUARD_DEFAULTS)
  const projects = readProjectNames(read(GuardInputs.ProjectName))
  if (projects.length === 0) {
    throw new InputError(
      `Input '${GuardInputs.ProjectName}' is required and empty: give the CodeBuild projects whose batches this job starts.`
    )
  }
  const region = requireRegion(readRegion(read(GuardInputs.AwsRegion), env), projects)
  return { projects, region, ...readGuardStopSettings(getInput) }
}

/**
 * How the post step stops, waits and reports. It gets the same inputs as the main step, which
 * validated them; the projects and the region come from the main step's state instead.
 */
export function readGuardStopSettings(getInput: InputReader<GuardInputName>): StopSettings {
  return {
    // The guard has no dry run, and a recorded id that CodeBuild does not know is an error
    // to report, like an explicit id of the stop action.
    dryRun: false,
    ignoreNotFound: false,
    ...readWaitAndReport(withDefaults(getInput, GUARD_DEFAULTS))
  }
}
