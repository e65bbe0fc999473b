import { describe, expect, it } from '@jest/globals'
import {
  BatchGetBuildBatchesCommand,
  CodeBuildClient,
  StopBuildBatchCommand,
  type BuildBatch,
  type BuildBatchPhaseType
} from '@aws-sdk/client-codebuild'
import { loadContract } from '../local-codebuild/contract.mjs'
import { createLocalCodeBuild, LOCAL_ACCESS_KEY_ID, LOCAL_SECRET_ACCESS_KEY, type BatchSpec } from '../local-codebuild/server.mjs'
import { isSettled } from '../src/codebuild/batch-outcome.js'
import type { BatchRef } from '../src/inputs/batch-ref.js'
import { renderSummary, SUMMARY_BUDGET_BYTES } from '../src/report/render-summary.js'
import { candidatesFromEvent } from '../src/subject/event-subjects.js'
import { withPullRequestCommits } from '../src/subject/source-candidates.js'
import { expectContractKept } from './e2e/harness.js'
import { batch, outcome, ref } from './fixtures.js'

const HOSTILE = 'x\n\n## injected\n<script>alert(1)</script> [click](javascript:alert(1)) | a | b |\n::error::boom'

/** Every table is whole: no blank line inside, and each row has as many cells as headers. */
function expectWellFormedTables(html: string): void {
  const tables = html.match(/<table>[\s\S]*?<\/table>/g) ?? []
  expect(tables.length).toBe((html.match(/<table>/g) ?? []).length)
  for (const table of tables) {
    expect(table).not.toMatch(/\n\s*\n/)
    const headers = (table.match(/<th>/g) ?? []).length
    for (const row of table.match(/<tr><td>[\s\S]*?<\/tr>/g) ?? []) {
      expect((row.match(/<td>/g) ?? []).length).toBe(headers)
    }
  }
}

