import { describe, expect, it } from '@jest/globals'
import { byOrigin, distinctValues, fieldWords, keepWords, originWords, roleWords, subjectWords } from '../src/report/candidate-words.js'
import type { KeepReason } from '../src/subject/match-batch.js'
import type { Candidate, Candidates, Subject } from '../src/subject/source-candidates.js'

const candidate = (role: Candidate['role'], extra: Partial<Candidate> = {}): Candidate => ({ value: 'v', kind: 'commit', origin: 'event', role, ...extra })
const candidates = (subject: Subject, extra: Partial<Candidates> = {}): Candidates => ({ list: [], head: 'h', eventName: 'pull_request', subject, ...extra })
const REPOSITORY = { serverUrl: 'https://github.com/', repository: 'example/app' }

describe('candidate words', () => {
  it.each<[Candidate, string]>([
    [candidate('pull-request'), 'the pull request'],
    [candidate('pull-request-ref'), 'a ref of the pull request'],
    [candidate('head'), 'the head commit'],
    [candidate('before'), 'the previous head, before'],
    [candidate('test-merge-commit'), "the run's test merge commit, GITHUB_SHA"],
    [candidate('ref'), 'the ref'],
    [candidate('ref-name'), 'the branch or tag name'],
    [candidate('head-branch'), "the pull request's head branch, when its commit is one of the pull request's"],
    [candidate('pull-request-commit', { position: { index: 2, count: 9 } }), 'commit 2 of 9 of the pull request'],
    [candidate('pull-request-commit'), 'a commit of the pull request'],
    [candidate('run-id'), 'the id of the run, as GITHUB_RUN_ID'],
    [candidate('input'), 'a source-version value'],
    [candidate('run-commit'), "the run's commit, GITHUB_SHA"]
  ])('names %j as %p', (given, words) => {
    expect(roleWords(given)).toBe(words)
  })

  it('names origins and fields', () => {
    expect(originWords('event', 'push')).toBe('the push event')
    expect(originWords('event', '')).toBe('the unknown event')
    expect(originWords('pull-request', 'issue_comment')).toBe('the pull request (GitHub API)')
    expect(originWords('pull-request-commits', 'push')).toBe("the pull request's commits (GitHub API)")
    expect(originWords('input', 'push')).toBe('the source-version input')
    expect([fieldWords('sourceVersion'), fieldWords('resolvedSourceVersion'), fieldWords('GITHUB_RUN_ID')]).toEqual([
      'source version',
      'resolved commit',
      'environment variable GITHUB_RUN_ID'
    ])
  })

  it('groups by origin in order, and counts each value once', () => {
    const list = [candidate('head', { value: 'a' }), candidate('pull-request-commit', { value: 'b', origin: 'pull-request-commits' }), candidate('before', { value: 'a' })]
    expect(byOrigin(list).map(([origin, group]) => [origin, group.length])).toEqual([
      ['event', 2],
      ['pull-request-commits', 1]
    ])
    expect(distinctValues(list)).toBe(2)
  })
})

describe('subject words', () => {
  it.each<[Subject, Partial<Candidates>, string]>([
    [{ kind: 'pull-request', number: 42 }, { eventName: 'issue_comment' }, 'The issue_comment event is about pull request #42.'],
    [{ kind: 'run', id: '99' }, { eventName: 'workflow_run' }, 'The workflow_run event is about workflow run 99, the run that triggered this workflow.'],
    [{ kind: 'deleted-ref', ref: 'feature/x' }, { eventName: 'delete', list: [candidate('ref', { value: 'refs/heads/feature/x' })] }, 'The delete event is about the deleted branch feature/x.'],
    [{ kind: 'deleted-ref', ref: 'v1' }, { eventName: 'delete', list: [candidate('ref', { value: 'refs/tags/v1' })] }, 'The delete event is about the deleted tag v1.'],
    [{ kind: 'commit' }, { eventName: 'schedule' }, "The schedule event is about the run's commit and ref."],
    [{ kind: 'merge-group' }, { eventName: 'merge_group' }, 'The merge_group event is about the merge group.'],
    [{ kind: 'input' }, {}, 'The source-version input names what to look for.'],
    [{ kind: 'none', why: 'issue #7 is not a pull request' }, { eventName: 'issues' }, 'The issues event is about nothing whose batches can be told: issue #7 is not a pull request.'],
    [{ kind: 'none', why: 'x' }, { eventName: '' }, 'The unknown event is about nothing whose batches can be told: x.']
  ])('says %j', (subject, extra, words) => {
    expect(subjectWords(candidates(subject, extra))).toBe(words)
  })
})

describe('keep words', () => {
  const pullRequest = candidates({ kind: 'pull-request', number: 42 }, { head: 'h1' })
  it.each<[KeepReason, string]>([
    [{ code: 'current-head', commit: 'h1' }, 'it builds the current head h1'],
    [{ code: 'unknown-commit' }, "its commit is not known yet, so it may be this run's own batch"],
    [{ code: 'newer-commit', commit: 'n' }, "its commit n comes after the run's head h1 among the pull request's commits: it is newer, not superseded"],
    [
      { code: 'unknown-age', commit: 'o' },
      "its commit o is not known to be older than the run's head h1 (it is neither before nor listed ahead of the head among the pull request's commits)"
    ],
    [{ code: 'other-ref', sourceVersion: 'pr/43', commit: 'h1' }, "it was started for pr/43, not for this run's pull request, branch or tag, although it built this run's commit h1"],
    [
      { code: 'no-source-version', commit: 'h1' },
      "it was started without a source version, so it builds the project's default branch, and whose that is cannot be told, although it built this run's commit h1"
    ],
    [
      { code: 'head-branch-commit-unknown', branch: 'feature/x' },
      "it was started for the pull request's head branch feature/x, and its commit is not known yet, so whether it is one of the pull request's cannot be told"
    ],
    [{ code: 'head-branch-other-commit', branch: 'feature/x', commit: 'o' }, "it was started for the pull request's head branch feature/x, but its commit o is not one of the pull request's"],
    [
      { code: 'other-repository', verdict: 'another', type: 'GITHUB', location: 'https://github.com/other/app.git' },
      "its source is the GITHUB repository https://github.com/other/app.git, not this run's repository https://github.com/example/app"
    ],
    [{ code: 'other-repository', verdict: 'no-location', type: 'GITHUB', location: '' }, 'its GITHUB source names no repository, so whose it is cannot be told'],
    [{ code: 'other-run', runId: '7' }, "it carries GITHUB_RUN_ID 7, another run's"]
  ])('says why %j is kept', (reason, words) => {
    expect(keepWords(reason, pullRequest, REPOSITORY)).toBe(words)
  })

  it("says when the run's head or repository is not known", () => {
    expect(keepWords({ code: 'unknown-age', commit: 'o' }, { ...pullRequest, head: undefined }, REPOSITORY)).toBe(
      "the run's head commit is not known, so its commit o is not known to be older"
    )
    const reason = { code: 'other-repository', verdict: 'unknown-run-repository', type: 'GITHUB', location: 'https://github.com/example/app' } as const
    expect(keepWords(reason, pullRequest, { serverUrl: 'https://github.com', repository: '' })).toBe(
      "this run's repository is not known (GITHUB_REPOSITORY is not set), so whether its source https://github.com/example/app is this run's cannot be told"
    )
  })
})
