import { describe, expect, it } from '@jest/globals'
import type { BuildBatch } from '@aws-sdk/client-codebuild'
import { decideBatch, keptBySupersededOnly, type BatchDecision } from '../src/subject/match-batch.js'
import { candidatesFromEvent, candidatesFromInput } from '../src/subject/event-subjects.js'
import { withPullRequestCommits, withPullRequestDetails, type Candidates, type RunEvent } from '../src/subject/source-candidates.js'

const HEAD = '4f9a0c2b7d1e8f3a6b5c4d3e2f1a0b9c8d7e6f5a'
const BEFORE = '9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d'
const FIRST = '1'.repeat(40)
const NEWER = '3'.repeat(40)
const OTHER = 'e'.repeat(40)
const TEST_MERGE = 'c'.repeat(40)
const RUN_ID = '9876543210'
const REPOSITORY = { serverUrl: 'https://github.com', repository: 'example/app' }
const STOP = { supersededOnly: false, repository: REPOSITORY }
const SUPERSEDED = { supersededOnly: true, repository: REPOSITORY }

const pullRequestPayload = (action: string) => ({
  action,
  number: 42,
  before: BEFORE,
  pull_request: { number: 42, head: { sha: HEAD, ref: 'feature/matrix', repo: { full_name: 'example/app' } } }
})
const event = (eventName: string, payload: Record<string, unknown>, sha = TEST_MERGE, ref = 'refs/pull/42/merge'): RunEvent => ({
  eventName,
  sha,
  ref,
  repository: 'example/app',
  serverUrl: 'https://github.com',
  payload
})
/** pull request 42, synchronized from BEFORE to HEAD; its commits FIRST, BEFORE, HEAD. */
const pullRequest: Candidates = withPullRequestCommits(candidatesFromEvent(event('pull_request', pullRequestPayload('synchronize')), { supersededOnly: false }), [FIRST, BEFORE, HEAD])
const push: Candidates = candidatesFromEvent(event('push', { before: BEFORE }, HEAD, 'refs/heads/feature/matrix'), { supersededOnly: true })
const workflowRun: Candidates = candidatesFromEvent(
  event('workflow_run', { workflow_run: { id: Number(RUN_ID), head_sha: HEAD, head_branch: 'feature/matrix', head_repository: { full_name: 'example/app' }, pull_requests: [{ number: 42 }] } }, 'd'.repeat(40), 'refs/heads/main'),
  { supersededOnly: false }
)

const batch = (sourceVersion?: string, resolvedSourceVersion?: string, extra: Partial<BuildBatch> = {}): BuildBatch => ({ sourceVersion, resolvedSourceVersion, ...extra })
/** [verdict, field, candidate value, role] or [kept, code], for short assertions. */
const verdict = (decision: BatchDecision | undefined) =>
  decision === undefined
    ? 'unrelated'
    : decision.keep === undefined
      ? ['stop', decision.match.field, decision.match.candidate.value, decision.match.candidate.role]
      : ['keep', decision.keep.code]

