import { describe, expect, it } from '@jest/globals'
import { parseGuardState, serializeGuardState, type GuardState } from '../src/guard/guard-state.js'

const STATE: GuardState = {
  startedAt: 1_714_564_800_000,
  projects: ['app', 'web'],
  region: 'eu-west-1',
  batchFile: '/home/runner/work/_temp/stop-codebuild-batch-x.txt',
  identity: { eventName: 'pull_request', runId: '9001', runAttempt: '1', job: 'build', sha: 'a'.repeat(40), ref: 'refs/pull/42/merge', branch: 'feature/x', pullRequest: { number: 42, head: 'b'.repeat(40) } }
}

describe('guard state', () => {
  it('comes back as it was saved', () => {
    expect(parseGuardState(serializeGuardState(STATE))).toEqual(STATE)
    const push = { ...STATE.identity, pullRequest: undefined }
    const saved = serializeGuardState({ ...STATE, identity: push })
    expect(saved).not.toContain('pullRequest')
    expect(parseGuardState(saved)?.identity.pullRequest).toBeUndefined()
  })

  it('is absent when the main step saved none', () => {
    expect(parseGuardState('')).toBeUndefined()
  })

  it.each([
    ['not JSON', '{'],
    ['no projects', serializeGuardState({ ...STATE, projects: [] })],
    ['a bad region', serializeGuardState({ ...STATE, region: 'nowhere' })],
    ['a start that is not a time', JSON.stringify({ ...STATE, startedAt: 'soon' })],
    ['an identity without a run id', JSON.stringify({ ...STATE, identity: { ...STATE.identity, runId: 9001 } })],
    ['an identity without an event name, as an earlier version saved it', JSON.stringify({ ...STATE, identity: { ...STATE.identity, eventName: undefined } })],
    ['a pull request without a number', JSON.stringify({ ...STATE, identity: { ...STATE.identity, pullRequest: { head: 'b' } } })]
  ])('is refused when it has %s', (_what, saved) => {
    expect(() => parseGuardState(saved)).toThrow("the state saved by the guard's main step is not what this version of the guard saves")
  })
})
