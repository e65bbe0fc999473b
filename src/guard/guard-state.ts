import { isProjectName, isRegion } from '../inputs/batch-ref.js'
import { isRecord } from '../runtime/errors.js'
import type { RunIdentity } from '../subject/job-ownership.js'

/**
 * What the guard's main step hands to its post step, through the action's state
 * (saveState: GITHUB_STATE, then STATE_<name>): everything the post step must not read
 * from the job's environment, because a later step may change or empty it. Never
 * credentials: the post step gets them from the environment, as every step does.
 */
export interface GuardState {
  /** When the main step started, epoch milliseconds. */
  readonly startedAt: number
  readonly projects: readonly string[]
  /** The region the main step resolved. */
  readonly region: string
  /** The file the main step created for the job's steps to record batch ids in. */
  readonly batchFile: string
  readonly identity: RunIdentity
}

export function serializeGuardState(state: GuardState): string {
  return JSON.stringify(state)
}

/** The state the main step saved; undefined when it saved none (it failed, or never ran to its end). */
export function parseGuardState(saved: string): GuardState | undefined {
  if (saved === '') return undefined
  let value: unknown
  try {
    value = JSON.parse(saved)
  } catch {
    value = undefined
  }
  if (!isGuardState(value)) {
    throw new Error(`the state saved by the guard's main step is not what this version of the guard saves: ${saved.slice(0, 200)}`)
  }
  return value
}

function isGuardState(value: unknown): value is GuardState {
  if (!isRecord(value) || !isRecord(value.identity)) return false
  const { identity } = value
  const pullRequest = identity.pullRequest
  return (
    typeof value.startedAt === 'number' &&
    Number.isFinite(value.startedAt) &&
    Array.isArray(value.projects) &&
    value.projects.length > 0 &&
    value.projects.every((project) => typeof project === 'string' && isProjectName(project)) &&
    typeof value.region === 'string' &&
    isRegion(value.region) &&
    typeof value.batchFile === 'string' &&
    ['eventName', 'runId', 'runAttempt', 'job', 'sha', 'ref', 'branch'].every((key) => typeof identity[key] === 'string') &&
    (pullRequest === undefined ||
      (isRecord(pullRequest) && typeof pullRequest.number === 'number' && typeof pullRequest.head === 'string'))
  )
}
