import { describe, expect, it } from '@jest/globals'
import type { Discovery, DiscoveryQuery } from '../src/codebuild/discover-batches.js'
import type { WaitProgress } from '../src/codebuild/poll-until-settled.js'
import { groupByCause } from '../src/report/causes.js'
import {
  attemptLine,
  batchFileUnreadableLine,
  candidateLines,
  causeLine,
  describeCandidates,
  discoveryLines,
  failureLine,
  guardingLine,
  lookingForLine,
  malformedLine,
  nothingToStopLine,
  problemLine,
  projectFindingLines,
  pullRequestWarnings,
  recordedLine,
  roundLine,
  stopLine,
  waitEndLine
} from '../src/report/render-log.js'
import { candidatesFromEvent, candidatesFromInput } from '../src/subject/event-subjects.js'
import { withPullRequestCommits } from '../src/subject/source-candidates.js'
import { batch, outcome, ref } from './fixtures.js'

const HOSTILE = 'x\n::add-mask::leak'

describe('log lines', () => {
  it.each([
    [outcome(ref(1), 'stopped', batch(ref(1), 'STOPPED', ['IN_PROGRESS', 'PENDING'])), `Stop requested for ${ref(1).id} (us-east-1): status STOPPED, phase STOPPED, 2 build(s) still stopping`],
    [outcome(ref(1), 'stopped', batch(ref(1), 'STOPPED', ['STOPPED'])), `Stop requested for ${ref(1).id} (us-east-1): status STOPPED, phase STOPPED`],
    [outcome(ref(1), 'stopped'), `Stop requested for ${ref(1).id} (us-east-1): no state in the answer`],
    [outcome(ref(1), 'already-complete', batch(ref(1), 'SUCCEEDED')), `Batch ${ref(1).id} (us-east-1) had already finished: SUCCEEDED`],
    [
      outcome(ref(1), 'already-complete', batch(ref(1), 'STOPPED', [], { endTime: new Date('2020-10-21T16:56:05.152Z') })),
      `Batch ${ref(1).id} (us-east-1) had already finished: STOPPED at 2020-10-21 16:56:05Z`
    ],
    // The cause of a failure is said once for all its batches, by causeLine.
    [outcome(ref(1), 'not-found', undefined, 'CodeBuild has no batch x'), `Not found: ${ref(1).id} (us-east-1).`],
    [outcome(ref(1), 'failed', undefined, 'denied'), `Could not stop ${ref(1).id} (us-east-1).`],
    [outcome(ref(1), 'would-stop', batch(ref(1), 'IN_PROGRESS', [], { sourceVersion: 'pr/1', resolvedSourceVersion: 'abc' })), `Dry run: would stop ${ref(1).id} (us-east-1): status IN_PROGRESS, source version pr/1, commit abc`],
    [outcome(ref(1), 'would-stop', batch(ref(1), 'IN_PROGRESS')), `Dry run: would stop ${ref(1).id} (us-east-1): status IN_PROGRESS, source version none, commit not known yet`],
    [
      outcome(ref(1), 'requested'),
      `Stop requested for ${ref(1).id} (us-east-1), not confirmed: no answer had come when the runner ended the step, so whether CodeBuild accepted it is not known`
    ]
  ])('describes %p', (given, line) => {
    expect(stopLine(given)).toBe(line)
  })

  it('never lets API text start a line', () => {
    const lines = [
      causeLine(groupByCause([outcome(ref(1), 'failed', undefined, HOSTILE)])[0]),
      stopLine(outcome(ref(1), 'would-stop', batch(ref(1), 'IN_PROGRESS', [], { sourceVersion: HOSTILE }))),
      problemLine(HOSTILE)
    ]
    for (const line of lines) expect(line).not.toContain('\n')
  })

  const progress = (counts: Partial<WaitProgress>): WaitProgress => ({ settled: 0, stopping: 0, unanswered: 0, unconfirmed: 0, notWaited: 0, ...counts })

  it.each([
    [{ stopping: 3 }, 'Poll 2: 3 batch(es) still stopping.'],
    [{ settled: 3 }, 'Poll 2: every batch has stopped.'],
    [{ settled: 1, notWaited: 1 }, 'Poll 2: of 2 batch(es), 1 stopped, 1 not stopped (see above).'],
    [{ unconfirmed: 2 }, 'Poll 2: of 2 batch(es), 2 that CodeBuild will not describe (their state is unknown).'],
    [{ settled: 1, stopping: 1, unanswered: 1 }, 'Poll 2: of 3 batch(es), 1 stopped, 1 still stopping, 1 not described this time (asked again next round).']
  ])('says where the batches stand after a round, and "every batch has stopped" only when so: %j', (counts, line) => {
    expect(roundLine(2, progress(counts))).toBe(line)
  })

  it('tells how waiting went', () => {
    expect(waitEndLine('settled', 1234, [], progress({ settled: 2 }))).toBe('All batches and their builds have stopped (waited 1.2 s).')
    expect(waitEndLine('settled', 1234, [], progress({ settled: 1, notWaited: 1 }))).toBe(
      '1 of 2 batch(es) and all their builds have stopped (waited 1.2 s); the other 1 were not stopped (see above).'
    )
    const stuck = [outcome(ref(1), 'stopped')]
    expect(waitEndLine('timed-out', 180_000, stuck, progress({ stopping: 1 }))).toBe(
      `Gave up waiting after 180.0 s: the stop was requested, but 1 batch(es) were still stopping when last seen: ${ref(1).id}. Raise wait-timeout to wait longer.`
    )
    expect(waitEndLine('timed-out', 2000, stuck, progress({ stopping: 1 }), true)).toContain('The poll in flight at the deadline was abandoned.')
    expect(waitEndLine('interrupted', 500, stuck, progress({ stopping: 1 }))).toContain('The step was cancelled while waiting (0.5 s)')
    expect(waitEndLine('unconfirmed', 500, stuck, progress({ unconfirmed: 1 }))).toContain('Could not confirm that every batch stopped')
  })

  it('says each cause once, naming the batches it concerns', () => {
    const ids = Array.from({ length: 12 }, (_, n) => ref(n))
    const causes = groupByCause([
      ...ids.map((of) => outcome(of, 'failed', undefined, 'no AWS credentials were found.')),
      outcome(ref(20), 'not-found', undefined, 'gone'),
      outcome(ref(21), 'not-found', undefined, 'gone'),
      outcome(ref(22, 'eu-west-1'), 'not-found', undefined, 'gone'),
      outcome(ref(23), 'stopped')
    ])

    expect(causes.map((cause) => causeLine(cause))).toEqual([
      `Could not stop 12 batches (${ids.slice(0, 10).map((of) => of.id).join(', ')} and 2 more): no AWS credentials were found.`,
      `CodeBuild has none of the 2 batches ${ref(20).id}, ${ref(21).id} in us-east-1: check the ids and the region.`,
      `CodeBuild has no batch ${ref(22).id} in eu-west-1: check the id and the region.`
    ])
    expect(causeLine(groupByCause([outcome(ref(1), 'failed', undefined, 'denied')])[0], true)).toBe(`Could not look up ${ref(1).id}: denied`)
    expect(failureLine([ref(1).id], 3)).toBe(`1 of 3 batch(es) could not be stopped: ${ref(1).id}.`)
  })

  it('describes each HTTP attempt for the debug log, with its request id', () => {
    expect(attemptLine({ operation: 'StopBuildBatch', attempt: 2, maxAttempts: 10, status: 400, errorName: 'ThrottlingException', requestId: 'r-1', durationMs: 12 })).toBe(
      'CodeBuild StopBuildBatch attempt 2 of 10: HTTP 400 ThrottlingException after 12 ms, request id r-1'
    )
    expect(attemptLine({ operation: 'BatchGetBuildBatches', attempt: 1, errorName: 'ECONNRESET', durationMs: 3 })).toBe(
      'CodeBuild BatchGetBuildBatches attempt 1: no answer (ECONNRESET) after 3 ms, request id none'
    )
    expect(attemptLine({ operation: 'x', durationMs: 0, errorName: HOSTILE })).not.toContain('\n')
  })
})

