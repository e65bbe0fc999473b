import { describe, expect, it } from '@jest/globals'
import { addPullRequestCommits } from '../src/subject/pull-request-candidates.js'
import { candidatesFromEvent, type RunEvent } from '../src/subject/source-candidates.js'

const HEAD = 'a'.repeat(40)
const FIRST = 'b'.repeat(40)
const pullRequest: RunEvent = {
  eventName: 'pull_request_target',
  sha: 'c'.repeat(40),
  ref: 'refs/heads/main',
  repository: 'example/app',
  payload: { action: 'closed', number: 42, pull_request: { number: 42, head: { sha: HEAD } } }
}
const own = candidatesFromEvent(pullRequest, { supersededOnly: false })

describe('addPullRequestCommits', () => {
  it("adds the pull request's commits and says how they were listed", async () => {
    const asked: number[] = []
    const result = await addPullRequestCommits(own, pullRequest, async (number) => {
      asked.push(number)
      return { commits: [FIRST, HEAD], calls: 1 }
    })
    expect(asked).toEqual([42])
    expect(result.pullRequestCommits).toEqual({ state: 'listed', pullRequest: 42, count: 2, calls: 1 })
    expect(result.candidates.list.map(({ value, origin }) => [value, origin])).toEqual([
      ['pr/42', 'event'],
      [HEAD, 'event'],
      [FIRST, 'pull-request-commits'],
      [HEAD, 'pull-request-commits']
    ])
  })

  it("keeps the event's candidates and the reason when the lookup fails, whatever was thrown", async () => {
    const failed = await addPullRequestCommits(own, pullRequest, async () => {
      throw Object.assign(new Error('access denied (HTTP 403): Resource not accessible by integration'), { calls: 1 })
    })
    expect(failed).toEqual({
      candidates: own,
      pullRequestCommits: { state: 'failed', pullRequest: 42, reason: 'access denied (HTTP 403): Resource not accessible by integration', calls: 1 }
    })
    const odd = await addPullRequestCommits(own, pullRequest, () => Promise.reject('socket hang up'))
    expect(odd.pullRequestCommits).toEqual({ state: 'failed', pullRequest: 42, reason: 'socket hang up', calls: 0 })
  })

  it('says the lookup was cancelled, not refused, when the step was cancelled', async () => {
    const cancelled = await addPullRequestCommits(own, pullRequest, async () => {
      throw Object.assign(new Error('the step was cancelled first'), { calls: 1, cancelled: true })
    })
    expect(cancelled).toEqual({ candidates: own, pullRequestCommits: { state: 'cancelled', pullRequest: 42, calls: 1 } })
  })

  it('asks nothing on an event that is not about a pull request', async () => {
    const push: RunEvent = { ...pullRequest, eventName: 'push', payload: {} }
    const candidates = candidatesFromEvent(push, { supersededOnly: false })
    const result = await addPullRequestCommits(candidates, push, () => {
      throw new Error('must not be called')
    })
    expect(result).toEqual({ candidates })
  })
})
