// End-to-end: the quiet phase (src/runtime/memory.ts) in the bundled action under Node 24.
// What it saves is measured by `npm run bench`; this proves it is in effect, and that V8
// takes its flags without a word on stderr.
import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runStep, withEndpoint } from './harness.js'

/** A module preloaded into the action's process that prints V8's young generation size as it exits. */
function youngGenerationProbe(): string {
  const probe = join(mkdtempSync(join(tmpdir(), 'young-generation-')), 'probe.mjs')
  writeFileSync(
    probe,
    [
      "import { getHeapSpaceStatistics } from 'node:v8'",
      "process.on('exit', () => process.stderr.write(`new_space=${getHeapSpaceStatistics().find((space) => space.space_name === 'new_space').space_size}\\n`))",
      ''
    ].join('\n')
  )
  return probe
}

describe('memory while stopping and waiting for many batches', () => {
  it('keeps the young generation small once the first answer is in, and prints nothing on stderr', async () => {
    await withEndpoint({}, async (endpoint, url) => {
      const ids = Array.from({ length: 100 }, () => endpoint.addBatch({ project: 'app', pollsToSettle: 1 }))
      const result = await runStep(url, { 'batch-id': ids.join('\n'), 'poll-interval': '0.2' }, { env: { NODE_OPTIONS: `--import=${youngGenerationProbe()}` } })

      expect(result.exitCode).toBe(0)
      expect(result.outputs).toMatchObject({ status: 'STOPPED', complete: 'true' })
      const lines = result.stderr.trim().split('\n')
      expect(lines).toHaveLength(1)
      // V8 grows it to 16 MiB for this run by default; held at its growth factor of 1, it stays at 4 MiB or less.
      const size = Number(/^new_space=(\d+)$/.exec(lines[0])?.[1])
      expect(size).toBeGreaterThan(0)
      expect(size).toBeLessThanOrEqual(4 * 1024 * 1024)
    })
  })
})