describe('discovery lines', () => {
  // pull_request_target: no test merge commit, and the head branch lives in a fork.
  const event = candidatesFromEvent(
    {
      eventName: 'pull_request_target',
      sha: 'main-head',
      ref: 'refs/heads/main',
      repository: 'example/app',
      serverUrl: 'https://github.com',
      payload: { action: 'synchronize', number: 42, before: 'old', pull_request: { number: 42, head: { sha: 'abc', ref: 'x', repo: { full_name: 'fork/app' } } } }
    },
    { supersededOnly: true }
  )
  const candidates = withPullRequestCommits(event, ['first', 'old', 'abc'])
  const repository = { serverUrl: 'https://github.com', repository: 'example/app' }
  const query: DiscoveryQuery = { project: 'app', region: 'us-east-1', partition: 'aws', supersededOnly: true, candidates, repository }
  const listed = { state: 'listed', pullRequest: 42, count: 3, calls: 1 } as const

  it('says where each candidate came from', () => {
    expect(candidateLines(candidates, listed)).toEqual([
      'Candidates from the pull_request_target event: pr/42 (the pull request), refs/pull/42/head (a ref of the pull request), refs/pull/42/merge (a ref of the pull request), abc (the head commit), old (the previous head, before).',
      "Candidates from the pull request's commits (GitHub API), 3 commit(s) of pull request #42 listed in 1 request(s), oldest first: first, old, abc."
    ])
    const push = { eventName: 'push', sha: 's', ref: 'r', repository: '', serverUrl: 'https://github.com', payload: {} }
    expect(candidateLines(candidatesFromInput(['release/2.0'], push, { supersededOnly: false }))).toEqual([
      'Candidates from the source-version input: release/2.0 (a source-version value).'
    ])
    expect(candidateLines({ list: [], head: undefined, eventName: 'issues', subject: { kind: 'none', why: '' } })).toEqual([])
  })

  it('says what it looks for', () => {
    expect(lookingForLine(query)).toBe(
      'Looking for in-progress batches of project app (us-east-1) built for any of 6 candidates (listed above); superseded-only: stopping only those of commits known to be older than the head abc.'
    )
    expect(lookingForLine({ ...query, candidates: { ...candidates, head: undefined } })).toContain(
      "; superseded-only, and the run's head is not known, so none is known to be older and every one is kept."
    )
    expect(lookingForLine({ ...query, supersededOnly: false })).toBe('Looking for in-progress batches of project app (us-east-1) built for any of 6 candidates (listed above).')
    expect(describeCandidates({ ...candidates, list: candidates.list.slice(0, 1) })).toBe('pr/42 (the pull request)')
    expect(describeCandidates({ ...candidates, list: [] })).toBe('nothing (the event names no source version)')
  })

  describe('warnings about the GitHub API', () => {
    const failed = (reason: string) => ({ state: 'failed', pullRequest: 42, reason, calls: 1 }) as const
    const grant = "Give the job's token the permission pull-requests: read (permissions: pull-requests: read), or pass a token that has it as github-token."

    it('names the permission when the commits could not be listed', () => {
      expect(pullRequestWarnings({ pullRequestCommits: failed(`access denied (HTTP 403): ${HOSTILE}`) })).toEqual([
        `Could not list the commits of pull request #42 with the GitHub API: access denied (HTTP 403): x\\n::add-mask::leak. ${grant} ` +
          "Looking for the event's own candidates only: a batch built for an earlier commit of the pull request alone is not found."
      ])
    })

    it('says it once when reading the pull request and listing its commits failed for the same reason', () => {
      expect(pullRequestWarnings({ pullRequestHead: failed('HTTP 403'), pullRequestCommits: failed('HTTP 403') })).toEqual([
        `Could not read pull request #42 or list its commits with the GitHub API: HTTP 403. ${grant} Looking for the pull request's refs only: a batch started by commit or for its head branch is not found.`
      ])
    })

    it('gives both reasons when they differ, and says what is missing when only the head could not be read', () => {
      expect(pullRequestWarnings({ pullRequestHead: failed('HTTP 404'), pullRequestCommits: failed('HTTP 502') })).toEqual([
        `Could not read pull request #42 or list its commits with the GitHub API: HTTP 404; listing its commits: HTTP 502. ${grant} Looking for the pull request's refs only: a batch started by commit or for its head branch is not found.`
      ])
      expect(pullRequestWarnings({ pullRequestHead: failed('HTTP 404'), pullRequestCommits: { ...listed } })).toEqual([
        `Could not read pull request #42 with the GitHub API: HTTP 404. ${grant} Without it, a batch started for the pull request's head branch is not found, and superseded-only knows no head commit.`
      ])
      expect(pullRequestWarnings({ pullRequestCommits: listed })).toEqual([])
      expect(pullRequestWarnings({})).toEqual([])
    })

    it('names no permission when the step was cancelled during the lookup', () => {
      const cancelled = { state: 'cancelled', pullRequest: 42, calls: 1 } as const
      expect(pullRequestWarnings({ pullRequestCommits: cancelled })).toEqual([
        "The step was cancelled before the commits of pull request #42 were listed. Looking for the event's own candidates only: a batch built for an earlier commit of the pull request alone is not found."
      ])
      expect(pullRequestWarnings({ pullRequestHead: cancelled, pullRequestCommits: cancelled })).toEqual([
        "The step was cancelled before pull request #42 was read with the GitHub API. Looking for the pull request's refs only: a batch started by commit or for its head branch is not found."
      ])
      expect(pullRequestWarnings({ pullRequestHead: cancelled, pullRequestCommits: listed })[0]).toContain('Without it, a batch started for')
    })
  })

  it('says what it found, which candidate each batch matched, and what it kept', () => {
    const matched = [batch(ref(1), 'IN_PROGRESS', [], { sourceVersion: 'pr/42' }), batch(ref(4), 'IN_PROGRESS', [], { sourceVersion: 'first' })]
    const discovery: Discovery = {
      inProgress: 5,
      matched,
      kept: [
        { batch: batch(ref(2), 'IN_PROGRESS', [], { resolvedSourceVersion: 'abc' }), reason: { code: 'current-head', commit: 'abc' } },
        { batch: batch(ref(3), 'IN_PROGRESS'), reason: { code: 'unknown-commit' } }
      ],
      matches: new Map([
        [ref(1).id, { candidate: candidates.list[0], field: 'sourceVersion' }],
        [ref(4).id, { candidate: candidates.list[5], field: 'sourceVersion' }]
      ])
    }
    expect(discoveryLines(query, discovery)).toEqual([
      `Found 5 in-progress batch(es) of project app; 2 match: ${ref(1).id}, ${ref(4).id}.`,
      `Matched ${ref(1).id}: its source version pr/42 is the pull request, from the pull_request_target event.`,
      `Matched ${ref(4).id}: its source version first is commit 1 of 3 of the pull request, from the pull request's commits (GitHub API).`,
      `Keeping ${ref(2).id}: it builds the current head abc.`,
      `Keeping ${ref(3).id}: its commit is not known yet, so it may be this run's own batch.`
    ])
    expect(discoveryLines(query, { inProgress: 2, matched: [], kept: [], matches: new Map() })).toEqual([
      'No in-progress batch of project app matched (2 in progress, looked for any of 6 candidates (listed above)).'
    ])
  })

  it('escapes values from the event and the API', () => {
    const hostile = withPullRequestCommits(event, [HOSTILE])
    for (const line of candidateLines(hostile, listed)) expect(line).not.toContain('\n')
    const matches = new Map([[ref(1).id, { candidate: hostile.list[5], field: 'sourceVersion' as const }]])
    const kept = [{ batch: batch(ref(2), 'IN_PROGRESS'), reason: { code: 'other-ref', sourceVersion: HOSTILE, commit: 'abc' } as const }]
    const lines = discoveryLines({ ...query, candidates: hostile }, { inProgress: 1, matched: [batch(ref(1), 'IN_PROGRESS')], kept, matches })
    expect(lines[1]).toContain('x\\n::add-mask::leak')
    for (const line of lines) expect(line).not.toContain('\n')
  })
})

