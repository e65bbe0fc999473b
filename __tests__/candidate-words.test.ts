import { describe, expect, it } from '@jest/globals'
import { byOrigin, distinctValues, fieldWords, originWords, roleWords } from '../src/report/candidate-words.js'
import type { Candidate } from '../src/subject/source-candidates.js'

const candidate = (role: Candidate['role'], extra: Partial<Candidate> = {}): Candidate => ({ value: 'v', kind: 'commit', origin: 'event', role, ...extra })

describe('candidate words', () => {
  it.each<[Candidate, string]>([
    [candidate('pull-request'), 'the pull request'],
    [candidate('head'), 'the head commit'],
    [candidate('before'), 'the previous head, before'],
    [candidate('ref'), 'the ref'],
    [candidate('ref-name'), 'the branch or tag name'],
    [candidate('pull-request-commit', { position: { index: 2, count: 9 } }), 'commit 2 of 9 of the pull request'],
    [candidate('pull-request-commit'), 'a commit of the pull request'],
    [candidate('input'), 'a source-version value']
  ])('names %j as %p', (given, words) => {
    expect(roleWords(given)).toBe(words)
  })

  it('names origins and fields', () => {
    expect(originWords('event', 'push')).toBe('the push event')
    expect(originWords('event', '')).toBe('the unknown event')
    expect(originWords('pull-request-commits', 'push')).toBe("the pull request's commits (GitHub API)")
    expect(originWords('input', 'push')).toBe('the source-version input')
    expect([fieldWords('sourceVersion'), fieldWords('resolvedSourceVersion')]).toEqual(['source version', 'resolved commit'])
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
