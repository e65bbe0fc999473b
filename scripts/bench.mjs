// npm run bench: measures the bundled action (dist/index.js) and the guard's steps
// (dist/guard/main.js, dist/guard/post.js) the way the runner starts them,
// against the local CodeBuild endpoint, and prints a Markdown table. Every timing is a
// median over repeated runs, measured side by side in this one run, so that the machine's
// speed cancels out of the ratios. A benchmark, not a test: it asserts nothing.
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createLocalCodeBuild, LOCAL_ACCESS_KEY_ID, LOCAL_SECRET_ACCESS_KEY } from '../local-codebuild/server.mjs'
import { actionRuntime, createJob, GUARD_MAIN_ENTRY, GUARD_POST_ENTRY, ROOT, runAction } from '../local-codebuild/run-action.mjs'
import { bundle } from './ncc-bundle.mjs'

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
 * @param {string} [entry] the script to start; default dist/index.js
 */
async function once(endpoint, url, inputs, env = {}, entry = undefined) {
  const before = endpoint.requests.length
  const result = await runAction({ inputs: { wait: 'false', ...inputs }, endpoint: url, node, env, entry })
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

// Cold stop and time to first request, interleaved with the floor (scripts/floor-stop.cjs: one
// StopBuildBatch signed by hand with node:crypto and sent with node:http, nothing else) and a
// bare node start, all started the same way. The ratios to the floor are what carry over to
// another machine: a bare start alone varies from 20 to 80 ms between machines.
{
  const stops = []
  const firstRequests = []
  const floors = []
  const floorRequests = []
  const sdkStops = []
  const sdkRequests = []
  const bare = []
  const floor = join(ROOT, 'scripts', 'floor-stop.cjs')
  // The AWS SDK's own floor, bundled as dist/ is (scripts/sdk-floor-stop.mjs says why).
  const sdkFolder = mkdtempSync(join(tmpdir(), 'sdk-floor-'))
  await bundle(join(ROOT, 'scripts', 'sdk-floor-stop.mjs'), sdkFolder)
  if (spawnSync(process.execPath, [join(ROOT, 'scripts', 'optimize-bundle.mjs'), sdkFolder], { stdio: 'inherit' }).status !== 0) {
    throw new Error('could not optimize the bundle of scripts/sdk-floor-stop.mjs')
  }
  const sdkFloor = join(sdkFolder, 'index.js')
  await once(endpoint, url, { 'batch-id': endpoint.addBatch({ project: 'bench' }) }) // warm the disk cache
  await once(endpoint, url, { 'batch-id': endpoint.addBatch({ project: 'bench' }) }, {}, floor)
  await once(endpoint, url, { 'batch-id': endpoint.addBatch({ project: 'bench' }) }, {}, sdkFloor)
  for (let run = 0; run < RUNS; run++) {
    const action = await once(endpoint, url, { 'batch-id': endpoint.addBatch({ project: 'bench' }) })
    stops.push(action.result.durationMs)
    firstRequests.push(action.requests[0].receivedAtEpochMs - action.result.startedAtEpochMs)
    const signed = await once(endpoint, url, { 'batch-id': endpoint.addBatch({ project: 'bench' }) }, {}, floor)
    if (!signed.requests[0]?.signed) throw new Error('the floor sent no correctly signed request')
    floors.push(signed.result.durationMs)
    floorRequests.push(signed.requests[0].receivedAtEpochMs - signed.result.startedAtEpochMs)
    const sdk = await once(endpoint, url, { 'batch-id': endpoint.addBatch({ project: 'bench' }) }, {}, sdkFloor)
    sdkStops.push(sdk.result.durationMs)
    sdkRequests.push(sdk.requests[0].receivedAtEpochMs - sdk.result.startedAtEpochMs)
    bare.push(bareNodeStart())
  }
  rmSync(sdkFolder, { recursive: true, force: true })
  const toFloor = median(stops) / median(floors)
  const firstToFloor = median(firstRequests) / median(floorRequests)
  rows.push(['Cold stop (one id, `wait: false`), process start to exit', ms(median(stops)), `${toFloor.toFixed(2)}× the floor; target ≤ 1.3× (${(median(stops) / median(bare)).toFixed(2)}× bare \`node -e 0\`, ${ms(median(bare))})`])
  rows.push(['Time to first request (process start to StopBuildBatch received)', ms(median(firstRequests)), `${firstToFloor.toFixed(2)}× the floor's; target ≤ 1.3×`])
  rows.push(['The floor: one StopBuildBatch signed by hand (`scripts/floor-stop.cjs`)', ms(median(floors)), `first request after ${ms(median(floorRequests))}`])
  rows.push([
    "The AWS SDK's floor: one StopBuildBatchCommand and nothing else (`scripts/sdk-floor-stop.mjs`, bundled as dist/ is)",
    ms(median(sdkStops)),
    `${(median(sdkStops) / median(floors)).toFixed(2)}× the floor, first request after ${ms(median(sdkRequests))} (${(median(sdkRequests) / median(floorRequests)).toFixed(2)}×); the action's cold stop is ${(median(stops) / median(sdkStops)).toFixed(2)}× this`
  ])
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

// The guard: its main step, then its post step finding and stopping the 10 batches the job
// started, among 10 others of the project that it keeps.
{
  const mains = []
  const posts = []
  let calls = ''
  const run = { GITHUB_RUN_ID: '9001', GITHUB_RUN_ATTEMPT: '1', GITHUB_SHA: 'a'.repeat(40), GITHUB_REF: 'refs/heads/main' }
  for (let attempt = 0; attempt < 5; attempt++) {
    // A project of each run's own, so that every run finds 20 batches in progress.
    const project = `bench-guard-${attempt}`
    const inputs = { 'project-name': project, 'aws-region': '', wait: 'false', 'wait-timeout': '120', 'poll-interval': '5', summary: 'true' }
    const job = createJob({ endpoint: url, node, env: run })
    for (let n = 0; n < 10; n++) endpoint.addBatch({ project, startTime: Date.now() / 1000 - 600 })
    const main = await job.step(GUARD_MAIN_ENTRY, { inputs })
    if (main.exitCode !== 0) throw new Error(`the guard's main step failed:\n${main.stdout}${main.stderr}`)
    const ids = Array.from({ length: 10 }, () =>
      endpoint.addBatch({ project, initiator: 'ci-role/session', startTime: Date.now() / 1000, environmentVariables: [{ name: 'GITHUB_RUN_ID', value: '9001' }] })
    )
    const before = endpoint.requests.length
    const post = await job.post(GUARD_POST_ENTRY, { inputs, result: main })
    job.close()
    const stops = endpoint.requests.slice(before).filter((request) => request.operation === 'StopBuildBatch').map((request) => request.body.id)
    if (post.exitCode !== 0 || stops.sort().join() !== ids.sort().join()) throw new Error(`the guard's post step did not stop its 10 batches:\n${post.stdout}${post.stderr}`)
    const requests = endpoint.requests.slice(before)
    calls = ['ListBuildBatchesForProject', 'BatchGetBuildBatches', 'StopBuildBatch'].map((operation) => `${requests.filter((request) => request.operation === operation).length} ${operation}`).join(' + ')
    mains.push(main.durationMs)
    posts.push(post.durationMs)
  }
  rows.push(["Guard's main step (validates, saves its state; no request, no AWS SDK)", ms(median(mains)), '5 runs'])
  rows.push(["Guard's post step: find and stop 10 batches among 20 in progress, `wait: false`", ms(median(posts)), `5 runs; ${calls}`])
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
  const files = readdirSync(join(ROOT, 'dist'), { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.js'))
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
  rows.push(['Peak memory (stop and wait for 100 batches)', `${Math.round(median(peaks))} MB`, 'resident set, maxRSS; target ≤ 80 MB'])
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