describe('rule 1: a batch started for a ref belongs to that ref', () => {
  it.each<[string, BuildBatch, unknown]>([
    ['pr/<number>', batch('pr/42'), ['stop', 'sourceVersion', 'pr/42', 'pull-request']],
    ['pr/<number> at any commit', batch('pr/42', OTHER), ['stop', 'sourceVersion', 'pr/42', 'pull-request']],
    ['refs/pull/<number>/head', batch('refs/pull/42/head', HEAD), ['stop', 'sourceVersion', 'refs/pull/42/head', 'pull-request-ref']],
    ['refs/pull/<number>/merge', batch('refs/pull/42/merge'), ['stop', 'sourceVersion', 'refs/pull/42/merge', 'pull-request-ref']],
    ['its head branch at a commit of the pull request', batch('refs/heads/feature/matrix', FIRST), ['stop', 'resolvedSourceVersion', FIRST, 'pull-request-commit']],
    ['its head branch by name at the head', batch('feature/matrix', HEAD), ['stop', 'resolvedSourceVersion', HEAD, 'head']],
    ['its head branch at the previous head', batch('feature/matrix', BEFORE), ['stop', 'resolvedSourceVersion', BEFORE, 'before']]
  ])("stops the pull request's own: %s", (_what, given, expected) => {
    expect(verdict(decideBatch(given, pullRequest, STOP))).toEqual(expected)
  })

  it.each<[string, BuildBatch, unknown]>([
    ["another pull request's, at one of this one's commits", batch('pr/43', HEAD), ['keep', 'other-ref']],
    ["another pull request's refs", batch('refs/pull/43/head', FIRST), ['keep', 'other-ref']],
    ['another branch at the head commit', batch('refs/heads/main', HEAD), ['keep', 'other-ref']],
    ['a bare branch name at the head commit', batch('main', HEAD), ['keep', 'other-ref']],
    ['a tag at the head commit', batch('refs/tags/v1.0.0', HEAD), ['keep', 'other-ref']],
    ['its head branch at a commit that is not the pull request\'s', batch('refs/heads/feature/matrix', OTHER), ['keep', 'head-branch-other-commit']],
    ['its head branch before its commit is known', batch('feature/matrix'), ['keep', 'head-branch-commit-unknown']],
    ['the test merge commit reached by another ref', batch('refs/heads/main', TEST_MERGE), ['keep', 'other-ref']]
  ])('keeps, and says why: %s', (_what, given, expected) => {
    expect(verdict(decideBatch(given, pullRequest, STOP))).toEqual(expected)
  })

  it.each<[string, BuildBatch]>([
    ['pr/420', batch('pr/420')],
    ['pr/4', batch('pr/4')],
    ['PR/42', batch('PR/42')],
    ['a padded value', batch(' pr/42')],
    ['another ref at another commit', batch('refs/heads/main', OTHER)],
    ['a short SHA', batch(HEAD.slice(0, 7))],
    ['a longer SHA', batch(`${HEAD}0`)],
    ['nothing', batch(undefined, undefined)]
  ])('has nothing to do with %s', (_what, given) => {
    expect(decideBatch(given, pullRequest, STOP)).toBeUndefined()
  })

  it('on a push: its branch by full or short name, and never another branch that built the same commit', () => {
    expect(verdict(decideBatch(batch('refs/heads/feature/matrix', OTHER), push, STOP))).toEqual(['stop', 'sourceVersion', 'refs/heads/feature/matrix', 'ref'])
    expect(verdict(decideBatch(batch('feature/matrix', OTHER), push, STOP))).toEqual(['stop', 'sourceVersion', 'feature/matrix', 'ref-name'])
    expect(verdict(decideBatch(batch('refs/heads/other', HEAD), push, STOP))).toEqual(['keep', 'other-ref'])
    expect(decideBatch(batch('refs/heads/other', HEAD), push, STOP)?.keep).toEqual({ code: 'other-ref', sourceVersion: 'refs/heads/other', commit: HEAD })
  })
})

describe('rule 2: only a batch started by commit is matched by commit alone', () => {
  it('stops a batch started with a candidate SHA, whether or not CodeBuild has resolved it', () => {
    expect(verdict(decideBatch(batch(HEAD), pullRequest, STOP))).toEqual(['stop', 'sourceVersion', HEAD, 'head'])
    expect(verdict(decideBatch(batch(FIRST, FIRST), pullRequest, STOP))).toEqual(['stop', 'sourceVersion', FIRST, 'pull-request-commit'])
    expect(verdict(decideBatch(batch(TEST_MERGE), pullRequest, STOP))).toEqual(['stop', 'sourceVersion', TEST_MERGE, 'test-merge-commit'])
    expect(verdict(decideBatch(batch(HEAD.toUpperCase()), pullRequest, STOP))).toBe('unrelated')
  })

  it("reports the event's own candidate when the pull request's commits hold the same value", () => {
    expect(verdict(decideBatch(batch(HEAD), pullRequest, STOP))).toEqual(['stop', 'sourceVersion', HEAD, 'head'])
    expect(decideBatch(batch(FIRST), pullRequest, STOP)?.match.candidate.position).toEqual({ index: 1, count: 3 })
  })

  it('keeps a batch started without a source version, whose branch cannot be told', () => {
    expect(decideBatch(batch(undefined, HEAD), pullRequest, STOP)?.keep).toEqual({ code: 'no-source-version', commit: HEAD })
    expect(decideBatch(batch('', HEAD), push, STOP)?.keep).toEqual({ code: 'no-source-version', commit: HEAD })
    expect(decideBatch(batch(undefined, OTHER), pullRequest, STOP)).toBeUndefined()
  })

  it('matches an input value by either field: the user named it', () => {
    const input = candidatesFromInput(['release/2.0', OTHER], event('pull_request', pullRequestPayload('closed')), { supersededOnly: false })
    expect(verdict(decideBatch(batch('release/2.0'), input, STOP))).toEqual(['stop', 'sourceVersion', 'release/2.0', 'input'])
    expect(verdict(decideBatch(batch('main', OTHER), input, STOP))).toEqual(['stop', 'resolvedSourceVersion', OTHER, 'input'])
    expect(decideBatch(batch('main', HEAD), input, STOP)).toBeUndefined()
  })
})

