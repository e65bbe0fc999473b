import { BatchRefError, parseBatchRef, refKey, uniqueRefs, type BatchRef } from './batch-ref.js'

/** A line of the file that is not a batch id or ARN. */
export interface MalformedLine {
  /** 1-based. */
  readonly line: number
  /** Why, quoting the line (escaped, cut): BatchRefError's message. */
  readonly reason: string
}

export interface RecordedBatches {
  /** Each recorded batch once, in the order first recorded. */
  readonly refs: readonly BatchRef[]
  /** The line each batch was first recorded on, by `region/id`. */
  readonly lines: ReadonlyMap<string, number>
  readonly malformed: readonly MalformedLine[]
}

/**
 * Reads the file where the job's steps record the batches they start
 * (`echo "$id" >> "$STOP_CODEBUILD_BATCH_FILE"`): one batch id or ARN per line, parsed like
 * the stop action's batch-id input. Blank lines and duplicates are ignored; a plain id is in
 * `defaultRegion`, an ARN in its own region. A malformed line is returned, not thrown, so
 * that the other batches are still stopped.
 */
export function parseRecordedBatches(text: string, defaultRegion: string): RecordedBatches {
  const refs: BatchRef[] = []
  const lines = new Map<string, number>()
  const malformed: MalformedLine[] = []
  text.split(/\r?\n/).forEach((raw, index) => {
    const value = raw.trim()
    if (value === '') return
    try {
      const ref = parseBatchRef(value, defaultRegion)
      refs.push(ref)
      const key = refKey(ref)
      if (!lines.has(key)) lines.set(key, index + 1)
    } catch (error) {
      if (!(error instanceof BatchRefError)) throw error
      malformed.push({ line: index + 1, reason: error.message })
    }
  })
  return { refs: uniqueRefs(refs), lines, malformed }
}
