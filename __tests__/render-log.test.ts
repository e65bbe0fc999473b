import { describe, expect, it } from '@jest/globals'
import type { Discovery, DiscoveryQuery } from '../src/codebuild/discover-batches.js'
import {
  batchFileUnreadableLine,
  describeCandidates,
  discoveryLines,
  guardingLine,
  lookingForLine,
  malformedLine,
  nothingToStopLine,
  problemLine,
  projectFindingLines,
  recordedLine,
  roundLine,
  stopLine,
  waitEndLine
} from '../src/report/render-log.js'
import { batch, outcome, ref } from './fixtures.js'

const HOSTILE = 'x\n::add-mask::leak'

describe('log lines', () => {
  it.each([
    [outcome(ref(1), 'stopped', batch(ref(1), 'STOPPED', ['IN_PROGRESS', 'PENDING'])), `Stop requested for ${ref(1).id} (us-east-1): status STOPPED, phase STOPPED, 2 build(s) still stopping`],
    [outcome(ref(1), 'stopped', batch(ref(1), 'STOPPED', ['STOPPED'])), `Stop requested for ${ref(1).id} (us-east-1): status STOPPED, phase STOPPED`],
    [outcome(ref(1), 'stopped'), `Stop requested for ${ref(1).id} (us-east-1): no state in the answer`],
    [outcome(ref(1), 'already-complete', batch(ref(1), 'SUCCEEDED')), `Batch ${ref(1).id} (us-east-1) had already finished: SUCCEEDED`],
    [outcome(ref(1), 'not-found', undefined, 'CodeBuild has no batch x'), 'CodeBuild has no batch x'],
    [outcome(ref(1), 'not-found'), `CodeBuild has no batch ${ref(1).id} in us-east-1.`],
    [outcome(ref(1), 'failed', undefined, 'denied'), `Could not stop ${ref(1).id}: denied`],
    [outcome(ref(1), 'failed'), `Could not stop ${ref(1).id}: unknown error`],
    [outcome(ref(1), 'would-stop', batch(ref(1), 'IN_PROGRESS', [], { sourceVersion: 'pr/1', resolvedSourceVersion: 'abc' })), `Dry run: would stop ${ref(1).id} (us-east-1): status IN_PROGRESS, source version pr/1, commit abc`]
  ])('describes %p', (given, line) => {
    expect(stopLine(given)).toBe(line)
  })

  it('never lets API text start a line', () => {
    const lines = [
      stopLine(outcome(ref(1), 'failed', undefined, HOSTILE)),
      stopLine(outcome(ref(1), 'would-stop', batch(ref(1), 'IN_PROGRESS', [], { sourceVersion: HOSTILE }))),
      problemLine(HOSTILE)
    ]
    for (const line of lines) expect(line).not.toContain('\n')
  })

  it('tells how waiting went', () => {
    expect(roundLine(2, 3)).toBe('Poll 2: 3 batch(es) still stopping.')
    expect(roundLine(3, 0)).toBe('Poll 3: every batch has stopped.')
    expect(waitEndLine('settled', 1234, [])).toBe('All batches and their builds have stopped (waited 1.2 s).')
    const stuck = [outcome(ref(1), 'stopped')]
    expect(waitEndLine('timed-out', 180_000, stuck)).toBe(
      `Gave up waiting after 180.0 s: the stop was requested, but 1 batch(es) have not finished stopping: ${ref(1).id}. Raise wait-timeout to wait longer.`
    )
    expect(waitEndLine('interrupted', 500, stuck)).toContain('The step was cancelled while waiting (0.5 s)')
    expect(waitEndLine('unconfirmed', 500, stuck)).toContain('Could not confirm that every batch stopped')
  })
})

describe('discovery lines', () => {
  const query: DiscoveryQuery = {
    project: 'app',
    region: 'us-east-1',
    partition: 'aws',
    supersededOnly: true,
    candidates: { versions: ['pr/42'], commits: ['abc'], head: 'abc', origin: 'the pull_request event' }
  }

  it('says what it looks for', () => {
    expect(lookingForLine(query)).toBe(
      'Looking for in-progress batches of project app (us-east-1) built for source version pr/42, or commit abc, from the pull_request event; keeping those of the current head abc.'
    )
    expect(describeCandidates({ ...query.candidates, versions: [] })).toBe('commit abc')
    expect(describeCandidates({ ...query.candidates, versions: [], commits: [] })).toBe('nothing (the event names no source version)')
  })

  it('says what it found and what it kept', () => {
    const discovery: Discovery = {
      inProgress: 5,
      matched: [batch(ref(1), 'IN_PROGRESS')],
      kept: [
        { batch: batch(ref(2), 'IN_PROGRESS', [], { resolvedSourceVersion: 'abc' }), reason: 'current-head' },
        { batch: batch(ref(3), 'IN_PROGRESS'), reason: 'unknown-commit' }
      ]
    }
    expect(discoveryLines(query, discovery)).toEqual([
      `Found 5 in-progress batch(es) of project app; 1 match: ${ref(1).id}.`,
      `Keeping ${ref(2).id}: it builds the current head abc.`,
      `Keeping ${ref(3).id}: its commit is not known yet, so it may be this run's own batch.`
    ])
    expect(discoveryLines(query, { inProgress: 2, matched: [], kept: [] })).toEqual([
      'No in-progress batch of project app matched (2 in progress, looked for source version pr/42, or commit abc).'
    ])
  })
})

describe('log lines of the guard', () => {
  const identity = { runId: '9001', runAttempt: '1', job: 'build', sha: 'a'.repeat(40), ref: 'refs/heads/main', branch: 'main' }

  it('says what the main step guards', () => {
    expect(guardingLine({ projects: ['app', 'web'], region: 'eu-west-1', startedAt: Date.parse('2026-11-23T10:00:00Z'), batchFile: '/tmp/f', identity })).toBe(
      `Guarding CodeBuild project(s) app, web (eu-west-1): if this job is cancelled, fails or times out, its post step stops every batch recorded in $STOP_CODEBUILD_BATCH_FILE (/tmp/f) and the in-progress batches of these projects that this job starts from 2026-11-23T10:00:00Z on: those carrying GITHUB_RUN_ID 9001, or carrying none and built for ${'a'.repeat(40)} or refs/heads/main or main; never a webhook's or another run's.`
    )
    expect(
      guardingLine({ projects: ['app'], region: 'eu-west-1', startedAt: 0, batchFile: '/tmp/f', identity: { ...identity, runId: '', sha: '', ref: '', branch: '' } })
    ).toContain('that this job starts from 1970-01-01T00:00:00Z on: built for nothing (the run names no commit or ref);')
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
