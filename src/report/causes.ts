import type { BatchOutcome } from '../codebuild/batch-outcome.js'

/**
 * Batches that could not be stopped (or were not found) for one and the same reason. With
 * no credentials, or a role without the permission, every batch fails with the same
 * message: it is reported once, naming the batches, rather than once per batch. The runner
 * keeps only about ten error annotations per step, so one per batch would also push the
 * step's own verdict out of the annotations.
 */
export interface Cause {
  readonly kind: 'not-found' | 'failed'
  /** For `not-found`: the region CodeBuild was asked in; for `failed`, that of the first batch. */
  readonly region: string
  /** For `failed`: what went wrong, the same text for every batch of the cause. */
  readonly message: string
  /** The batches, in the order they were requested. */
  readonly ids: readonly string[]
}

/** The causes among the outcomes, in the order each first appears; successes are left out. */
export function groupByCause(outcomes: readonly BatchOutcome[]): Cause[] {
  const causes = new Map<string, { kind: Cause['kind']; region: string; message: string; ids: string[] }>()
  for (const outcome of outcomes) {
    if (outcome.result !== 'not-found' && outcome.result !== 'failed') continue
    // A missing batch's message names the batch itself; what such batches share is the
    // region. A failure's message is the cause, whatever the region (no credentials).
    const message = outcome.result === 'failed' ? (outcome.error ?? 'unknown error') : ''
    const key = outcome.result === 'failed' ? `failed\n${message}` : `not-found\n${outcome.ref.region}`
    const cause = causes.get(key)
    if (cause === undefined) {
      causes.set(key, { kind: outcome.result, region: outcome.ref.region, message, ids: [outcome.ref.id] })
    } else {
      cause.ids.push(outcome.ref.id)
    }
  }
  return [...causes.values()]
}

/** Ids named in one line at most; a longer list ends with how many more there are. */
export const MAX_IDS_NAMED = 10

/** `a, b, c` or `a, …, j and 5 more`. */
export function namedIds(ids: readonly string[]): string {
  if (ids.length <= MAX_IDS_NAMED) return ids.join(', ')
  return `${ids.slice(0, MAX_IDS_NAMED).join(', ')} and ${ids.length - MAX_IDS_NAMED} more`
}
