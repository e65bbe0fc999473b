// The guard's ownership rule, case by case: which in-progress batches count as started by
// this job, and why the others are kept.
import { describe, expect, it } from '@jest/globals'
import type { BuildBatch, EnvironmentVariable } from '@aws-sdk/client-codebuild'
import { CLOCK_SKEW_MS, decideOwnership, runIdentityOf, type OwnershipCode, type RunIdentity } from '../src/subject/job-ownership.js'
import { candidatesOfRun } from '../src/subject/source-candidates.js'

const GUARD_STARTED = Date.parse('2024-05-01T12:00:00Z')
const SHA = 'a'.repeat(40)
const HEAD = 'b'.repeat(40)

const PUSH: RunIdentity = { eventName: 'push', runId: '9001', runAttempt: '2', job: 'build', sha: SHA, ref: 'refs/heads/main', branch: 'main' }
const PULL_REQUEST: RunIdentity = {
  eventName: 'pull_request',
  runId: '9001',
  runAttempt: '1',
  job: 'build',
  sha: 'c'.repeat(40),
  ref: 'refs/pull/42/merge',
  branch: 'feature/x',
  pullRequest: { number: 42, head: HEAD }
}

const plain = (name: string, value: string): EnvironmentVariable => ({ name, value, type: 'PLAINTEXT' })

/** A batch started 10 s after the guard by a role, built for another commit, with no variable. */
function batch(extra: Partial<BuildBatch> = {}): BuildBatch {
  return {
    id: 'app:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
    startTime: new Date(GUARD_STARTED + 10_000),
    initiator: 'ci-role/session',
    sourceVersion: 'refs/heads/other',
    resolvedSourceVersion: 'f'.repeat(40),
    environment: { type: 'LINUX_CONTAINER', image: 'x', computeType: 'BUILD_GENERAL1_SMALL', environmentVariables: [] },
    ...extra
  }
}

const withVariables = (...variables: EnvironmentVariable[]): Partial<BuildBatch> => ({
  environment: { type: 'LINUX_CONTAINER', image: 'x', computeType: 'BUILD_GENERAL1_SMALL', environmentVariables: variables }
})

type Case = readonly [description: string, identity: RunIdentity, batch: Partial<BuildBatch>, owned: boolean, code: OwnershipCode, reason: string]