describe("rule 3, workflow_run: the run's id", () => {
  const withRunId = (value: string, type?: string): Partial<BuildBatch> => ({
    environment: { type: 'LINUX_CONTAINER', image: 'x', computeType: 'BUILD_GENERAL1_SMALL', environmentVariables: [{ name: 'GITHUB_RUN_ID', value, ...(type === undefined ? {} : { type: type as 'PLAINTEXT' }) }] }
  })

  it('stops a batch that carries the run id, whatever it was built for', () => {
    expect(verdict(decideBatch(batch('refs/heads/main', OTHER, withRunId(RUN_ID)), workflowRun, STOP))).toEqual(['stop', 'GITHUB_RUN_ID', RUN_ID, 'run-id'])
    expect(verdict(decideBatch(batch(undefined, undefined, withRunId(RUN_ID, 'PLAINTEXT')), workflowRun, STOP))).toEqual(['stop', 'GITHUB_RUN_ID', RUN_ID, 'run-id'])
  })

  it("keeps a batch of the same commit that carries another run's id", () => {
    expect(decideBatch(batch(HEAD, HEAD, withRunId('1111')), workflowRun, STOP)?.keep).toEqual({ code: 'other-run', runId: '1111' })
    expect(decideBatch(batch('refs/heads/main', OTHER, withRunId('1111')), workflowRun, STOP)).toBeUndefined()
  })

  it('judges by the rest a batch whose run id is hidden in Parameter Store, or that has none', () => {
    expect(verdict(decideBatch(batch(HEAD, HEAD, withRunId('/ci/run-id', 'PARAMETER_STORE')), workflowRun, STOP))).toEqual(['stop', 'sourceVersion', HEAD, 'head'])
    expect(verdict(decideBatch(batch('pr/42'), workflowRun, STOP))).toEqual(['stop', 'sourceVersion', 'pr/42', 'pull-request'])
    expect(verdict(decideBatch(batch('feature/matrix', OTHER), workflowRun, STOP))).toEqual(['stop', 'sourceVersion', 'feature/matrix', 'ref-name'])
  })

  it('compares no run id on other events', () => {
    expect(decideBatch(batch('refs/heads/main', OTHER, withRunId(RUN_ID)), pullRequest, STOP)).toBeUndefined()
  })
})

describe("rule 4: the batch's source must be this repository", () => {
  const source = (type: string, location?: string): Partial<BuildBatch> => ({ source: { type: type as 'GITHUB', ...(location === undefined ? {} : { location }) } })

  it.each([
    ['with .git', 'https://github.com/example/app.git'],
    ['without .git', 'https://github.com/example/app'],
    ['in other case', 'https://GitHub.com/Example/App.git'],
    ['with a trailing slash', 'https://github.com/example/app/']
  ])('stops a batch of this repository %s', (_how, location) => {
    expect(verdict(decideBatch(batch('pr/42', HEAD, source('GITHUB', location)), pullRequest, STOP))).toEqual(['stop', 'sourceVersion', 'pr/42', 'pull-request'])
  })

  it.each(['NO_SOURCE', 'S3', 'CODEPIPELINE'])('judges a %s batch by the rest', (type) => {
    expect(verdict(decideBatch(batch('pr/42', HEAD, source(type, type === 'S3' ? 'bucket/key.zip' : undefined)), pullRequest, STOP))).toEqual(['stop', 'sourceVersion', 'pr/42', 'pull-request'])
  })

  it.each<[string, Partial<BuildBatch>, string]>([
    ['another GitHub repository', source('GITHUB', 'https://github.com/example/app-2.git'), 'another'],
    ['the same name on another server', source('GITHUB_ENTERPRISE', 'https://ghe.example.com/example/app.git'), 'another'],
    ['a Bitbucket repository', source('BITBUCKET', 'https://bitbucket.org/example/app.git'), 'another'],
    ['a GitHub source without a location', source('GITHUB'), 'no-location'],
    ['a location that is no URL', source('GITHUB', 'example/app'), 'another']
  ])('keeps the batch of %s, and says whose it is', (_what, extra, expected) => {
    expect(decideBatch(batch('pr/42', HEAD, extra), pullRequest, STOP)?.keep).toMatchObject({ code: 'other-repository', verdict: expected })
  })

  it("keeps a GitHub batch when this run's repository is not known", () => {
    const unknown = { supersededOnly: false, repository: { serverUrl: 'https://github.com', repository: '' } }
    expect(decideBatch(batch('pr/42', HEAD, source('GITHUB', 'https://github.com/example/app.git')), pullRequest, unknown)?.keep).toMatchObject({ verdict: 'unknown-run-repository' })
  })

  it('compares against a GitHub Enterprise Server', () => {
    const ghes = { supersededOnly: false, repository: { serverUrl: 'https://ghe.example.com/', repository: 'example/app' } }
    expect(decideBatch(batch('pr/42', HEAD, source('GITHUB_ENTERPRISE', 'https://ghe.example.com/example/app.git')), pullRequest, ghes)?.keep).toBeUndefined()
  })
})

