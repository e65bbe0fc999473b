import { describe, expect, it } from '@jest/globals'
import type { BuildBatchPhaseType } from '@aws-sdk/client-codebuild'
import type { BatchRef } from '../src/inputs/batch-ref.js'
import { renderSummary, SUMMARY_BUDGET_BYTES } from '../src/report/render-summary.js'
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

  it('shows one batch with a console link, its facts, phases and build groups, and no overview', () => {
    const html = renderSummary({ outcomes: [stopped], waited: true, waitEnd: 'settled', elapsedMs: 2500 })

    expect(html).toContain('<h2>Stop CodeBuild batch builds: 1 batch</h2>')
    expect(html).toContain('1 stopped. Every batch and all its builds had stopped after 2.5 s.')
    expect(html).toContain(
      `<h3><a href="https://us-east-1.console.aws.amazon.com/codesuite/codebuild/123456789012/projects/app/batch/${encodeURIComponent(ref(1).id)}?region=us-east-1"><code>${ref(1).id}</code></a></h3>`
    )
    expect(html).toContain('<b>Build number:</b> 7')
    expect(html).toContain('<b>Source version:</b> <code>pr/42</code>')
    expect(html).toContain('<b>Initiator:</b> GitHub-Hookshot/abc')
    expect(html).toContain('<tr><td>DOWNLOAD&#95;BATCHSPEC</td><td>SUCCEEDED</td><td>2026-11-23 10:00:00Z</td><td>2026-11-23 10:01:05Z</td><td>1 min 5 s</td><td>OK: batchspec read</td></tr>')
    expect(html).toContain('<tr><td>linux</td><td>lint, unit</td><td>yes</td><td>STOPPED</td><td>app:abcd</td></tr>')
    expect(html).not.toContain('Builds still running')
    expectWellFormedTables(html)
  })

  it('puts an overview table first when there are several batches', () => {
    const failed = outcome(ref(2), 'failed', undefined, 'access denied')
    const html = renderSummary({ outcomes: [stopped, failed], waited: false, elapsedMs: 100 })

    expect(html.indexOf('<th>Builds still running</th>')).toBeLessThan(html.indexOf('<h3>'))
    expect(html).toContain('1 stopped, 1 failed. Did not wait for the builds to stop (wait: false).')
    expect(html).toContain('<b>Error:</b> access denied')
    expectWellFormedTables(html)
  })

  it.each([
    ['aws-cn', 'cn-north-1', 'https://cn-north-1.console.amazonaws.cn/codesuite/codebuild/projects/app/batch/'],
    ['aws-us-gov', 'us-gov-west-1', 'https://us-gov-west-1.console.amazonaws-us-gov.com/codesuite/codebuild/projects/app/batch/']
  ])('links to the console of partition %s', (partition, region, prefix) => {
    const of: BatchRef = { ...ref(1, region), partition }
    expect(renderSummary({ outcomes: [outcome(of, 'not-found', undefined, 'gone')], waited: true, elapsedMs: 0 })).toContain(`<a href="${prefix}`)
  })

  it('links nowhere for a partition without a public console', () => {
    const of: BatchRef = { ...ref(1, 'us-iso-east-1'), partition: 'aws-iso' }
    const html = renderSummary({ outcomes: [outcome(of, 'not-found', undefined, 'gone')], waited: true, elapsedMs: 0 })
    expect(html).not.toContain('<a ')
    expect(html).toContain(`<h3><code>${of.id}</code></h3>`)
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

  it('says what discovery looked for, found and kept, or why it failed', () => {
    const base = { project: 'app', region: 'us-east-1', lookedFor: 'source version pr/42', origin: 'the pull_request event' }
    const found = renderSummary({
      outcomes: [stopped],
      waited: true,
      waitEnd: 'settled',
      elapsedMs: 0,
      discovery: { ...base, inProgress: 9, matched: 1, kept: [{ id: 'app:k1', reason: 'current-head' }, { id: 'app:k2', reason: 'unknown-commit' }] }
    })
    expect(found).toContain('<b>Project <code>app</code> (us-east-1):</b> looked for in-progress batches built for source version pr/42, from the pull&#95;request event. 1 of 9 in-progress batches matched.')
    expect(found).toContain('Kept <code>app:k1</code>: it builds the current head.')
    expect(found).toContain('Kept <code>app:k2</code>: its commit is not known yet.')

    const failed = renderSummary({ outcomes: [], waited: true, waitEnd: 'settled', elapsedMs: 0, discovery: { ...base, kept: [], error: 'access <denied>' } })
    expect(failed).toContain('❌ access &#60;denied&#62;')
    expect(failed).toContain('No batch to stop.')
  })

  it('titles a dry run as such', () => {
    const wouldStop = outcome(ref(1), 'would-stop', batch(ref(1), 'IN_PROGRESS'))
    const html = renderSummary({ outcomes: [wouldStop], waited: false, elapsedMs: 0, dryRun: true })
    expect(html).toContain('<h2>Dry run: Stop CodeBuild batch builds: 1 batch</h2>')
    expect(html).toContain('1 would be stopped. Dry run: no stop was sent.')
    expect(html).toContain('🔎 would stop')
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
    expect(html).toContain('<p><b>Guard of this job</b>, from 2026-11-23T10:00:00Z: the job did not succeed, so the batches it started are stopped.<br>')
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