const CASES: readonly Case[] = [
  // The run's id decides, whatever the batch was built for.
  ['carries this run id', PUSH, withVariables(plain('GITHUB_RUN_ID', '9001')), true, 'this-run', "carries this run's GITHUB_RUN_ID 9001"],
  ['carries this run id and attempt', PUSH, withVariables(plain('GITHUB_RUN_ID', '9001'), plain('GITHUB_RUN_ATTEMPT', '2')), true, 'this-run', 'GITHUB_RUN_ID 9001 and GITHUB_RUN_ATTEMPT 2'],
  ['carries this run id and job', PUSH, withVariables(plain('GITHUB_RUN_ID', '9001'), plain('GITHUB_JOB', 'build')), true, 'this-run', 'GITHUB_RUN_ID 9001'],
  ['carries this run id with no type given', PUSH, withVariables({ name: 'GITHUB_RUN_ID', value: '9001' }), true, 'this-run', 'GITHUB_RUN_ID 9001'],
  ['carries another run id on this very commit', PUSH, { ...withVariables(plain('GITHUB_RUN_ID', '9002')), sourceVersion: SHA, resolvedSourceVersion: SHA }, false, 'other-run', 'GITHUB_RUN_ID 9002, another run'],
  ['carries this run id twice and another once', PUSH, withVariables(plain('GITHUB_RUN_ID', '9001'), plain('GITHUB_RUN_ID', '77')), false, 'other-run', 'GITHUB_RUN_ID 77'],
  ['carries an earlier attempt of this run', PUSH, withVariables(plain('GITHUB_RUN_ID', '9001'), plain('GITHUB_RUN_ATTEMPT', '1')), false, 'other-attempt', 'GITHUB_RUN_ATTEMPT 1, and this job runs attempt 2'],
  ['carries another job of this run', PUSH, withVariables(plain('GITHUB_RUN_ID', '9001'), plain('GITHUB_JOB', 'deploy')), false, 'other-job', 'GITHUB_JOB deploy, and this job is build'],
  ['hides its run id in Parameter Store', PUSH, withVariables({ name: 'GITHUB_RUN_ID', value: '/ci/run-id', type: 'PARAMETER_STORE' }), false, 'hidden-variable', 'GITHUB_RUN_ID is a PARAMETER_STORE variable'],
  ['hides its attempt in Secrets Manager', PUSH, withVariables(plain('GITHUB_RUN_ID', '9001'), { name: 'GITHUB_RUN_ATTEMPT', value: 'arn:secret', type: 'SECRETS_MANAGER' }), false, 'hidden-variable', 'GITHUB_RUN_ATTEMPT is a SECRETS_MANAGER variable'],
  ['carries an empty run id and another commit', PUSH, withVariables(plain('GITHUB_RUN_ID', '')), false, 'other-source', 'carries no GITHUB_RUN_ID'],
  ['carries other variables only, built for this commit', PUSH, { ...withVariables(plain('STAGE', 'test')), sourceVersion: SHA }, true, 'this-source', 'its source version'],

  // Without a run id, the source version or the commit decides.
  ['is built for the commit', PUSH, { sourceVersion: SHA }, true, 'this-source', `its source version ${SHA} is the head commit, from the push event`],
  ['resolved to the commit from a branch', PUSH, { sourceVersion: 'release', resolvedSourceVersion: SHA }, true, 'this-source', `its resolved commit ${SHA} is the head commit`],
  ['is built for the ref', PUSH, { sourceVersion: 'refs/heads/main' }, true, 'this-source', 'its source version refs/heads/main is the ref'],
  ['is built for the branch name', PUSH, { sourceVersion: 'main' }, true, 'this-source', 'its source version main is the branch or tag name'],
  ['is built for another branch', PUSH, { sourceVersion: 'main-2' }, false, 'other-source', 'neither its source version main-2 nor its commit'],
  ['has no source version and no commit yet', PUSH, { sourceVersion: undefined, resolvedSourceVersion: undefined }, false, 'other-source', 'source version (none) nor its commit (not known yet)'],
  ['is built for the pull request', PULL_REQUEST, { sourceVersion: 'pr/42' }, true, 'this-source', 'its source version pr/42 is the pull request, from the pull_request event'],
  ['is built for another pull request with a longer number', PULL_REQUEST, { sourceVersion: 'pr/420' }, false, 'other-source', 'pr/420'],
  ['is built for a shorter pull request number', PULL_REQUEST, { sourceVersion: 'pr/4' }, false, 'other-source', 'pr/4'],
  ["is built for the pull request's head commit", PULL_REQUEST, { sourceVersion: HEAD }, true, 'this-source', `its source version ${HEAD} is the head commit`],
  ["resolved to the pull request's head commit from its branch", PULL_REQUEST, { sourceVersion: 'feature/x', resolvedSourceVersion: HEAD }, true, 'this-source', 'its source version feature/x is the branch or tag name'],
  ['resolved to a ref, which is no commit', PULL_REQUEST, { sourceVersion: 'other', resolvedSourceVersion: 'refs/pull/42/merge' }, false, 'other-source', 'neither its source version other'],
  ["is built for the pull request's merge commit", PULL_REQUEST, { sourceVersion: 'c'.repeat(40) }, true, 'this-source', "is the run's commit, GITHUB_SHA"],
  ['is built for the head branch of the pull request', PULL_REQUEST, { sourceVersion: 'feature/x' }, true, 'this-source', 'the branch or tag name'],

  // Time and origin come first.
  ['started a minute before the guard, with this run id', PUSH, { ...withVariables(plain('GITHUB_RUN_ID', '9001')), startTime: new Date(GUARD_STARTED - 60_000) }, false, 'started-before', "it started 2024-05-01 11:59:00Z, before this job's guard (2024-05-01 12:00:00Z)"],
  ['started within the clock skew before the guard', PUSH, { sourceVersion: SHA, startTime: new Date(GUARD_STARTED - CLOCK_SKEW_MS) }, true, 'this-source', 'started 2024-05-01 11:59:55Z by ci-role/session'],
  ['started just beyond the clock skew', PUSH, { sourceVersion: SHA, startTime: new Date(GUARD_STARTED - CLOCK_SKEW_MS - 1) }, false, 'started-before', 'before this job'],
  ['has no start time', PUSH, { sourceVersion: SHA, startTime: undefined }, false, 'no-start-time', 'CodeBuild reports no start time for it'],
  ['has an invalid start time', PUSH, { sourceVersion: SHA, startTime: new Date(Number.NaN) }, false, 'no-start-time', 'no start time'],
  ['was started by a webhook for this commit', PUSH, { sourceVersion: SHA, initiator: 'GitHub-Hookshot/a1b2c3' }, false, 'webhook', 'a webhook started it (GitHub-Hookshot/a1b2c3)'],
  ['was started by a webhook with this run id', PUSH, { ...withVariables(plain('GITHUB_RUN_ID', '9001')), initiator: 'GitHub-Hookshot/a1b2c3' }, false, 'webhook', 'webhook'],
  ['has no initiator, built for this commit', PUSH, { sourceVersion: SHA, initiator: undefined }, true, 'this-source', 'started 2024-05-01 12:00:10Z, carries no GITHUB_RUN_ID']
]

