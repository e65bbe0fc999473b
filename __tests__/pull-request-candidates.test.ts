import { describe, expect, it } from '@jest/globals'
import { candidatesFromEvent } from '../src/subject/event-subjects.js'
import { addPullRequestHistory, type PullRequestApi } from '../src/subject/pull-request-candidates.js'
import type { RunEvent } from '../src/subject/source-candidates.js'

const HEAD = 'a'.repeat(40)
const FIRST = 'b'.repeat(40)
const base: RunEvent = {
  eventName: 'pull_request_target',
  sha: 'c'.repeat(40),
  ref: 'refs/heads/main',
  repository: 'example/app',
  serverUrl: 'https://github.com',
  payload: { action: 'closed', number: 42, pull_request: { number: 42, head: { sha: HEAD } } }
}
const own = candidatesFromEvent(base, { supersededOnly: false })
const comment = candidatesFromEvent(
  { ...base, eventName: 'issue_comment', payload: { action: 'created', issue: { number: 42, pull_request: {} } } },
  { supersededOnly: false }
)

/** An API whose calls are recorded; each answers as given. */
function api(answers: Partial<PullRequestApi>): PullRequestApi & { asked: string[] } {
  const asked: string[] = []
  return {
    asked,
    listCommits: (number) => (asked.push(`commits ${number}`), answers.listCommits?.(number) ?? Promise.reject(new Error('not expected'))),
    read: (number) => (asked.push(`read ${number}`), answers.read?.(number) ?? Promise.reject(new Error('not expected')))
  }
}

describe('addPullRequestHistory', () => {
  it("adds the pull request's commits and says how they were listed", async () => {
    const calls = api({ listCommits: async () => ({ commits: [FIRST, HEAD], calls: 1 }) })
    const result = await addPullRequestHistory(own, 'example/app', calls)
    expect(calls.asked).toEqual(['commits 42'])
    expect(result.pullRequestCommits).toEqual({ state: 'listed', pullRequest: 42, count: 2, calls: 1 })
    expect(result.pullRequestHead).toBeUndefined()
    expect(result.candidates.list.slice(own.list.length).map(({ value, origin }) => [value, origin])).toEqual([
      [FIRST, 'pull-request-commits'],
      [HEAD, 'pull-request-commits']
    ])
  })

  it('reads the head of a pull request that the event names only by number, at the same time as its commits', async () => {
    let listing = false
    const calls = api({
      read: async () => {
        // Still waiting for its answer, the commits are asked for already.
        await new Promise((resolve) => setImmediate(resolve))
        expect(listing).toBe(true)
        return { details: { head: HEAD, headRef: 'feature/x', headRepository: 'example/app' }, calls: 1 }
      },
      listCommits: async () => {
        listing = true
        return { commits: [FIRST, HEAD], calls: 1 }
      }
    })
    const result = await addPullRequestHistory(comment, 'example/app', calls)
    expect(calls.asked.sort()).toEqual(['commits 42', 'read 42'])
    expect(result.pullRequestHead).toEqual({ state: 'listed', pullRequest: 42, head: HEAD, calls: 1 })
    expect(result.pullRequestCommits).toEqual({ state: 'listed', pullRequest: 42, count: 2, calls: 1 })
    expect(result.candidates.head).toBe(HEAD)
    expect(result.candidates.list.map(({ value, role }) => [value, role])).toEqual([
      ['pr/42', 'pull-request'],
      ['refs/pull/42/head', 'pull-request-ref'],
      ['refs/pull/42/merge', 'pull-request-ref'],
      [HEAD, 'head'],
      ['refs/heads/feature/x', 'head-branch'],
      ['feature/x', 'head-branch'],
      [FIRST, 'pull-request-commit'],
      [HEAD, 'pull-request-commit']
    ])
  })

  it("keeps the event's candidates and each reason when the lookups fail, whatever was thrown", async () => {
    const failed = await addPullRequestHistory(
      comment,
      'example/app',
      api({
        read: () => Promise.reject('socket hang up'),
        listCommits: async () => {
          throw Object.assign(new Error('access denied (HTTP 403): Resource not accessible by integration'), { calls: 1 })
        }
      })
    )
    expect(failed).toEqual({
      candidates: comment,
      pullRequestHead: { state: 'failed', pullRequest: 42, reason: 'socket hang up', calls: 0 },
      pullRequestCommits: { state: 'failed', pullRequest: 42, reason: 'access denied (HTTP 403): Resource not accessible by integration', calls: 1 }
    })
  })

  it('says the lookup was cancelled, not refused, when the step was cancelled', async () => {
    const cancelled = await addPullRequestHistory(
      own,
      'example/app',
      api({ listCommits: () => Promise.reject(Object.assign(new Error('the step was cancelled first'), { calls: 1, cancelled: true })) })
    )
    expect(cancelled).toEqual({ candidates: own, pullRequestCommits: { state: 'cancelled', pullRequest: 42, calls: 1 } })
  })

  it('asks nothing on an event that is not about a pull request', async () => {
    const push = candidatesFromEvent({ ...base, eventName: 'push', payload: {} }, { supersededOnly: false })
    const calls = api({})
    expect(await addPullRequestHistory(push, 'example/app', calls)).toEqual({ candidates: push })
    expect(calls.asked).toEqual([])
  })
})