describe('log lines of the guard', () => {
  const identity = { eventName: 'push', runId: '9001', runAttempt: '1', job: 'build', sha: 'a'.repeat(40), ref: 'refs/heads/main', branch: 'main' }

  it('says what the main step guards', () => {
    expect(guardingLine({ projects: ['app', 'web'], region: 'eu-west-1', startedAt: Date.parse('2026-11-23T10:00:00Z'), batchFile: '/tmp/f', identity })).toBe(
      `Guarding CodeBuild project(s) app, web (eu-west-1): if this job is cancelled, fails or times out, its post step stops every batch recorded in $STOP_CODEBUILD_BATCH_FILE (/tmp/f) and the in-progress batches of these projects that this job starts from 2026-11-23 10:00:00Z on: those carrying GITHUB_RUN_ID 9001, or carrying none and built for ${'a'.repeat(40)} or refs/heads/main or main; never a webhook's or another run's.`
    )
    expect(
      guardingLine({ projects: ['app'], region: 'eu-west-1', startedAt: 0, batchFile: '/tmp/f', identity: { ...identity, runId: '', sha: '', ref: '', branch: '' } })
    ).toContain('that this job starts from 1970-01-01 00:00:00Z on: built for nothing (the run names no commit or ref);')
  })

  it('says why each batch of a project is stopped or kept, and counts those that started before', () => {
    expect(
      projectFindingLines({ project: 'app', region: 'us-east-1', inProgress: 5, owned: [{ id: 'app:1', reason: 'mine' }], kept: [{ id: 'app:2', reason: HOSTILE }], startedBefore: 3 })
    ).toEqual([
      'Project app (us-east-1): 5 in-progress batch(es), 1 started by this job.',
      'Stopping app:1: mine.',
      'Keeping app:2: x\\n::add-mask::leak.',
      "Keeping 3 batch(es) of project app that started before this job's guard."
    ])
    expect(projectFindingLines({ project: 'app', region: 'us-east-1', inProgress: 0, owned: [], kept: [], startedBefore: 0, error: HOSTILE })).toEqual(['x\\n::add-mask::leak'])
  })

  it('reports the recorded batches, a malformed line, a missing file and nothing to stop', () => {
    expect(recordedLine([])).toBe('No batch is recorded in $STOP_CODEBUILD_BATCH_FILE.')
    expect(recordedLine(['app:1', 'web:2'])).toBe('Recorded in $STOP_CODEBUILD_BATCH_FILE: 2 batch(es): app:1, web:2.')
    expect(malformedLine({ line: 3, reason: '"x": no colon' })).toBe('Line 3 of $STOP_CODEBUILD_BATCH_FILE is not a batch id or ARN, so it is skipped: "x": no colon.')
    expect(batchFileUnreadableLine(`/tmp/${HOSTILE}`, 'ENOENT: no such file')).toBe(
      'Could not read $STOP_CODEBUILD_BATCH_FILE (/tmp/x\\n::add-mask::leak): ENOENT: no such file. Only the batches found in the projects are stopped.'
    )
    expect(nothingToStopLine(['app', 'web'])).toBe(
      'Nothing to stop: no batch is recorded in $STOP_CODEBUILD_BATCH_FILE, and no in-progress batch of app, web was started by this job.'
    )
  })
})