describe('rule 5: superseded-only stops only commits known to be older than the head', () => {
  it.each<[string, BuildBatch, unknown]>([
    ['the previous head, before', batch('pr/42', BEFORE), ['stop', 'sourceVersion', 'pr/42', 'pull-request']],
    ['started with the previous head\'s SHA, not yet resolved', batch(BEFORE), ['stop', 'sourceVersion', BEFORE, 'before']],
    ['a commit listed before the head', batch(FIRST), ['stop', 'sourceVersion', FIRST, 'pull-request-commit']],
    ['the head branch at a commit listed before the head', batch('feature/matrix', FIRST), ['stop', 'resolvedSourceVersion', FIRST, 'pull-request-commit']]
  ])('stops %s', (_what, given, expected) => {
    expect(verdict(decideBatch(given, pullRequest, SUPERSEDED))).toEqual(expected)
  })

  it.each<[string, BuildBatch, unknown]>([
    ['the current head, by resolved commit', batch('pr/42', HEAD), { code: 'current-head', commit: HEAD }],
    ['the current head, by SHA', batch(HEAD), { code: 'current-head', commit: HEAD }],
    ['a commit not known yet', batch('pr/42'), { code: 'unknown-commit' }],
    ['a commit of unknown age', batch('pr/42', OTHER), { code: 'unknown-age', commit: OTHER }],
    ["the run's test merge commit", batch(TEST_MERGE), { code: 'unknown-age', commit: TEST_MERGE }]
  ])('keeps %s', (_what, given, expected) => {
    expect(decideBatch(given, pullRequest, SUPERSEDED)?.keep).toEqual(expected)
  })

  it('keeps a commit that comes after the head: a re-run of an older run after the pull request moved on', () => {
    // The run is for BEFORE; the pull request has moved on to HEAD and NEWER since.
    const olderRun = withPullRequestCommits(
      candidatesFromEvent(event('pull_request', { ...pullRequestPayload('opened'), pull_request: { number: 42, head: { sha: BEFORE } } }), { supersededOnly: true }),
      [FIRST, BEFORE, HEAD, NEWER]
    )
    expect(decideBatch(batch('pr/42', HEAD), olderRun, SUPERSEDED)?.keep).toEqual({ code: 'newer-commit', commit: HEAD })
    expect(decideBatch(batch(NEWER), olderRun, SUPERSEDED)?.keep).toEqual({ code: 'newer-commit', commit: NEWER })
    expect(decideBatch(batch(FIRST), olderRun, SUPERSEDED)?.keep).toBeUndefined()
  })

  it("keeps every commit's batch when the head is not among the listed commits, or there is no head", () => {
    const unlisted = withPullRequestCommits(candidatesFromEvent(event('pull_request', pullRequestPayload('opened')), { supersededOnly: true }), [FIRST, BEFORE])
    expect(keptBySupersededOnly(batch(FIRST), unlisted)).toEqual({ code: 'unknown-age', commit: FIRST })
    const comment = candidatesFromEvent(event('issue_comment', { issue: { number: 42, pull_request: {} } }), { supersededOnly: true })
    expect(keptBySupersededOnly(batch('pr/42', FIRST), comment)).toEqual({ code: 'unknown-age', commit: FIRST })
    expect(keptBySupersededOnly(batch('pr/42'), comment)).toEqual({ code: 'unknown-commit' })
  })

  it('on a push: stops before, keeps the head and any other commit of the branch', () => {
    expect(decideBatch(batch('feature/matrix', BEFORE), push, SUPERSEDED)?.keep).toBeUndefined()
    expect(decideBatch(batch('feature/matrix', HEAD), push, SUPERSEDED)?.keep).toEqual({ code: 'current-head', commit: HEAD })
    expect(decideBatch(batch('feature/matrix', OTHER), push, SUPERSEDED)?.keep).toEqual({ code: 'unknown-age', commit: OTHER })
  })

  it("takes the head that the GitHub API gave for a comment's pull request", () => {
    const comment = candidatesFromEvent(event('issue_comment', { issue: { number: 42, pull_request: {} } }), { supersededOnly: true })
    const read = withPullRequestCommits(withPullRequestDetails(comment, { head: HEAD, headRef: 'feature/matrix', headRepository: 'example/app' }, 'example/app'), [FIRST, HEAD])
    expect(decideBatch(batch('pr/42', FIRST), read, SUPERSEDED)?.keep).toBeUndefined()
    expect(decideBatch(batch('feature/matrix', HEAD), read, SUPERSEDED)?.keep).toEqual({ code: 'current-head', commit: HEAD })
  })

  it('comes after the other rules: a batch of another repository stays kept for that reason', () => {
    const other = batch('pr/42', FIRST, { source: { type: 'GITHUB', location: 'https://github.com/example/other.git' } })
    expect(decideBatch(other, pullRequest, SUPERSEDED)?.keep).toMatchObject({ code: 'other-repository' })
  })
})
