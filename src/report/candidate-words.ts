import type { CandidateMatch } from '../subject/match-batch.js'
import type { Candidate, CandidateOrigin } from '../subject/source-candidates.js'

/**
 * Candidates and matches in words, for the log and the summary alike. The words are plain
 * text: each renderer escapes them, with the values from the event and the API, its own way.
 */
export function roleWords(candidate: Candidate): string {
  switch (candidate.role) {
    case 'pull-request':
      return 'the pull request'
    case 'head':
      return 'the head commit'
    case 'before':
      return 'the previous head, before'
    case 'ref':
      return 'the ref'
    case 'ref-name':
      return 'the branch or tag name'
    case 'pull-request-commit':
      return candidate.position === undefined
        ? 'a commit of the pull request'
        : `commit ${candidate.position.index} of ${candidate.position.count} of the pull request`
    case 'input':
      return 'a source-version value'
  }
}

export function originWords(origin: CandidateOrigin, eventName: string): string {
  switch (origin) {
    case 'event':
      return `the ${eventName || 'unknown'} event`
    case 'pull-request-commits':
      return "the pull request's commits (GitHub API)"
    case 'input':
      return 'the source-version input'
  }
}

export function fieldWords(field: CandidateMatch['field']): string {
  return field === 'sourceVersion' ? 'source version' : 'resolved commit'
}

/** The candidates grouped by origin, in the order they came. */
export function byOrigin(candidates: readonly Candidate[]): Array<[CandidateOrigin, Candidate[]]> {
  const groups = new Map<CandidateOrigin, Candidate[]>()
  for (const candidate of candidates) {
    const group = groups.get(candidate.origin) ?? []
    group.push(candidate)
    groups.set(candidate.origin, group)
  }
  return [...groups.entries()]
}

/** How many different values the candidates hold (the head commit is often listed twice). */
export function distinctValues(candidates: readonly Candidate[]): number {
  return new Set(candidates.map(({ value }) => value)).size
}
