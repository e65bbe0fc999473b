import { describe, expect, it } from '@jest/globals'
import type { BuildBatch } from '@aws-sdk/client-codebuild'
import { decideBatch, keptBySupersededOnly, matchBatch } from '../src/subject/match-batch.js'
import {
  candidatesFromEvent,
  candidatesFromInput,
  withPullRequestCommits,
  type Candidates,
  type RunEvent
} from '../src/subject/source-candidates.js'

const HEAD = '4f9a0c2b7d1e8f3a6b5c4d3e2f1a0b9c8d7e6f5a'
const BEFORE = '9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d'
const FIRST = '1'.repeat(40)
const OTHER = 'e'.repeat(40)

const synchronize: RunEvent = {
  eventName: 'pull_request',
  sha: 'c'.repeat(40),
  ref: 'refs/pull/42/merge',
  repository: 'example/app',
  payload: { action: 'synchronize', number: 42, before: BEFORE, pull_request: { number: 42, head: { sha: HEAD } } }
}
const closed: RunEvent = { ...synchronize, payload: { action: 'closed', number: 42, pull_request: { number: 42, head: { sha: HEAD } } } }
const fromEvent = candidatesFromEvent(closed, { supersededOnly: false })
const withHistory: Candidates = withPullRequestCommits(fromEvent, [FIRST, BEFORE, HEAD])

const batch = (sourceVersion?: string, resolvedSourceVersion?: string): BuildBatch => ({ sourceVersion, resolvedSourceVersion })
const described = (result: ReturnType<typeof matchBatch>) =>
  result === undefined ? undefined : [result.field, result.candidate.value, result.candidate.role, result.candidate.origin]

describe('matchBatch', () => {
  it.each([
    ['pr/<number>', batch('pr/42'), ['sourceVersion', 'pr/42', 'pull-request', 'event']],
    ['the head SHA as source version, commit not known yet', batch(HEAD), ['sourceVersion', HEAD, 'head', 'event']],
    ['a branch that resolved to the head', batch('refs/heads/feature/matrix', HEAD), ['resolvedSourceVersion', HEAD, 'head', 'event']],
    ['pr/<number>, by source version before its commit', batch('pr/42', FIRST), ['sourceVersion', 'pr/42', 'pull-request', 'event']]
  ])('matches %s', (_what, candidate, expected) => {
    expect(described(matchBatch(candidate, withHistory))).toEqual(expected)
  })

  it.each([
    ['pr/420', batch('pr/420')],
    ['pr/4', batch('pr/4')],
    ['PR/42', batch('PR/42')],
    ['a padded value', batch(' pr/42')],
    ['a longer SHA', batch('main', `${HEAD}0`)],
    ['a short SHA', batch(HEAD.slice(0, 7))],
    ['a version candidate as resolved commit', batch('main', 'pr/42')],
    ['nothing', batch(undefined, undefined)]
  ])('never matches %s', (_what, candidate) => {
    expect(matchBatch(candidate, withHistory)).toBeUndefined()
  })

  it("matches an earlier commit only through the pull request's commits, by either field", () => {
    expect(matchBatch(batch(FIRST), fromEvent)).toBeUndefined()
    expect(described(matchBatch(batch(FIRST), withHistory))).toEqual(['sourceVersion', FIRST, 'pull-request-commit', 'pull-request-commits'])
    expect(described(matchBatch(batch('refs/heads/feature/matrix', FIRST), withHistory))).toEqual([
      'resolvedSourceVersion',
      FIRST,
      'pull-request-commit',
      'pull-request-commits'
    ])
    expect(matchBatch(batch(FIRST), withHistory)?.candidate.position).toEqual({ index: 1, count: 3 })
  })

  it("reports the event's own candidate when the pull request's commits hold the same value", () => {
    expect(described(matchBatch(batch(HEAD), withHistory))).toEqual(['sourceVersion', HEAD, 'head', 'event'])
  })

  it('matches an input value by source version or resolved commit', () => {
    const input = candidatesFromInput(['release/2.0', OTHER], synchronize, { supersededOnly: false })
    expect(described(matchBatch(batch('release/2.0'), input))).toEqual(['sourceVersion', 'release/2.0', 'input', 'input'])
    expect(described(matchBatch(batch('main', OTHER), input))).toEqual(['resolvedSourceVersion', OTHER, 'input', 'input'])
  })
})

describe('keptBySupersededOnly', () => {
  const candidates = withPullRequestCommits(candidatesFromEvent(synchronize, { supersededOnly: true }), [FIRST, BEFORE, HEAD])

  it('keeps the batch of the current head, by resolved commit or by source version', () => {
    expect(keptBySupersededOnly(batch('pr/42', HEAD), candidates)).toBe('current-head')
    expect(keptBySupersededOnly(batch(HEAD), candidates)).toBe('current-head')
  })

  it('keeps a batch whose commit is not known yet, unless it was started with an older candidate commit', () => {
    expect(keptBySupersededOnly(batch('pr/42'), candidates)).toBe('unknown-commit')
    expect(keptBySupersededOnly(batch('refs/heads/feature/matrix'), candidates)).toBe('unknown-commit')
    expect(keptBySupersededOnly(batch(BEFORE), candidates)).toBeUndefined()
    expect(keptBySupersededOnly(batch(FIRST), candidates)).toBeUndefined()
  })

  it('keeps a batch started with an input value whose commit is not known yet', () => {
    const input = candidatesFromInput([OTHER], synchronize, { supersededOnly: true })
    expect(keptBySupersededOnly(batch(OTHER), input)).toBe('unknown-commit')
  })

  it('lets a batch of an older commit be stopped', () => {
    expect(keptBySupersededOnly(batch('pr/42', OTHER), candidates)).toBeUndefined()
    expect(keptBySupersededOnly(batch('pr/42', BEFORE), candidates)).toBeUndefined()
  })

  it('keeps nothing by head when the run has no head', () => {
    expect(keptBySupersededOnly(batch('main', OTHER), { list: [], head: undefined, eventName: 'push' })).toBeUndefined()
  })
})

describe('decideBatch', () => {
  const candidates = withPullRequestCommits(candidatesFromEvent(synchronize, { supersededOnly: true }), [FIRST, BEFORE, HEAD])

  it('stops every match without superseded-only, and says which candidate matched', () => {
    expect(decideBatch(batch(HEAD), candidates, false)).toEqual({ match: { candidate: candidates.list[1], field: 'sourceVersion' } })
    expect(decideBatch(batch('pr/43'), candidates, false)).toBeUndefined()
  })

  it('keeps what superseded-only keeps, with the match', () => {
    expect(decideBatch(batch(HEAD), candidates, true)).toMatchObject({ keep: 'current-head', match: { field: 'sourceVersion' } })
    expect(decideBatch(batch(BEFORE), candidates, true)).toEqual({ match: { candidate: candidates.list[2], field: 'sourceVersion' } })
  })
})
