import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { candidatesFromEvent, candidatesFromInput } from '../src/subject/event-subjects.js'
import type { Candidates, RunEvent } from '../src/subject/source-candidates.js'

type Payload = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any -- event payloads, read as GitHub sends them
const payload = (name: string): Payload => JSON.parse(readFileSync(new URL(`../__fixtures__/events/${name}.json`, import.meta.url), 'utf8'))

const PR_HEAD = '4f9a0c2b7d1e8f3a6b5c4d3e2f1a0b9c8d7e6f5a'
const PR_BEFORE = '9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d'
const TEST_MERGE = 'cccccccccccccccccccccccccccccccccccccccc'
const MAIN_HEAD = 'dddddddddddddddddddddddddddddddddddddddd'
const PUSH_SHA = '2222222222222222222222222222222222222222'
const PUSH_BEFORE = '1111111111111111111111111111111111111111'
const NOT_SUPERSEDED = { supersededOnly: false }
const SUPERSEDED = { supersededOnly: true }

/** The event as the runner sets GITHUB_EVENT_NAME, GITHUB_SHA and GITHUB_REF for it. */
const event = (eventName: string, file: string | Payload, sha: string, ref: string): RunEvent => ({
  eventName,
  sha,
  ref,
  repository: 'example/app',
  serverUrl: 'https://github.com',
  payload: typeof file === 'string' ? payload(file) : file
})

/** [value, role, kind] of each candidate, for short assertions. */
const rows = (candidates: Candidates) => candidates.list.map(({ value, role, kind }) => [value, role, kind])

const PR_REFS = [
  ['pr/42', 'pull-request', 'version'],
  ['refs/pull/42/head', 'pull-request-ref', 'version'],
  ['refs/pull/42/merge', 'pull-request-ref', 'version']
]
const HEAD_BRANCH = [
  ['refs/heads/feature/matrix', 'head-branch', 'version'],
  ['feature/matrix', 'head-branch', 'version']
]

