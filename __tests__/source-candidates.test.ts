import { describe, expect, it } from '@jest/globals'
import { candidatesFromEvent } from '../src/subject/event-subjects.js'
import {
  headBranchCandidates,
  sameRepository,
  withPullRequestCommits,
  withPullRequestDetails,
  type RunEvent
} from '../src/subject/source-candidates.js'

const PR_HEAD = '4f9a0c2b7d1e8f3a6b5c4d3e2f1a0b9c8d7e6f5a'
const PR_BEFORE = '9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d'
const comment: RunEvent = {
  eventName: 'issue_comment',
  sha: 'd'.repeat(40),
  ref: 'refs/heads/main',
  repository: 'example/app',
  serverUrl: 'https://github.com',
  payload: { action: 'created', issue: { number: 42, pull_request: { url: 'https://api.github.com/repos/example/app/pulls/42' } } }
}
const synchronize: RunEvent = {
  ...comment,
  eventName: 'pull_request',
  payload: { action: 'synchronize', number: 42, before: PR_BEFORE, pull_request: { number: 42, head: { sha: PR_HEAD } } }
}

describe('withPullRequestCommits', () => {
  it('adds the commits after the event candidates, each with its place, oldest first', () => {
    const commits = ['a'.repeat(40), PR_BEFORE, PR_HEAD]
    const own = candidatesFromEvent(synchronize, { supersededOnly: false })
    const candidates = withPullRequestCommits(own, [...commits, PR_HEAD, ''])

    expect(candidates.list.slice(0, own.list.length)).toEqual(own.list)
    expect(candidates.list.slice(own.list.length)).toEqual(
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

describe('withPullRequestDetails', () => {
  const own = candidatesFromEvent(comment, { supersededOnly: false })

  it('adds the head commit, as the head, and the head branch of this repository', () => {
    const candidates = withPullRequestDetails(own, { head: PR_HEAD, headRef: 'feature/matrix', headRepository: 'Example/App' }, 'example/app')
    expect(candidates.list.slice(own.list.length).map(({ value, role, origin }) => [value, role, origin])).toEqual([
      [PR_HEAD, 'head', 'pull-request'],
      ['refs/heads/feature/matrix', 'head-branch', 'pull-request'],
      ['feature/matrix', 'head-branch', 'pull-request']
    ])
    expect(candidates.head).toBe(PR_HEAD)
  })

  it("leaves out a fork's head branch, and keeps no empty head", () => {
    const fork = withPullRequestDetails(own, { head: PR_HEAD, headRef: 'feature/matrix', headRepository: 'contributor/app' }, 'example/app')
    expect(fork.list.slice(own.list.length).map(({ role }) => role)).toEqual(['head'])
    expect(withPullRequestDetails(own, { head: '', headRef: '', headRepository: '' }, 'example/app')).toEqual(own)
  })
})

describe('headBranchCandidates and sameRepository', () => {
  it('compares owner/name case-insensitively, and never an unknown repository', () => {
    expect(sameRepository('Example/App', 'example/app')).toBe(true)
    expect(sameRepository('example/app', 'example/app-2')).toBe(false)
    expect(sameRepository(undefined, 'example/app')).toBe(false)
    expect(sameRepository('', '')).toBe(false)
    expect(headBranchCandidates('main', 'example/app', '', 'event')).toEqual([])
    expect(headBranchCandidates(undefined, 'example/app', 'example/app', 'event')).toEqual([])
  })
})
