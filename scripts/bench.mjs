// npm run bench: measures the bundled action (dist/index.js) the way the runner starts it,
// against the local CodeBuild endpoint, and prints a Markdown table. Every timing is a
// median over repeated runs, measured side by side in this one run, so that the machine's
// speed cancels out of the ratios. A benchmark, not a test: it asserts nothing.
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createLocalCodeBuild, LOCAL_ACCESS_KEY_ID, LOCAL_SECRET_ACCESS_KEY } from '../local-codebuild/server.mjs'
import { actionRuntime, ROOT, runAction } from '../local-codebuild/run-action.mjs'

const RUNS = Number(process.env.BENCH_RUNS ?? 21)
const node = actionRuntime()
/** @param {number[]} values */
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
/** @param {number} value */
const ms = (value) => `${Math.round(value)} ms`

/**
 * Starts the action once with `inputs`; resolves to the run and the endpoint's requests.
 * @param {ReturnType<typeof createLocalCodeBuild>} endpoint
 * @param {string} url
 * @param {Record<string, string>} inputs
 * @param {Record<string, string>} [env]
 */
async function once(endpoint, url, inputs, env = {}) {
  const before = endpoint.requests.length
  const result = await runAction({ inputs: { wait: 'false', ...inputs }, endpoint: url, node, env })
  if (result.exitCode !== 0) throw new Error(`the action failed:\n${result.stdout}${result.stderr}`)
  return { result, requests: endpoint.requests.slice(before) }
}

function bareNodeStart() {
  const started = performance.now()
  spawnSync(node, ['-e', '0'], { env: { PATH: process.env.PATH } })
  return performance.now() - started
}

const rows = []
const endpoint = createLocalCodeBuild()
const url = await endpoint.listen()

// Cold stop and time to first request, interleaved with bare node starts.
{
  const stops = []
  const firstRequests = []
  const bare = []
  await once(endpoint, url, { 'batch-id': endpoint.addBatch({ project: 'bench' }) }) // warm the disk cache
  for (let run = 0; run < RUNS; run++) {
    const { result, requests } = await once(endpoint, url, { 'batch-id': endpoint.addBatch({ project: 'bench' }) })
    stops.push(result.durationMs)
    firstRequests.push(requests[0].receivedAtEpochMs - result.startedAtEpochMs)
    bare.push(bareNodeStart())
  }
  const ratio = median(stops) / median(bare)
  rows.push(['Cold stop (one id, `wait: false`), process start to exit', ms(median(stops)), `${ratio.toFixed(2)}× bare \`node -e 0\` (${ms(median(bare))}); target ≤ 3.0×`])
  rows.push(['Time to first request (process start to StopBuildBatch received)', ms(median(firstRequests)), ''])
}

// Fan-out: 100 ids, every answer delayed by 100 ms.
{
  const slow = createLocalCodeBuild({ latencyMs: 100 })
  const slowUrl = await slow.listen()
  const walls = []
  for (let run = 0; run < 5; run++) {
    const ids = Array.from({ length: 100 }, () => slow.addBatch({ project: 'bench' }))
    const { result } = await once(slow, slowUrl, { 'batch-id': ids.join('\n') })
    walls.push(result.durationMs)
  }
  await slow.close()
  rows.push(['Fan-out: 100 ids at 100 ms per answer, `wait: false`', ms(median(walls)), 'ideal at 10 concurrent calls: 10 × 100 ms = 1000 ms plus start-up; target ≤ 2500 ms'])
}

// API calls to stop 100 batches and wait until their builds have stopped.
{
  const ids = Array.from({ length: 100 }, () => endpoint.addBatch({ project: 'bench', pollsToSettle: 2 }))
  const { requests } = await once(endpoint, url, { 'batch-id': ids.join('\n'), wait: 'true', 'poll-interval': '0.2' })
  const count = (/** @type {string} */ operation) => requests.filter((request) => request.operation === operation).length
  rows.push(['API calls to stop and wait for 100 batches', String(requests.length), `${count('StopBuildBatch')} StopBuildBatch + ${count('BatchGetBuildBatches')} BatchGetBuildBatches`])
}

// Size and memory.
{
  const files = readdirSync(join(ROOT, 'dist')).filter((name) => name.endsWith('.js'))
  const bytes = files.reduce((total, name) => total + statSync(join(ROOT, 'dist', name)).size, 0)
  rows.push(['JavaScript in dist/', `${(bytes / 1e6).toFixed(2)} MB`, `${files.length} file${files.length === 1 ? '' : 's'}; target ≤ 1.5 MB`])
  // A preloaded module reports the process's own peak resident memory as it exits.
  const probe = join(mkdtempSync(join(tmpdir(), 'bench-')), 'peak-memory.mjs')
  writeFileSync(probe, 'process.on("exit", () => process.stderr.write(`maxrss=${process.resourceUsage().maxRSS}\\n`))\n')
  const peaks = []
  for (let run = 0; run < 3; run++) {
    const ids = Array.from({ length: 100 }, () => endpoint.addBatch({ project: 'bench', pollsToSettle: 1 }))
    const { result } = await once(endpoint, url, { 'batch-id': ids.join('\n'), wait: 'true', 'poll-interval': '0.2' }, { NODE_OPTIONS: `--import=${probe}` })
    peaks.push(Number(/maxrss=(\d+)/.exec(result.stderr)?.[1] ?? Number.NaN) / 1024)
  }
  rows.push(['Peak memory (stop and wait for 100 batches)', `${Math.round(median(peaks))} MB`, 'resident set, maxRSS; target ≤ 100 MB'])
}

// The AWS CLI, where installed: what a user would otherwise reach for.
{
  const aws = spawnSync('aws', ['--version'], { encoding: 'utf8' })
  if (aws.error !== undefined) {
    rows.push(['`aws codebuild stop-build-batch` (reference)', 'n/a', 'the AWS CLI is not installed on this machine'])
  } else {
    const walls = []
    for (let run = 0; run < 5; run++) {
      const id = endpoint.addBatch({ project: 'bench' })
      const started = performance.now()
      await new Promise((resolve) => {
        spawn('aws', ['codebuild', 'stop-build-batch', '--id', id, '--endpoint-url', url, '--region', 'us-east-1'], {
          env: { PATH: process.env.PATH, AWS_ACCESS_KEY_ID: LOCAL_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: LOCAL_SECRET_ACCESS_KEY, HOME: '/nonexistent' },
          stdio: 'ignore'
        }).on('close', resolve)
      })
      walls.push(performance.now() - started)
    }
    rows.push(['`aws codebuild stop-build-batch` (reference)', ms(median(walls)), aws.stdout.trim() || aws.stderr.trim()])
  }
}

await endpoint.close()
console.log(`Node ${spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim()}, ${RUNS} runs for the cold stop, medians.\n`)
console.log('| Measure | Result | Notes |')
console.log('| --- | --- | --- |')
for (const row of rows) console.log(`| ${row.join(' | ')} |`)