describe('renderSummary', () => {
  const stopped = outcome(
    ref(1),
    'stopped',
    batch(ref(1), 'STOPPED', ['STOPPED', 'STOPPED'], {
      sourceVersion: 'pr/42',
      initiator: 'GitHub-Hookshot/abc',
      phases: [
        {
          phaseType: 'DOWNLOAD_BATCHSPEC',
          phaseStatus: 'SUCCEEDED',
          startTime: new Date('2026-11-23T10:00:00Z'),
          endTime: new Date('2026-11-23T10:01:05Z'),
          durationInSeconds: 65,
          contexts: [{ statusCode: 'OK', message: 'batchspec read' }]
        }
      ],
      buildGroups: [
        {
          identifier: 'linux',
          dependsOn: ['lint', 'unit'],
          ignoreFailure: true,
          currentBuildSummary: { arn: 'arn:aws:codebuild:us-east-1:123456789012:build/app:abcd', buildStatus: 'STOPPED' }
        }
      ]
    })
  )

  const consoleUrl = `https://us-east-1.console.aws.amazon.com/codesuite/codebuild/123456789012/projects/app/batch/${encodeURIComponent(ref(1).id)}?region=us-east-1`

  it('shows one batch: the overview row, then its open details with a console link, facts, phases and build groups', () => {
    const html = renderSummary({ outcomes: [stopped], waited: true, waitEnd: 'settled', elapsedMs: 2500 })

    expect(html).toContain('<h2>Stop CodeBuild batch builds: 1 batch</h2>')
    expect(html).toContain('1 stopped. Every batch and all its builds had stopped after 2.5 s.')
    expect(html).toContain(`<tr><td><a href="${consoleUrl}"><code>${ref(1).id}</code></a></td><td>⏹️ stopped</td>`)
    expect(html).toContain(`<details open><summary><code>${ref(1).id}</code>: ⏹️ stopped</summary>\n<p><a href="${consoleUrl}">CodeBuild console</a> · `)
    expect(html.indexOf('<table>')).toBeLessThan(html.indexOf('<details'))
    expect(html).toContain('<b>Build number:</b> 7')
    expect(html).toContain('<b>Source version:</b> <code>pr/42</code>')
    expect(html).toContain('<b>Initiator:</b> GitHub-Hookshot/abc')
    // Times and durations never wrap in their cells: non-breaking spaces and hyphens.
    expect(html).toContain(
      '<tr><td>DOWNLOAD&#95;BATCHSPEC</td><td>SUCCEEDED</td><td>2026&#8209;11&#8209;23&nbsp;10:00:00Z</td><td>2026&#8209;11&#8209;23&nbsp;10:01:05Z</td><td>1&nbsp;min&nbsp;5&nbsp;s</td><td>OK: batchspec read</td></tr>'
    )
    expect(html).toContain('<tr><td>linux</td><td>lint, unit</td><td>yes</td><td>STOPPED</td><td>app:abcd</td></tr>')
    expectWellFormedTables(html)
  })

  it('collapses each batch of several under the overview table', () => {
    const outcomes = [1, 2, 3].map((n) => outcome(ref(n), 'stopped', batch(ref(n), 'STOPPED', ['STOPPED'])))
    const html = renderSummary({ outcomes, waited: true, waitEnd: 'settled', elapsedMs: 0 })

    expect((html.match(/<details><summary>/g) ?? []).length).toBe(3)
    expect(html).not.toContain('<details open>')
    expect(html.indexOf('<th>Builds still running</th>')).toBeLessThan(html.indexOf('<details>'))
    for (const section of html.match(/<details>[\s\S]*?<\/details>/g) ?? []) expect(section).not.toMatch(/\n\s*\n/)
  })

  it('shows a batch that had failed before as already finished with its status, without a success mark', () => {
    const failedBefore = outcome(ref(1), 'already-complete', batch(ref(1), 'FAILED', ['FAILED' as 'STOPPED']))
    const html = renderSummary({ outcomes: [failedBefore], waited: true, waitEnd: 'settled', elapsedMs: 0 })

    expect(html).toContain('<td>🏁 already finished: FAILED</td>')
    expect(html).toContain('1 already finished. Nothing was running, so nothing was stopped.')
    expect(html).not.toMatch(/✅|☑|✔/)
  })

  it.each<[string, Parameters<typeof renderSummary>[0]['outcomes'], string]>([
    ['every batch not found', [outcome(ref(1), 'not-found', undefined, 'gone')], '<p>1 not found. No batch was stopped.</p>'],
    ['every stop refused', [outcome(ref(1), 'failed', undefined, 'denied'), outcome(ref(2), 'failed', undefined, 'denied')], '<p>2 could not be stopped. No batch was stopped.</p>'],
    [
      'one of two stops refused',
      [outcome(ref(1), 'failed', undefined, 'denied'), outcome(ref(2), 'stopped', batch(ref(2), 'STOPPED', ['STOPPED']))],
      '<p>1 stopped, 1 could not be stopped. 1 of 2 batches and all their builds had stopped after 0.0 s; the other 1 were not stopped.</p>'
    ]
  ])('says what happened, and that every batch stopped only when so: %s', (_case, outcomes, headline) => {
    const html = renderSummary({ outcomes, waited: true, waitEnd: 'settled', elapsedMs: 0 })

    expect(html).toContain(headline)
    expect(html).not.toContain('Every batch and all its builds had stopped')
  })

  it('lists each cause once, naming its batches, and links no batch that does not exist', () => {
    const outcomes = [
      outcome(ref(1), 'failed', undefined, 'no AWS credentials were found.'),
      outcome(ref(2), 'failed', undefined, 'no AWS credentials were found.'),
      outcome(ref(3), 'not-found', undefined, 'gone')
    ]
    const html = renderSummary({ outcomes, waited: true, waitEnd: 'settled', elapsedMs: 0 })

    // Parentheses are escaped like any text from outside this action.
    expect(html).toContain(`<li>Could not stop 2 batches &#40;${ref(1).id}, ${ref(2).id}&#41;: no AWS credentials were found.</li>`)
    expect(html.match(/<li>/g)).toHaveLength(2)
    expect(html).toContain(`<tr><td><code>${ref(3).id}</code></td><td>❓ not found</td>`)
    expect(html).not.toContain(encodeURIComponent(ref(3).id))
  })

  it('puts an overview table first when there are several batches', () => {
    const failed = outcome(ref(2), 'failed', undefined, 'access denied')
    const html = renderSummary({ outcomes: [stopped, failed], waited: false, elapsedMs: 100 })

    expect(html.indexOf('<th>Builds still running</th>')).toBeLessThan(html.indexOf('<details>'))
    expect(html).toContain('1 stopped, 1 could not be stopped. Did not wait for the builds to stop (wait: false).')
    expect(html).toContain('<b>Error:</b> access denied')
    expectWellFormedTables(html)
  })

  it.each([
    ['aws-cn', 'cn-north-1', 'https://cn-north-1.console.amazonaws.cn/codesuite/codebuild/projects/app/batch/'],
    ['aws-us-gov', 'us-gov-west-1', 'https://us-gov-west-1.console.amazonaws-us-gov.com/codesuite/codebuild/projects/app/batch/']
  ])('links to the console of partition %s', (partition, region, prefix) => {
    const of: BatchRef = { ...ref(1, region), partition }
    expect(renderSummary({ outcomes: [outcome(of, 'stopped')], waited: true, elapsedMs: 0 })).toContain(`<a href="${prefix}`)
  })

  it('links nowhere for a partition without a public console', () => {
    const of: BatchRef = { ...ref(1, 'us-iso-east-1'), partition: 'aws-iso' }
    const html = renderSummary({ outcomes: [outcome(of, 'stopped')], waited: true, elapsedMs: 0 })
    expect(html).not.toContain('<a ')
    expect(html).toContain(`<tr><td><code>${of.id}</code></td>`)
  })

  it.each<['timed-out' | 'interrupted' | 'unconfirmed', string]>([
    ['unconfirmed', 'whether their builds stopped is unknown'],
    ['timed-out', 'Gave up waiting after 3.0 s'],
    ['interrupted', 'The step was cancelled after 3.0 s while waiting']
  ])('says so when waiting ended %s', (waitEnd, text) => {
    expect(renderSummary({ outcomes: [stopped], waited: true, waitEnd, elapsedMs: 3000 })).toContain(text)
  })

  it('keeps hostile API text inert: no markup, no link, no broken table', () => {
    const hostile = outcome(
      ref(1),
      'failed',
      batch(ref(1), 'STOPPED', ['IN_PROGRESS'], {
        sourceVersion: HOSTILE,
        initiator: HOSTILE,
        phases: [{ phaseType: HOSTILE as BuildBatchPhaseType, contexts: [{ statusCode: HOSTILE, message: HOSTILE }] }],
        buildGroups: [{ identifier: HOSTILE, dependsOn: [HOSTILE], currentBuildSummary: { arn: HOSTILE } }]
      }),
      HOSTILE
    )
    const html = renderSummary({ outcomes: [hostile, stopped], waited: true, waitEnd: 'settled', elapsedMs: 0 })

    expect(html).not.toContain('<script')
    expect(html).not.toContain('](')
    expect(html).not.toMatch(/^\s*(##|::|\|)/m)
    expectWellFormedTables(html)
  })

  it('stays under 1 MiB for 500 large batches and says what it left out', () => {
    const long = 'a long context message '.repeat(20)
    const outcomes = Array.from({ length: 500 }, (_, n) =>
      outcome(
        ref(n),
        'stopped',
        batch(ref(n), 'STOPPED', Array.from({ length: 20 }, () => 'STOPPED' as const), {
          phases: Array.from({ length: 6 }, () => ({ phaseType: 'IN_PROGRESS', contexts: [{ message: long }] }))
        })
      )
    )
    const html = renderSummary({ outcomes, waited: true, waitEnd: 'settled', elapsedMs: 0 })

    expect(Buffer.byteLength(html)).toBeLessThanOrEqual(SUMMARY_BUDGET_BYTES)
    expect(Buffer.byteLength(html)).toBeLessThan(1024 * 1024)
    expect(html).toMatch(/Details of \d+ of 500 batches were left out/)
    expect((html.match(/<tr><td><a /g) ?? []).length).toBe(500)
    expectWellFormedTables(html)
  })

  it('cuts the overview too when even one row per batch does not fit', () => {
    const outcomes = Array.from({ length: 3000 }, (_, n) => outcome(ref(n), 'stopped', batch(ref(n), 'STOPPED')))
    const html = renderSummary({ outcomes, waited: true, waitEnd: 'settled', elapsedMs: 0 })

    expect(Buffer.byteLength(html)).toBeLessThanOrEqual(SUMMARY_BUDGET_BYTES)
    expect(html).toMatch(/\d+ more batches are not listed here/)
    expectWellFormedTables(html)
  })

  it('says what discovery looked for, where each candidate came from, what it found and kept, or why it failed', () => {
    const event = candidatesFromEvent(
      {
        eventName: 'pull_request_target',
        sha: 'm',
        ref: 'r',
        repository: 'example/app',
        serverUrl: 'https://github.com',
        payload: { number: 42, pull_request: { number: 42, head: { sha: 'abc' } } }
      },
      { supersededOnly: false }
    )
    const candidates = withPullRequestCommits(event, ['first', 'second', 'abc'])
    const base = { project: 'app', region: 'us-east-1', candidates, pullRequestCommits: { state: 'listed', pullRequest: 42, count: 3, calls: 1 } as const }
    const found = renderSummary({
      outcomes: [stopped],
      waited: true,
      waitEnd: 'settled',
      elapsedMs: 0,
      discovery: {
        ...base,
        inProgress: 9,
        matched: 1,
        matches: new Map([[ref(1).id, { candidate: candidates.list[4], field: 'resolvedSourceVersion' }]]),
        kept: [
          { id: 'app:k1', reason: 'it builds the current head abc' },
          { id: 'app:k2', reason: `its source is the GITHUB repository ${HOSTILE}` }
        ]
      }
    })
    expect(found).toContain(
      '<b>Project <code>app</code> (us-east-1):</b> looked for in-progress batches built for the candidates from the pull&#95;request&#95;target event: <code>pr/42</code> (the pull request), ' +
        '<code>refs/pull/42/head</code> (a ref of the pull request), <code>refs/pull/42/merge</code> (a ref of the pull request), <code>abc</code> (the head commit); ' +
        'and from the pull request&#39;s commits &#40;GitHub API&#41;: 3 commit(s) of pull request #42 listed in 1 request(s), from the oldest <code>first</code> to the newest <code>abc</code>. 1 of 9 in-progress batches matched.'
    )
    expect(found).toContain('<b>Matched:</b> resolved commit <code>first</code>, commit 1 of 3 of the pull request, from the pull request&#39;s commits &#40;GitHub API&#41;')
    expect(found).toContain('Kept <code>app:k1</code>: it builds the current head abc.')
    expect(found).toContain('Kept <code>app:k2</code>: its source is the GITHUB repository x<br><br>&#35;&#35; injected')
    expect(found).not.toContain('<script>')

    const failed = renderSummary({
      outcomes: [],
      waited: true,
      waitEnd: 'settled',
      elapsedMs: 0,
      discovery: { ...base, candidates: event, pullRequestCommits: { state: 'failed', pullRequest: 42, reason: `HTTP 403: ${HOSTILE}`, calls: 1 }, kept: [], error: 'access <denied>' }
    })
    expect(failed).toContain('❌ access &#60;denied&#62;')
    expect(failed).toContain('⚠️ The commits of pull request #42 could not be listed with the GitHub API: HTTP 403: x<br><br>&#35;&#35; injected')
    expect(failed).toContain('Add <code>permissions: pull-requests: read</code> to the job')
    expect(failed).not.toContain('<script>')
    expect(failed).toContain('No batch to stop.')

    const cancelled = renderSummary({
      outcomes: [],
      waited: true,
      elapsedMs: 0,
      discovery: { ...base, candidates: event, pullRequestHead: { state: 'cancelled', pullRequest: 42, calls: 1 }, pullRequestCommits: { state: 'cancelled', pullRequest: 42, calls: 1 }, kept: [] }
    })
    expect(cancelled).toContain("<br>⚠️ The step was cancelled before the commits of pull request #42 were listed; only the event's own candidates were looked for.")
    expect(cancelled).toContain('<br>⚠️ The step was cancelled before pull request #42 was read; its head commit and branch were not looked for.')

    const unread = renderSummary({
      outcomes: [],
      waited: true,
      elapsedMs: 0,
      discovery: { ...base, candidates: event, pullRequestHead: { state: 'failed', pullRequest: 42, reason: `HTTP 404: ${HOSTILE}`, calls: 1 }, kept: [] }
    })
    expect(unread).toContain('<br>⚠️ Pull request #42 could not be read with the GitHub API: HTTP 404: x<br><br>&#35;&#35; injected')
    expect(unread).toContain('its head commit and branch were not looked for.')

    const none = { list: [], head: undefined, eventName: 'issues', subject: { kind: 'none', why: '' } } as const
    const nothing = renderSummary({ outcomes: [], waited: true, elapsedMs: 0, discovery: { ...base, candidates: none, pullRequestCommits: undefined, kept: [] } })
    expect(nothing).toContain('built for nothing (the event names no source version).')
  })

  it('shows one pull request commit by itself', () => {
    const candidates = withPullRequestCommits({ list: [], head: undefined, eventName: 'pull_request', subject: { kind: 'pull-request', number: 1 } }, ['only'])
    const html = renderSummary({ outcomes: [], waited: true, elapsedMs: 0, discovery: { project: 'app', region: 'us-east-1', candidates, kept: [] } })
    expect(html).toContain('1 commit(s) of pull request #? listed in 0 request(s), <code>only</code>.')
  })

  it('titles a dry run as such', () => {
    const wouldStop = outcome(ref(1), 'would-stop', batch(ref(1), 'IN_PROGRESS'))
    const html = renderSummary({ outcomes: [wouldStop], waited: false, elapsedMs: 0, dryRun: true })
    expect(html).toContain('<h2>Dry run: Stop CodeBuild batch builds: 1 batch</h2>')
    expect(html).toContain('1 would be stopped. Dry run: no stop was sent.')
    expect(html).toContain('🔎 would stop')
  })

  it('reports a stop that had no answer when the runner ended the step as requested, not confirmed', () => {
    const requested = outcome(ref(2), 'requested')
    const html = renderSummary({ outcomes: [stopped, requested], waited: true, waitEnd: 'interrupted', elapsedMs: 8000 })
    expect(html).toContain('1 stopped, 1 requested and not confirmed.')
    expect(html).toContain('<td>📨 requested, not confirmed</td>')
    expect(html).toContain('<b>Result:</b> 📨 requested, not confirmed')
    const unanswered = renderSummary({ outcomes: [requested], waited: true, waitEnd: 'interrupted', elapsedMs: 8000 })
    expect(unanswered).toContain('1 requested and not confirmed. No stop was confirmed before the runner ended the step.')
  })
})

describe('renderSummary of the guard', () => {
  const guard = {
    since: Date.parse('2026-11-23T10:00:00Z'),
    recorded: 1,
    malformed: 2,
    fileUnreadable: false,
    projects: [
      { project: 'app', region: 'us-east-1', inProgress: 4, owned: [{ id: ref(1).id, reason: 'carries this run' }], kept: [{ id: ref(2).id, reason: `a webhook started it (${HOSTILE})` }], startedBefore: 2 },
      { project: 'web', region: 'us-east-1', inProgress: 0, owned: [], kept: [], startedBefore: 0, error: `Could not list: ${HOSTILE}` }
    ]
  }

  it('says what the guard looked at, what it kept and why each batch was stopped, with API text made inert', () => {
    const html = renderSummary({
      outcomes: [outcome(ref(1), 'stopped', batch(ref(1), 'STOPPED'))],
      waited: true,
      waitEnd: 'settled',
      elapsedMs: 1000,
      guard,
      reasons: new Map([[`us-east-1/${ref(1).id}`, `started by ${HOSTILE}`]])
    })
    expect(html).toContain('<p><b>Guard of this job</b>, from 2026-11-23 10:00:00Z: the job did not succeed, so the batches it started are stopped.<br>')
    expect(html).toContain('Recorded in <code>$STOP_CODEBUILD_BATCH_FILE</code>: 1 batch (⚠️ 2 malformed lines skipped).')
    expect(html).toContain('Project <code>app</code> (us-east-1): 1 of 4 in-progress batches were started by this job; 2 started before the guard.')
    expect(html).toContain(`<br>Kept <code>${ref(2).id}</code>: a webhook started it &#40;x<br><br>&#35;&#35; injected<br>&#60;script&#62;`)
    expect(html).toContain('Project <code>web</code> (us-east-1): ❌ Could not list: x<br>')
    expect(html).toContain('<p><b>Why:</b> started by x<br><br>&#35;&#35; injected')
    expect(html).not.toContain('<script>')
    expect(html).not.toMatch(/\n\s*\n(?!<)/)
    expectWellFormedTables(html)
  })

  it('says when the file of recorded batches could not be read', () => {
    const html = renderSummary({ outcomes: [], waited: true, elapsedMs: 0, guard: { ...guard, fileUnreadable: true, projects: [] } })
    expect(html).toContain('⚠️ <code>$STOP_CODEBUILD_BATCH_FILE</code> could not be read (see the log).')
    expect(html).toContain('No batch to stop.')
  })
})

describe('renderSummary with the shapes CodeBuild sends', () => {
  /** The batches as the real SDK reads them from the local endpoint, after `act`. */
  async function fromEndpoint(
    specs: readonly BatchSpec[],
    act: (client: CodeBuildClient, ids: string[]) => Promise<void>
  ): Promise<BuildBatch[]> {
    const endpoint = createLocalCodeBuild({ contract: loadContract() })
    const url = await endpoint.listen()
    const client = new CodeBuildClient({
      region: 'us-east-1',
      endpoint: url,
      credentials: { accessKeyId: LOCAL_ACCESS_KEY_ID, secretAccessKey: LOCAL_SECRET_ACCESS_KEY }
    })
    try {
      const ids = specs.map((spec) => endpoint.addBatch(spec))
      await act(client, ids)
      const { buildBatches } = await client.send(new BatchGetBuildBatchesCommand({ ids }))
      return buildBatches ?? []
    } finally {
      client.destroy()
      await endpoint.close()
      expectContractKept(endpoint)
    }
  }

  /** Stops every batch and polls until each has settled, as the action does. */
  async function stopAndSettle(client: CodeBuildClient, ids: string[]): Promise<void> {
    for (const id of ids) await client.send(new StopBuildBatchCommand({ id }))
    for (let poll = 0; poll < 10; poll++) {
      const { buildBatches } = await client.send(new BatchGetBuildBatchesCommand({ ids }))
      if ((buildBatches ?? []).every(isSettled)) return
    }
    throw new Error('the batches did not settle')
  }

  /** The text of one column of every row of the tables with that header. */
  function column(html: string, header: string, name: string): string[] {
    const tables = (html.match(/<table>[\s\S]*?<\/table>/g) ?? []).filter((table) => table.includes(`<th>${header}</th>`))
    return tables.flatMap((table) => {
      const headers = [...table.matchAll(/<th>(.*?)<\/th>/g)].map((match) => match[1])
      const index = headers.indexOf(name)
      return (table.match(/<tr><td>.*<\/tr>/g) ?? []).map((row) => [...row.matchAll(/<td>(.*?)<\/td>/g)][index][1])
    })
  }

  it('reads as finished once the batch has settled: source group, retried builds, final phase, no source version', async () => {
    const [settled] = await fromEndpoint(
      [
        {
          project: 'app',
          sourceVersion: null,
          pollsToSettle: 1,
          builds: [
            { identifier: 'DOWNLOAD_SOURCE', status: 'SUCCEEDED' },
            { identifier: 'linux_small', status: 'IN_PROGRESS', priorStatuses: ['FAILED', 'FAULT'] },
            { identifier: 'linux_medium', status: 'PENDING', dependsOn: ['linux_small'] }
          ]
        }
      ],
      stopAndSettle
    )
    const html = renderSummary({ outcomes: [outcome(ref(1), 'stopped', settled)], waited: true, waitEnd: 'settled', elapsedMs: 1000 })

    expect(column(html, 'Build group', 'Build group')).toEqual(['DOWNLOAD&#95;SOURCE', 'linux&#95;small', 'linux&#95;medium'])
    expect(column(html, 'Build group', 'Depends on')).toEqual(['', '', 'linux&#95;small'])
    expect(column(html, 'Build group', 'Build status')).toEqual([
      'SUCCEEDED',
      'STOPPED (after 2 earlier attempts: FAILED, FAULT)',
      'STOPPED'
    ])
    expect(column(html, 'Duration', 'Phase')).toEqual(['SUBMITTED', 'DOWNLOAD&#95;BATCHSPEC', 'IN&#95;PROGRESS', 'STOPPED'])
    expect(column(html, 'Duration', 'Status')).toEqual(['SUCCEEDED', 'SUCCEEDED', 'STOPPED', '<em>final</em>'])
    expect(html).toContain('<b>Source version:</b> <em>none</em> · <b>Commit:</b> <code>')
    expect(html).toContain('<b>Builds settled:</b> yes')
    expect(html).toMatch(/<b>Ended:<\/b> \d{4}&#8209;\d\d&#8209;\d\d&nbsp;\d\d:\d\d:\d\dZ/)
    expect(html).not.toMatch(/IN&#95;PROGRESS<\/td><td>(<em>current<\/em>)?<\/td>|PENDING|current|yet/)
    expectWellFormedTables(html)
  })

  it('says a batch stopped before its batch spec was read had no build groups and no commit', async () => {
    const batches = await fromEndpoint(
      [
        { project: 'app', phase: 'SUBMITTED' },
        { project: 'app', phase: 'DOWNLOAD_BATCHSPEC', stopBehaviour: 'gradual', pollsToSettle: 1 }
      ],
      stopAndSettle
    )
    const html = renderSummary({
      outcomes: batches.map((state, n) => outcome(ref(n + 1), 'stopped', state)),
      waited: true,
      waitEnd: 'settled',
      elapsedMs: 1000
    })

    expect(html.match(/CodeBuild reports no build groups for this batch\./g)).toHaveLength(2)
    expect(html.match(/<b>Commit:<\/b> <em>none<\/em>/g)).toHaveLength(2)
    expect(column(html, 'Duration', 'Phase')).toEqual(['SUBMITTED', 'STOPPED', 'SUBMITTED', 'DOWNLOAD&#95;BATCHSPEC', 'STOPPED'])
    expect(column(html, 'Duration', 'Status')).toEqual(['STOPPED', '<em>final</em>', 'SUCCEEDED', 'STOPPED', '<em>final</em>'])
    expect(html).not.toMatch(/current|yet/)
    expectWellFormedTables(html)
  })

  it('says what a running batch does not have yet', async () => {
    const [running] = await fromEndpoint([{ project: 'app', phase: 'DOWNLOAD_BATCHSPEC' }], async () => undefined)
    const html = renderSummary({ outcomes: [outcome(ref(1), 'would-stop', running)], waited: false, elapsedMs: 0, dryRun: true })

    expect(html).toContain('CodeBuild reports no build groups for this batch yet.')
    expect(html).toContain('<b>Commit:</b> <em>not known yet</em>')
    expect(column(html, 'Duration', 'Status')).toEqual(['SUCCEEDED', '<em>current</em>'])
  })
})