describe('decideOwnership', () => {
  it.each(CASES)('a batch that %s', (_description, identity, extra, owned, code, reason) => {
    const decision = decideOwnership(identity, GUARD_STARTED, batch(extra))
    expect({ owned: decision.owned, code: decision.code }).toEqual({ owned, code })
    expect(decision.reason).toContain(reason)
  })

  it('never stops a batch that carries another run id, whatever else matches', () => {
    for (const sourceVersion of candidatesOfRun(PULL_REQUEST).list.map(({ value }) => value)) {
      const decision = decideOwnership(PULL_REQUEST, GUARD_STARTED, batch({ ...withVariables(plain('GITHUB_RUN_ID', '1')), sourceVersion, resolvedSourceVersion: HEAD }))
      expect(decision.owned).toBe(false)
    }
  })
})

describe('candidatesOfRun', () => {
  it('lists the commit, the pull request head, pr/<number>, the ref and the branch, skipping what the run lacks', () => {
    expect(candidatesOfRun(PULL_REQUEST).list.map(({ value, role }) => [value, role])).toEqual([
      ['c'.repeat(40), 'run-commit'],
      [HEAD, 'head'],
      ['pr/42', 'pull-request'],
      ['refs/pull/42/merge', 'ref'],
      ['feature/x', 'ref-name']
    ])
    expect(candidatesOfRun(PULL_REQUEST).head).toBe(HEAD)
    expect(candidatesOfRun(PUSH)).toMatchObject({ head: SHA, eventName: 'push' })
    expect(candidatesOfRun(PUSH).list.map(({ role }) => role)).toEqual(['head', 'ref', 'ref-name'])
    expect(candidatesOfRun({ ...PUSH, sha: '', branch: '' }).list.map(({ value }) => value)).toEqual(['refs/heads/main'])
  })
})

describe('runIdentityOf', () => {
  const env = { GITHUB_RUN_ID: '9001', GITHUB_RUN_ATTEMPT: '3', GITHUB_JOB: 'build', GITHUB_HEAD_REF: 'feature/x' }

  it('takes the pull request number and head from the payload, and the head branch', () => {
    const identity = runIdentityOf(
      { eventName: 'pull_request', sha: 'c'.repeat(40), ref: 'refs/pull/42/merge', repository: 'o/r', serverUrl: 'https://github.com', payload: { pull_request: { number: 42, head: { sha: HEAD } } } },
      env
    )
    expect(identity).toEqual({ ...PULL_REQUEST, runAttempt: '3' })
  })

  it('takes the branch or tag name from the ref for other events', () => {
    const push = runIdentityOf({ eventName: 'push', sha: SHA, ref: 'refs/heads/release/2.0', repository: 'o/r', serverUrl: 'https://github.com', payload: {} }, env)
    expect(push).toEqual({ eventName: 'push', runId: '9001', runAttempt: '3', job: 'build', sha: SHA, ref: 'refs/heads/release/2.0', branch: 'release/2.0' })
    expect(runIdentityOf({ eventName: 'push', sha: SHA, ref: 'refs/tags/v1.2.0', repository: 'o/r', serverUrl: 'https://github.com', payload: {} }, env).branch).toBe('v1.2.0')
    expect(runIdentityOf({ eventName: 'schedule', sha: '', ref: '', repository: '', serverUrl: 'https://github.com', payload: {} }, {})).toEqual({
      eventName: 'schedule',
      runId: '',
      runAttempt: '',
      job: '',
      sha: '',
      ref: '',
      branch: ''
    })
  })

  it('leaves the head empty when the payload names none', () => {
    const identity = runIdentityOf({ eventName: 'pull_request', sha: SHA, ref: 'refs/pull/7/merge', repository: 'o/r', serverUrl: 'https://github.com', payload: { number: 7, pull_request: {} } }, {})
    expect(identity.pullRequest).toEqual({ number: 7, head: '' })
    expect(identity.branch).toBe('')
  })
})