describe('the subject of each event', () => {
  describe('an event whose payload has pull_request', () => {
    it.each([
      ['pull_request', 'pull_request_synchronize'],
      ['pull_request_review', 'pull_request_review_submitted'],
      ['pull_request_review_comment', 'pull_request_review_submitted']
    ])('%s: the refs of the pull request, its head, the test merge commit and its head branch', (name, file) => {
      const candidates = candidatesFromEvent(event(name, file, TEST_MERGE, 'refs/pull/42/merge'), NOT_SUPERSEDED)
      const before = name === 'pull_request' ? [[PR_BEFORE, 'before', 'commit']] : []
      expect(rows(candidates)).toEqual([...PR_REFS, [PR_HEAD, 'head', 'commit'], ...before, [TEST_MERGE, 'test-merge-commit', 'commit'], ...HEAD_BRANCH])
      expect(candidates).toMatchObject({ head: PR_HEAD, subject: { kind: 'pull-request', number: 42 }, pullRequest: { number: 42, readHead: false } })
    })

    it('leaves GITHUB_SHA out once the pull request is merged: it is the merge commit on the base branch', () => {
      const merged = payload('pull_request_closed_merged')
      const candidates = candidatesFromEvent(event('pull_request', merged, merged.pull_request.merge_commit_sha, 'refs/pull/42/merge'), NOT_SUPERSEDED)
      expect(rows(candidates)).toEqual([...PR_REFS, [PR_HEAD, 'head', 'commit'], ...HEAD_BRANCH])
    })

    it('leaves GITHUB_SHA out on pull_request_target, where it is the base branch\'s commit', () => {
      const candidates = candidatesFromEvent(event('pull_request_target', 'pull_request_target_closed', MAIN_HEAD, 'refs/heads/main'), NOT_SUPERSEDED)
      expect(candidates.list.map(({ value }) => value)).not.toContain(MAIN_HEAD)
    })

    it("leaves the head branch out when it lives in a fork: a branch of that name here is this repository's", () => {
      const candidates = candidatesFromEvent(event('pull_request_target', 'pull_request_target_closed', MAIN_HEAD, 'refs/heads/main'), NOT_SUPERSEDED)
      expect(rows(candidates)).toEqual([...PR_REFS, [PR_HEAD, 'head', 'commit']])
    })

    it('takes the number from the event when the pull request has none, and nothing without either', () => {
      expect(candidatesFromEvent(event('pull_request', { number: 7, pull_request: { head: { sha: PR_HEAD } } }, '', ''), NOT_SUPERSEDED).subject).toEqual({ kind: 'pull-request', number: 7 })
      const nameless = candidatesFromEvent(event('pull_request', { pull_request: { head: { sha: PR_HEAD } } }, '', ''), NOT_SUPERSEDED)
      expect(nameless.subject).toEqual({ kind: 'none', why: 'the pull request has no number' })
      expect(nameless.pullRequest).toBeUndefined()
    })
  })

  describe('issue_comment and issues', () => {
    it.each(['issue_comment', 'issues'])('%s on a pull request: its refs now, its head from the GitHub API', (name) => {
      const candidates = candidatesFromEvent(event(name, 'issue_comment_on_pull_request', MAIN_HEAD, 'refs/heads/main'), NOT_SUPERSEDED)
      expect(rows(candidates)).toEqual(PR_REFS)
      expect(candidates).toMatchObject({ head: undefined, subject: { kind: 'pull-request', number: 42 }, pullRequest: { number: 42, readHead: true } })
    })

    it('an issue that is not a pull request: no subject, and GITHUB_SHA (the default branch) is never a candidate', () => {
      const candidates = candidatesFromEvent(event('issues', 'issues_opened', MAIN_HEAD, 'refs/heads/main'), NOT_SUPERSEDED)
      expect(candidates).toMatchObject({ list: [], head: undefined, subject: { kind: 'none', why: 'issue #7 is not a pull request' } })
      expect(candidatesFromEvent(event('issue_comment', {}, MAIN_HEAD, 'refs/heads/main'), NOT_SUPERSEDED).subject).toEqual({ kind: 'none', why: 'the event names no issue' })
    })
  })

  describe('workflow_run', () => {
    const run = payload('workflow_run_completed')

    it("the run that triggered it: its head commit, its branch, its pull requests and its id; never the default branch's GITHUB_SHA", () => {
      const candidates = candidatesFromEvent(event('workflow_run', run, MAIN_HEAD, 'refs/heads/main'), NOT_SUPERSEDED)
      expect(rows(candidates)).toEqual([
        [PR_HEAD, 'head', 'commit'],
        ['refs/heads/feature/matrix', 'ref', 'version'],
        ['feature/matrix', 'ref-name', 'version'],
        ...PR_REFS,
        ['9876543210', 'run-id', 'run-id']
      ])
      expect(candidates).toMatchObject({ head: PR_HEAD, subject: { kind: 'run', id: '9876543210' } })
      expect(candidates.pullRequest).toBeUndefined()
    })

    it("leaves out the branch of a run in a fork, whose pull requests GitHub does not list", () => {
      const fork = { ...run, workflow_run: { ...run.workflow_run, pull_requests: [], head_repository: { full_name: 'contributor/app' } } }
      expect(rows(candidatesFromEvent(event('workflow_run', fork, MAIN_HEAD, 'refs/heads/main'), NOT_SUPERSEDED))).toEqual([
        [PR_HEAD, 'head', 'commit'],
        ['9876543210', 'run-id', 'run-id']
      ])
    })

    it('names nothing without a run', () => {
      expect(candidatesFromEvent(event('workflow_run', {}, MAIN_HEAD, 'refs/heads/main'), NOT_SUPERSEDED).subject).toEqual({ kind: 'none', why: 'the event names no workflow run' })
    })
  })

  describe('delete', () => {
    it('the deleted branch by name and full ref, and no commit', () => {
      const candidates = candidatesFromEvent(event('delete', 'delete_branch', MAIN_HEAD, 'refs/heads/main'), SUPERSEDED)
      expect(rows(candidates)).toEqual([
        ['refs/heads/feature/old-search', 'ref', 'version'],
        ['feature/old-search', 'ref-name', 'version']
      ])
      expect(candidates).toMatchObject({ head: undefined, subject: { kind: 'deleted-ref', ref: 'feature/old-search' } })
    })

    it('a deleted tag as refs/tags/', () => {
      const tag = { ...payload('delete_branch'), ref: 'v1.0.0', ref_type: 'tag' }
      expect(rows(candidatesFromEvent(event('delete', tag, MAIN_HEAD, 'refs/heads/main'), NOT_SUPERSEDED))).toEqual([
        ['refs/tags/v1.0.0', 'ref', 'version'],
        ['v1.0.0', 'ref-name', 'version']
      ])
      expect(candidatesFromEvent(event('delete', { ref: 'x' }, '', ''), NOT_SUPERSEDED).subject.kind).toBe('none')
    })
  })

  describe("the run's commit and ref", () => {
    it.each([
      ['push', 'push', 'refs/heads/main', 'main'],
      ['workflow_dispatch', 'workflow_dispatch', 'refs/heads/release', 'release'],
      ['schedule', 'schedule', 'refs/heads/main', 'main'],
      ['repository_dispatch', 'repository_dispatch', 'refs/heads/main', 'main'],
      ['release', 'release_published', 'refs/tags/v2.1.0', 'v2.1.0']
    ])('%s: the commit, the full ref and the short name', (name, file, ref, short) => {
      const candidates = candidatesFromEvent(event(name, file, PUSH_SHA, ref), NOT_SUPERSEDED)
      expect(rows(candidates)).toEqual([
        [PUSH_SHA, 'head', 'commit'],
        [ref, 'ref', 'version'],
        [short, 'ref-name', 'version']
      ])
      expect(candidates).toMatchObject({ head: PUSH_SHA, subject: { kind: 'commit' } })
    })

    it("takes a push's before only with superseded-only, and never on another event", () => {
      expect(rows(candidatesFromEvent(event('push', 'push', PUSH_SHA, 'refs/heads/main'), SUPERSEDED)).at(-1)).toEqual([PUSH_BEFORE, 'before', 'commit'])
      expect(candidatesFromEvent(event('push', 'push', PUSH_SHA, 'refs/heads/main'), NOT_SUPERSEDED).list).toHaveLength(3)
      expect(candidatesFromEvent(event('workflow_dispatch', { before: PUSH_BEFORE }, PUSH_SHA, 'refs/heads/main'), SUPERSEDED).list).toHaveLength(3)
    })

    it('takes no before from a push that created its branch (all zeros), and no short name of another kind of ref', () => {
      const created = { ...payload('push'), before: '0'.repeat(40), created: true }
      expect(candidatesFromEvent(event('push', created, PUSH_SHA, 'refs/heads/main'), SUPERSEDED).list.map(({ role }) => role)).toEqual(['head', 'ref', 'ref-name'])
      expect(rows(candidatesFromEvent(event('push', {}, PUSH_SHA, 'refs/notes/x'), NOT_SUPERSEDED))).toEqual([
        [PUSH_SHA, 'head', 'commit'],
        ['refs/notes/x', 'ref', 'version']
      ])
    })

    it('names nothing when the run has no commit and no ref', () => {
      expect(candidatesFromEvent(event('workflow_dispatch', {}, '', ''), NOT_SUPERSEDED).subject).toEqual({
        kind: 'none',
        why: 'the run has no commit or ref (GITHUB_SHA and GITHUB_REF are empty)'
      })
    })
  })

  it("merge_group: the merge group's head commit, its ref and branch name", () => {
    const group = payload('merge_group').merge_group
    const candidates = candidatesFromEvent(event('merge_group', 'merge_group', group.head_sha, group.head_ref), NOT_SUPERSEDED)
    expect(rows(candidates)).toEqual([
      [group.head_sha, 'head', 'commit'],
      [group.head_ref, 'ref', 'version'],
      [group.head_ref.replace('refs/heads/', ''), 'ref-name', 'version']
    ])
    expect(candidates).toMatchObject({ head: group.head_sha, subject: { kind: 'merge-group' } })
    expect(candidatesFromEvent(event('merge_group', {}, '', ''), NOT_SUPERSEDED).subject.kind).toBe('none')
  })

  it.each([
    ['check_run', 'check_run_rerequested', 'the event names no pull request, branch, tag or commit'],
    ['status', {}, 'the event names no pull request, branch, tag or commit'],
    ['', {}, 'the event is not known (GITHUB_EVENT_NAME is not set)']
  ])('any other event (%p): no subject, whatever GITHUB_SHA and GITHUB_REF say', (name, file, why) => {
    expect(candidatesFromEvent(event(name, file, MAIN_HEAD, 'refs/heads/main'), NOT_SUPERSEDED)).toEqual({
      list: [],
      head: undefined,
      eventName: name,
      subject: { kind: 'none', why }
    })
  })
})

describe('candidatesFromInput', () => {
  it('compares the given values as commits (both fields), with the head still from the event', () => {
    const candidates = candidatesFromInput(['pr/7', 'abc', 'abc'], event('pull_request', 'pull_request_synchronize', TEST_MERGE, 'refs/pull/42/merge'), NOT_SUPERSEDED)
    expect(rows(candidates)).toEqual([
      ['pr/7', 'input', 'commit'],
      ['abc', 'input', 'commit']
    ])
    expect(candidates).toMatchObject({ head: PR_HEAD, subject: { kind: 'input' } })
    expect(candidates.pullRequest).toBeUndefined()
  })
})
