// End-to-end: what a stop by id loads, in the bundled action under Node 24. A cancellation
// step has seconds; the code for finding batches, for the guard and for the GitHub API must
// cost it nothing. How long start-up takes is measured by `npm run bench`, not here.
import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ROOT, type RunResult } from '../../local-codebuild/run-action.mjs'
import { runStep, withEndpoint } from './harness.js'

const DIST = join(ROOT, 'dist')

/**
 * Names that only the code of one feature puts in dist/: class and function names survive
 * the bundle's minifying (scripts/optimize-bundle.mjs keeps them), and the guard's ownership
 * rule has a reason code of its own.
 */
const FEATURE_MARKERS: Record<string, RegExp> = {
  'finding batches (codebuild/discover-batches.ts)': /\bDiscoveryError\b/,
  'the pull request lookup (github/)': /\bPullRequestLookupError\b/,
  'Octokit and its HTTP client': /\bOctokit\b/,
  "the run's event (@actions/github's Context)": /\bclass Context\b/,
  "the guard's ownership rule (subject/job-ownership.ts)": /no-start-time/
}

/** A module preloaded into the action's process that prints, as it exits, the files and the built-in modules it loaded. */
function loadProbe(): string {
  const probe = join(mkdtempSync(join(tmpdir(), 'load-probe-')), 'probe.mjs')
  writeFileSync(
    probe,
    [
      "import { registerHooks } from 'node:module'",
      'const files = []',
      'registerHooks({ load(url, context, nextLoad) { files.push(url); return nextLoad(url, context) } })',
      "const builtins = () => process.moduleLoadList.filter((name) => name.startsWith('NativeModule ')).map((name) => name.slice('NativeModule '.length))",
      "process.on('exit', () => process.stderr.write(`${JSON.stringify({ files, builtins: builtins() })}\\n`))",
      ''
    ].join('\n')
  )
  return probe
}

function loaded(result: RunResult): { files: string[]; builtins: string[] } {
  const { files, builtins } = JSON.parse(result.stderr.trim().split('\n').at(-1) ?? '{}') as { files: string[]; builtins: string[] }
  return { files: files.filter((url) => url.startsWith('file:')).map((url) => fileURLToPath(url)), builtins }
}

function featuresIn(file: string): string[] {
  const code = readFileSync(file, 'utf8')
  return Object.entries(FEATURE_MARKERS)
    .filter(([, marker]) => marker.test(code))
    .map(([feature]) => feature)
}

describe('what a stop by id loads', () => {
  it('has each marker in dist/, so that the checks below can fail', () => {
    const files = readdirSync(DIST, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.js'))
    const found = new Set(files.flatMap((name) => featuresIn(join(DIST, name))))
    expect([...found].sort()).toEqual(Object.keys(FEATURE_MARKERS).sort())
  })

  // node:v8 too: a stop of one batch does not enter the quiet phase (runtime/memory.ts).
  it('reads no code of discovery, the guard or the GitHub API, and no built-in module it does not use', async () => {
    await withEndpoint({}, async (endpoint, url) => {
      const id = endpoint.addBatch({ project: 'app' })
      const result = await runStep(url, { 'batch-id': id, wait: 'false' }, { env: { NODE_OPTIONS: `--import=${loadProbe()}` } })

      expect(result.exitCode).toBe(0)
      const { files, builtins } = loaded(result)
      const dist = files.filter((file) => file.startsWith(DIST))
      expect(dist.length).toBeGreaterThanOrEqual(2)
      expect(dist.filter((file) => !file.startsWith(join(DIST, 'index.js')) && !/\/\d+\.index\.js$/.test(file))).toEqual([])
      expect(dist.flatMap((file) => featuresIn(file).map((feature) => `${file}: ${feature}`))).toEqual([])
      expect(builtins.filter((name) => ['http2', 'zlib', 'child_process', 'assert', 'worker_threads', 'v8'].includes(name))).toEqual([])
    })
  })

  it('does read the discovery code when it searches a project, as the markers say', async () => {
    await withEndpoint({ projects: ['app'] }, async (_endpoint, url) => {
      const result = await runStep(url, { 'project-name': 'app', wait: 'false' }, { env: { NODE_OPTIONS: `--import=${loadProbe()}`, GITHUB_EVENT_NAME: 'push', GITHUB_SHA: 'a'.repeat(40), GITHUB_REF: 'refs/heads/main' } })

      expect(result.exitCode).toBe(0)
      const features = loaded(result).files.filter((file) => file.startsWith(DIST)).flatMap(featuresIn)
      expect(features).toContain('finding batches (codebuild/discover-batches.ts)')
      expect(features).toContain("the run's event (@actions/github's Context)")
    })
  })
})
