import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import {
  candidatesFromEvent,
  candidatesFromInput,
  pullRequestNumberOf,
  withPullRequestCommits,
  type Candidates,
  type RunEvent
} from '../src/subject/source-candidates.js'

const payload = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../__fixtures__/events/${name}.json`, import.meta.url), 'utf8'))

const PR_HEAD = '4f9a0c2b7d1e8f3a6b5c4d3e2f1a0b9c8d7e6f5a'
const PR_BEFORE = '9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d'
const MERGE_SHA = 'cccccccccccccccccccccccccccccccccccccccc'
const PUSH_SHA = '2222222222222222222222222222222222222222'
const PUSH_BEFORE = '1111111111111111111111111111111111111111'
const NOT_SUPERSEDED = { supersededOnly: false }
const SUPERSEDED = { supersededOnly: true }

const event = (eventName: string, file: string, sha: string, ref: string): RunEvent => ({
  eventName,
  sha,
  ref,
  repository: 'example/app',
  payload: payload(file)
})
const pullRequest = event('pull_request', 'pull_request_synchronize', MERGE_SHA, 'refs/pull/42/merge')
const push = event('push', 'push', PUSH_SHA, 'refs/heads/main')

/** [value, role, kind] of each candidate, for short assertions. */
const summary = (candidates: Candidates) => candidates.list.map(({ value, role, kind, origin }) => [value, role, kind, origin])

describe('candidatesFromEvent', () => {
  it('takes pr/<number>, the head commit and, on synchronize, the previous head of a pull request; never the merge commit', () => {
    const candidates = candidatesFromEvent(pullRequest, NOT_SUPERSEDED)

    expect(summary(candidates)).toEqual([
      ['pr/42', 'pull-request', 'version', 'event'],
      [PR_HEAD, 'head', 'commit', 'event'],
      [PR_BEFORE, 'before', 'commit', 'event']
    ])
    expect(candidates.head).toBe(PR_HEAD)
    expect(candidates.eventName).toBe('pull_request')
  })

  it('takes no previous head on another pull request action, such as closed (pull_request_target)', () => {
    const closed = event('pull_request_target', 'pull_request_target_closed', 'd'.repeat(40), 'refs/heads/main')
    expect(summary(candidatesFromEvent(closed, NOT_SUPERSEDED))).toEqual([
      ['pr/42', 'pull-request', 'version', 'event'],
      [PR_HEAD, 'head', 'commit', 'event']
    ])
  })

  it('takes the commit, the full ref and the branch name of a push, and its before only with superseded-only', () => {
    expect(summary(candidatesFromEvent(push, NOT_SUPERSEDED))).toEqual([
      [PUSH_SHA, 'head', 'commit', 'event'],
      ['refs/heads/main', 'ref', 'version', 'event'],
      ['main', 'ref-name', 'version', 'event']
    ])
    expect(summary(candidatesFromEvent(push, SUPERSEDED))).toEqual([
      [PUSH_SHA, 'head', 'commit', 'event'],
      ['refs/heads/main', 'ref', 'version', 'event'],
      ['main', 'ref-name', 'version', 'event'],
      [PUSH_BEFORE, 'before', 'commit', 'event']
    ])
  })

  it('takes no before from a push that created its branch (all zeros)', () => {
    const created = { ...push, payload: { ...push.payload, before: '0'.repeat(40), created: true } }
    expect(candidatesFromEvent(created, SUPERSEDED).list.map(({ role }) => role)).toEqual(['head', 'ref', 'ref-name'])
  })

  it('takes the tag name of a tag push', () => {
    expect(candidatesFromEvent({ ...push, ref: 'refs/tags/v1.2.0' }, NOT_SUPERSEDED).list.map(({ value }) => value)).toEqual([
      PUSH_SHA,
      'refs/tags/v1.2.0',
      'v1.2.0'
    ])
  })

  it("takes the merge group's head commit and ref", () => {
    const group = payload('merge_group').merge_group as { head_sha: string; head_ref: string }
    const candidates = candidatesFromEvent(event('merge_group', 'merge_group', group.head_sha, group.head_ref), NOT_SUPERSEDED)
    expect(summary(candidates)).toEqual([
      [group.head_sha, 'head', 'commit', 'event'],
      [group.head_ref, 'ref', 'version', 'event']
    ])
    expect(candidates.head).toBe(group.head_sha)
  })

  it('takes the commit and ref of any other event', () => {
    const dispatch = event('workflow_dispatch', 'workflow_dispatch', PUSH_SHA, 'refs/heads/release')
    expect(summary(candidatesFromEvent(dispatch, SUPERSEDED))).toEqual([
      [PUSH_SHA, 'head', 'commit', 'event'],
      ['refs/heads/release', 'ref', 'version', 'event']
    ])
  })

  it('finds nothing in an event without commit, ref or pull request', () => {
    expect(candidatesFromEvent({ eventName: '', sha: '', ref: '', repository: '', payload: {} }, NOT_SUPERSEDED)).toEqual({
      list: [],
      head: undefined,
      eventName: ''
    })
    expect(candidatesFromEvent({ ...pullRequest, payload: {} }, NOT_SUPERSEDED).list).toEqual([])
  })
})

describe('candidatesFromInput', () => {
  it('compares the given values as commits (both fields), with the head still from the event', () => {
    const candidates = candidatesFromInput(['pr/7', 'abc', 'abc'], pullRequest, NOT_SUPERSEDED)
    expect(summary(candidates)).toEqual([
      ['pr/7', 'input', 'commit', 'input'],
      ['abc', 'input', 'commit', 'input']
    ])
    expect(candidates.head).toBe(PR_HEAD)
  })
})

describe('pullRequestNumberOf', () => {
  it('names the pull request of pull_request and pull_request_target events only', () => {
    expect(pullRequestNumberOf(pullRequest)).toBe(42)
    expect(pullRequestNumberOf({ ...pullRequest, eventName: 'pull_request_target' })).toBe(42)
    expect(pullRequestNumberOf({ ...pullRequest, eventName: 'pull_request_review' })).toBeUndefined()
    expect(pullRequestNumberOf(push)).toBeUndefined()
    expect(pullRequestNumberOf({ ...pullRequest, payload: { number: 7 } })).toBe(7)
    expect(pullRequestNumberOf({ ...pullRequest, payload: { pull_request: { number: '42' } } })).toBeUndefined()
  })
})

describe('withPullRequestCommits', () => {
  it('adds the commits after the event candidates, each with its place, oldest first', () => {
    const commits = ['a'.repeat(40), PR_BEFORE, PR_HEAD]
    const candidates = withPullRequestCommits(candidatesFromEvent(pullRequest, NOT_SUPERSEDED), [...commits, PR_HEAD, ''])

    expect(candidates.list.slice(0, 3).map(({ origin }) => origin)).toEqual(['event', 'event', 'event'])
    expect(candidates.list.slice(3)).toEqual(
      commits.map((value, n) => ({
        value,
        kind: 'commit',
        origin: 'pull-request-commits',
        role: 'pull-request-commit',
        position: { index: n + 1, count: 3 }
      }))
    )
    expect(candidates.head).toBe(PR_HEAD)
  })
})
