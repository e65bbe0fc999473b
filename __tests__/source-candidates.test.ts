import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import type { BuildBatch } from '@aws-sdk/client-codebuild'
import {
  candidatesFromEvent,
  candidatesFromInput,
  keptBySupersededOnly,
  matchesCandidates,
  type RunEvent
} from '../src/subject/source-candidates.js'

const payload = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../__fixtures__/events/${name}.json`, import.meta.url), 'utf8'))

const PR_HEAD = '4f9a0c2b7d1e8f3a6b5c4d3e2f1a0b9c8d7e6f5a'
const MERGE_SHA = 'cccccccccccccccccccccccccccccccccccccccc'
const PUSH_SHA = '2222222222222222222222222222222222222222'

const pullRequest: RunEvent = { eventName: 'pull_request', sha: MERGE_SHA, ref: 'refs/pull/42/merge', payload: payload('pull_request') }
const push: RunEvent = { eventName: 'push', sha: PUSH_SHA, ref: 'refs/heads/main', payload: payload('push') }

describe('candidatesFromEvent', () => {
  it('takes pr/<number> and the head commit of a pull request, not the merge commit', () => {
    expect(candidatesFromEvent(pullRequest)).toEqual({
      versions: ['pr/42'],
      commits: [PR_HEAD],
      head: PR_HEAD,
      origin: 'the pull_request event'
    })
  })

  it('does the same for pull_request_target, such as a closed pull request', () => {
    const closed: RunEvent = { eventName: 'pull_request_target', sha: 'd'.repeat(40), ref: 'refs/heads/main', payload: payload('pull_request_target_closed') }
    expect(candidatesFromEvent(closed)).toMatchObject({ versions: ['pr/42'], commits: [PR_HEAD], head: PR_HEAD })
  })

  it('takes the commit, the full ref and the branch name of a push', () => {
    expect(candidatesFromEvent(push)).toEqual({
      versions: [PUSH_SHA, 'refs/heads/main', 'main'],
      commits: [PUSH_SHA],
      head: PUSH_SHA,
      origin: 'the push event'
    })
  })

  it('takes the tag name of a tag push', () => {
    expect(candidatesFromEvent({ ...push, ref: 'refs/tags/v1.2.0' }).versions).toEqual([PUSH_SHA, 'refs/tags/v1.2.0', 'v1.2.0'])
  })

  it('takes the commit and ref of any other event', () => {
    const dispatch: RunEvent = { eventName: 'workflow_dispatch', sha: PUSH_SHA, ref: 'refs/heads/release', payload: payload('workflow_dispatch') }
    expect(candidatesFromEvent(dispatch)).toEqual({
      versions: [PUSH_SHA, 'refs/heads/release'],
      commits: [PUSH_SHA],
      head: PUSH_SHA,
      origin: 'the workflow_dispatch event'
    })
  })

  it('finds nothing in an event without commit, ref or pull request', () => {
    expect(candidatesFromEvent({ eventName: '', sha: '', ref: '', payload: {} })).toEqual({
      versions: [],
      commits: [],
      head: undefined,
      origin: 'the unknown event'
    })
    expect(candidatesFromEvent({ eventName: 'pull_request', sha: '', ref: '', payload: {} })).toMatchObject({ versions: [], commits: [] })
  })
})

describe('candidatesFromInput', () => {
  it('matches the given values as versions and commits, with the head still from the event', () => {
    expect(candidatesFromInput(['pr/7', 'abc'], pullRequest)).toEqual({
      versions: ['pr/7', 'abc'],
      commits: ['pr/7', 'abc'],
      head: PR_HEAD,
      origin: 'the source-version input'
    })
  })
})

describe('matchesCandidates', () => {
  const candidates = candidatesFromEvent(pullRequest)
  const batch = (sourceVersion?: string, resolvedSourceVersion?: string): BuildBatch => ({ sourceVersion, resolvedSourceVersion })

  it.each([
    [batch('pr/42'), true],
    [batch('pr/420'), false],
    [batch('pr/4'), false],
    [batch('PR/42'), false],
    [batch(' pr/42'), false],
    [batch('refs/heads/feature/matrix', PR_HEAD), true],
    [batch('main', `${PR_HEAD}0`), false],
    [batch(PR_HEAD), false],
    [batch(undefined, undefined), false]
  ])('matches %j: %s, exactly', (candidate, expected) => {
    expect(matchesCandidates(candidate, candidates)).toBe(expected)
  })

  it('matches a push by commit, full ref or branch, never a longer branch name', () => {
    const pushCandidates = candidatesFromEvent(push)
    expect(matchesCandidates(batch('main'), pushCandidates)).toBe(true)
    expect(matchesCandidates(batch('refs/heads/main'), pushCandidates)).toBe(true)
    expect(matchesCandidates(batch('other', PUSH_SHA), pushCandidates)).toBe(true)
    expect(matchesCandidates(batch('main-2'), pushCandidates)).toBe(false)
    expect(matchesCandidates(batch('refs/heads/main2'), pushCandidates)).toBe(false)
  })
})

describe('keptBySupersededOnly', () => {
  it('keeps the batch of the current head, by resolved commit or by source version', () => {
    expect(keptBySupersededOnly({ sourceVersion: 'pr/42', resolvedSourceVersion: PR_HEAD }, PR_HEAD)).toBe('current-head')
    expect(keptBySupersededOnly({ sourceVersion: PR_HEAD }, PR_HEAD)).toBe('current-head')
  })

  it('keeps a batch whose commit is not known yet', () => {
    expect(keptBySupersededOnly({ sourceVersion: 'pr/42' }, PR_HEAD)).toBe('unknown-commit')
  })

  it('lets a batch of an older commit be stopped', () => {
    expect(keptBySupersededOnly({ sourceVersion: 'pr/42', resolvedSourceVersion: 'e'.repeat(40) }, PR_HEAD)).toBeUndefined()
  })
})
