import type { CandidateMatch, KeepReason } from '../subject/match-batch.js'
import type { Candidate, CandidateOrigin, Candidates } from '../subject/source-candidates.js'
import type { RunRepository } from '../subject/source-repository.js'

/**
 * Candidates and matches in words, for the log and the summary alike. The words are plain
 * text: each renderer escapes them, with the values from the event and the API, its own way.
 */
export function roleWords(candidate: Candidate): string {
  switch (candidate.role) {
    case 'pull-request':
      return 'the pull request'
    case 'pull-request-ref':
      return "a ref of the pull request"
    case 'test-merge-commit':
      return "the run's test merge commit, GITHUB_SHA"
    case 'head-branch':
      return "the pull request's head branch, when its commit is one of the pull request's"
    case 'run-id':
      return 'the id of the run, as GITHUB_RUN_ID'
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
    case 'run-commit':
      return "the run's commit, GITHUB_SHA"
  }
}

export function originWords(origin: CandidateOrigin, eventName: string): string {
  switch (origin) {
    case 'event':
      return `the ${eventName || 'unknown'} event`
    case 'pull-request':
      return 'the pull request (GitHub API)'
    case 'pull-request-commits':
      return "the pull request's commits (GitHub API)"
    case 'input':
      return 'the source-version input'
  }
}

export function fieldWords(field: CandidateMatch['field']): string {
  switch (field) {
    case 'sourceVersion':
      return 'source version'
    case 'resolvedSourceVersion':
      return 'resolved commit'
    case 'GITHUB_RUN_ID':
      return 'environment variable GITHUB_RUN_ID'
  }
}

/** What the event is about, as a sentence: `The issue_comment event is about pull request #42.` */
export function subjectWords(candidates: Candidates): string {
  const event = `The ${candidates.eventName || 'unknown'} event`
  const { subject } = candidates
  switch (subject.kind) {
    case 'pull-request':
      return `${event} is about pull request #${subject.number}.`
    case 'run':
      return `${event} is about workflow run ${subject.id}, the run that triggered this workflow.`
    case 'deleted-ref':
      return `${event} is about the deleted ${candidates.list.some(({ value }) => value.startsWith('refs/tags/')) ? 'tag' : 'branch'} ${subject.ref}.`
    case 'commit':
      return `${event} is about the run's commit and ref.`
    case 'merge-group':
      return `${event} is about the merge group.`
    case 'input':
      return 'The source-version input names what to look for.'
    case 'none':
      return `${event} is about nothing whose batches can be told: ${subject.why}.`
  }
}

/**
 * Why a batch that a candidate connects to the run is kept, as a clause:
 * `Keeping app:1: <words>.` It quotes the batch's own fields, unescaped: each renderer
 * escapes it its own way.
 */
export function keepWords(reason: KeepReason, candidates: Candidates, repository: RunRepository): string {
  const head = candidates.head ?? 'not known'
  switch (reason.code) {
    case 'current-head':
      return `it builds the current head ${reason.commit}`
    case 'unknown-commit':
      return "its commit is not known yet, so it may be this run's own batch"
    case 'newer-commit':
      return `its commit ${reason.commit} comes after the run's head ${head} among the pull request's commits: it is newer, not superseded`
    case 'unknown-age':
      return candidates.head === undefined
        ? `the run's head commit is not known, so its commit ${reason.commit} is not known to be older`
        : `its commit ${reason.commit} is not known to be older than the run's head ${head} (it is neither before nor listed ahead of the head among the pull request's commits)`
    case 'other-ref':
      return `it was started for ${reason.sourceVersion}, not for this run's pull request, branch or tag, although it built this run's commit ${reason.commit}`
    case 'no-source-version':
      return `it was started without a source version, so it builds the project's default branch, and whose that is cannot be told, although it built this run's commit ${reason.commit}`
    case 'head-branch-commit-unknown':
      return `it was started for the pull request's head branch ${reason.branch}, and its commit is not known yet, so whether it is one of the pull request's cannot be told`
    case 'head-branch-other-commit':
      return `it was started for the pull request's head branch ${reason.branch}, but its commit ${reason.commit} is not one of the pull request's`
    case 'other-repository':
      return repositoryWords(reason, repository)
    case 'other-run':
      return `it carries GITHUB_RUN_ID ${reason.runId}, another run's`
  }
}

function repositoryWords(reason: KeepReason & { code: 'other-repository' }, repository: RunRepository): string {
  const ours = repository.repository === '' ? 'not known' : `${repository.serverUrl.replace(/\/+$/, '')}/${repository.repository}`
  switch (reason.verdict) {
    case 'another':
      return `its source is the ${reason.type} repository ${reason.location}, not this run's repository ${ours}`
    case 'no-location':
      return `its ${reason.type} source names no repository, so whose it is cannot be told`
    case 'unknown-run-repository':
      return `this run's repository is not known (GITHUB_REPOSITORY is not set), so whether its source ${reason.location} is this run's cannot be told`
  }
}

/** `its source version pr/42 is the pull request, from the pull_request event` */
export function matchWords(match: CandidateMatch, eventName: string): string {
  const { candidate, field } = match
  return `its ${fieldWords(field)} ${candidate.value} is ${roleWords(candidate)}, from ${originWords(candidate.origin, eventName)}`
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
