// Faults, malformed input, hostile text, secrets and size, end to end: dist/index.js under
// Node 24 against the local endpoint. The corpus and the fault matrix are data tables in
// __fixtures__/, so that a new case is one line there.
import { describe, expect, it } from '@jest/globals'
import { BAD_INPUTS } from '../../__fixtures__/bad-inputs.js'
import { FAULT_MATRIX } from '../../__fixtures__/fault-matrix.js'
import type { RunResult } from '../../local-codebuild/run-action.mjs'
import { LOCAL_ACCESS_KEY_ID, LOCAL_SECRET_ACCESS_KEY } from '../../local-codebuild/server.mjs'
import { batchesOf, commandLines, runStep, withEndpoint } from './harness.js'

const FAST = { 'poll-interval': '0.2' }
const STACK_TRACE = /\n\s+at \S|TypeError|ReferenceError/

/** Workflow commands the action itself writes; anything else at a line start is injected. */
const OWN_COMMANDS = /^::(error|warning|debug)::/

function expectNoInjectedCommands(result: RunResult): void {
  for (const line of [...commandLines(result), ...result.stderr.split('\n').filter((l) => l.trimStart().startsWith('::'))]) {
    expect(line).toMatch(OWN_COMMANDS)
  }
}

describe('malformed input', () => {
  it(`has a corpus of at least 30 cases (${BAD_INPUTS.length})`, () => {
    expect(BAD_INPUTS.length).toBeGreaterThanOrEqual(30)
  })

  it.each(BAD_INPUTS)('fails on %s before any request, naming the input', async (_description, inputs, name) => {
    await withEndpoint({}, async (endpoint, url) => {
      const id = endpoint.addBatch({ project: 'app' })
      const given = 'batch-id' in inputs || 'project-name' in inputs ? inputs : { 'batch-id': id, ...inputs }
      const result = await runStep(url, given)

      expect(result.exitCode).toBe(1)
      expect(endpoint.requests).toHaveLength(0)
      expect(result.stdout).toMatch(new RegExp(`^::error::${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'm'))
      expect(`${result.stdout}${result.stderr}`).not.toMatch(STACK_TRACE)
      expectNoInjectedCommands(result)
      expect(result.outputs).toEqual({})
    })
  })

  it('rejects an invalid AWS_REGION before any request, naming the variable', async () => {
    await withEndpoint({}, async (endpoint, url) => {
      const id = endpoint.addBatch({ project: 'app' })
      const result = await runStep(url, { 'batch-id': id }, { env: { AWS_REGION: 'nowhere' } })

      expect(result.exitCode).toBe(1)
      expect(result.stdout).toContain('::error::Environment variable AWS_REGION has an invalid value "nowhere"')
      expect(endpoint.requests).toHaveLength(0)
    })
  })
})

describe('faults', () => {
  it.each(FAULT_MATRIX)('%s', async (_description, count, faults, exitCode, log) => {
    await withEndpoint({ faults: [...faults], seed: 7 }, async (endpoint, url) => {
      const ids = Array.from({ length: count }, () => endpoint.addBatch({ project: 'app', pollsToSettle: 1 }))
      const result = await runStep(url, { 'batch-id': ids.join('\n'), ...FAST })

      expect({ exitCode: result.exitCode, stdout: result.stdout }).toMatchObject({ exitCode })
      expect(batchesOf(result).map((batch) => batch.id)).toEqual(ids)
      if (exitCode === 0) {
        expect(JSON.parse(result.outputs['stopped-ids'])).toEqual(ids)
        for (const id of ids) expect(endpoint.batch(id)?.buildBatchStatus).toBe('STOPPED')
      }
      if (log !== null) expect(result.stdout).toMatch(log)
      expect(`${result.stdout}${result.stderr}`).not.toMatch(STACK_TRACE)
      expect(result.durationMs).toBeLessThan(45_000)
      expect(endpoint.requests.some((request) => request.fault !== undefined)).toBe(true)
    })
  })

  it('stops the 4 batches that exist among 5, fails, and reports all 5', async () => {
    await withEndpoint({}, async (endpoint, url) => {
      const ids = [1, 2, 3, 4].map(() => endpoint.addBatch({ project: 'app', pollsToSettle: 1 }))
      const missing = 'app:00000000-0000-4000-8000-00000000dead'
      const requested = [ids[0], ids[1], missing, ids[2], ids[3]]
      const result = await runStep(url, { 'batch-id': requested.join(','), ...FAST })

      expect(result.exitCode).toBe(1)
      expect(batchesOf(result).map((batch) => [batch.id, batch.result])).toEqual(
        requested.map((id) => [id, id === missing ? 'not-found' : 'stopped'])
      )
      for (const id of ids) expect(endpoint.batch(id)?.buildBatchStatus).toBe('STOPPED')
      expect(result.stdout).toContain(`::error::1 of 5 batch(es) could not be stopped: ${missing}.`)
    })
  })
})

describe('hostile text from the API', () => {
  const HOSTILE = [
    'line\n::add-mask::leaked',
    '::error::injected',
    '%0A::warning::encoded',
    'cr\r::stop-commands::token',
    '| a | b |\n|---|---|',
    '<script>alert(1)</script><img src=x onerror=alert(2)>',
    '[click me](javascript:alert(3)) ![x](https://example.invalid/x.png)',
    '\n\n## Heading injected\n\n'
  ].join(' ')

  it('reaches neither the log as a command nor the summary as markup', async () => {
    await withEndpoint({ faults: [{ kind: 'deny', operation: 'StopBuildBatch', count: 1, message: HOSTILE }] }, async (endpoint, url) => {
      const spec = {
        project: 'app',
        pollsToSettle: 1,
        sourceVersion: HOSTILE,
        initiator: HOSTILE,
        phases: [{ phaseType: 'DOWNLOAD_BATCHSPEC', phaseStatus: 'FAILED', contexts: [{ statusCode: HOSTILE, message: HOSTILE }] }],
        builds: [{ identifier: HOSTILE, dependsOn: [HOSTILE], status: 'IN_PROGRESS' as const }]
      }
      const denied = endpoint.addBatch(spec)
      const stopped = endpoint.addBatch(spec)
      const result = await runStep(url, { 'batch-id': `${denied} ${stopped}`, ...FAST })

      expect(result.exitCode).toBe(1)
      expect(result.stdout).toContain('access denied')
      expectNoInjectedCommands(result)
      expect(result.summary).not.toMatch(/<script|<img|\]\(|^#|^\|/m)
      for (const table of result.summary.match(/<table>[\s\S]*?<\/table>/g) ?? []) {
        expect(table).not.toMatch(/\n\s*\n/)
      }
      expect((result.summary.match(/<table>/g) ?? []).length).toBe((result.summary.match(/<\/table>/g) ?? []).length)
    })
  })

  it('reaches the log escaped in a dry run, which prints source versions', async () => {
    await withEndpoint({}, async (endpoint, url) => {
      const id = endpoint.addBatch({ project: 'app', sourceVersion: HOSTILE })
      const result = await runStep(url, { 'batch-id': id, 'dry-run': 'true' })

      expect(result.exitCode).toBe(0)
      expect(result.stdout).toContain('Dry run: would stop')
      expectNoInjectedCommands(result)
    })
  })
})

describe('secrets', () => {
  it('never prints the secret key or the session token, even with RUNNER_DEBUG', async () => {
    const token = 'FwoGZXIvYXdzEHAaDLOCALSESSIONTOKEN0123456789abcdefSECRET'
    await withEndpoint({ faults: [{ kind: 'deny', operation: 'StopBuildBatch', count: 1 }] }, async (endpoint, url) => {
      const ids = [endpoint.addBatch({ project: 'app', pollsToSettle: 1 }), endpoint.addBatch({ project: 'app', pollsToSettle: 1 })]
      const result = await runStep(
        url,
        { 'batch-id': `${ids.join(' ')} app:00000000-0000-4000-8000-000000000000`, ...FAST },
        { env: { RUNNER_DEBUG: '1', ACTIONS_STEP_DEBUG: 'true', AWS_SESSION_TOKEN: token } }
      )

      expect(result.exitCode).toBe(1)
      expect(endpoint.requestsOf('StopBuildBatch').length).toBeGreaterThanOrEqual(3)
      expect(endpoint.requests.every((request) => request.signed)).toBe(true)
      const everything = [result.stdout, result.stderr, result.summary, JSON.stringify(result.outputs)].join('\n')
      expect(everything).not.toContain(LOCAL_SECRET_ACCESS_KEY)
      expect(everything).not.toContain(token)
      expect(everything).not.toContain(token.slice(0, 20))
      expect(everything).not.toContain(LOCAL_ACCESS_KEY_ID)
    })
  })
})

describe('size', () => {
  it('keeps the summary of 500 batches under 1 MiB and says what it left out', async () => {
    await withEndpoint({}, async (endpoint, url) => {
      const builds = Array.from({ length: 20 }, (_, n) => ({ identifier: `build_${n}`, status: 'IN_PROGRESS' as const }))
      const ids = Array.from({ length: 500 }, () => endpoint.addBatch({ project: 'app', pollsToSettle: 1, builds }))
      const result = await runStep(url, { 'batch-id': ids.join('\n'), ...FAST })

      expect(result.exitCode).toBe(0)
      expect(Buffer.byteLength(result.summary)).toBeLessThan(1024 * 1024)
      expect(result.summary).toMatch(/Details of \d+ of 500 batches were left out/)
      expect(batchesOf(result)).toHaveLength(500)
      expect(endpoint.requestsOf('BatchGetBuildBatches').map((request) => request.body.ids.length)).toEqual([100, 100, 100, 100, 100])
    })
  })
})
