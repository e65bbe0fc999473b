// npm run demo: starts the local CodeBuild endpoint with one running batch build, runs the
// bundled action (dist/index.js) against it exactly as the runner would, and prints the
// log, the outputs and the job summary. Needs nothing but Node: it works on a fresh clone
// before `npm ci`.
//
// npm run demo -- guard: the guard (guard/action.yml) in a job that is cancelled: its main
// step (dist/guard/main.js), later steps that start batches, then its post step
// (dist/guard/post.js), with the state and variables the runner hands it.
import { writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createLocalCodeBuild, LOCAL_ACCOUNT } from '../local-codebuild/server.mjs'
import { actionRuntime, createJob, GUARD_MAIN_ENTRY, GUARD_POST_ENTRY, runAction } from '../local-codebuild/run-action.mjs'

const runtime = actionRuntime()
const nodeName = runtime === process.execPath ? `node ${process.version}` : 'Node 24'
if (process.argv[2] === 'guard') await guardDemo()
else await stopDemo()

async function stopDemo() {
  const endpoint = createLocalCodeBuild()
  const batchId = endpoint.addBatch({
    project: 'demo-app',
    sourceVersion: 'pr/42',
    resolvedSourceVersion: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b',
    initiator: 'GitHub-Hookshot/demo',
    stopBehaviour: 'stopped-at-once',
    pollsToSettle: 2,
    builds: [
      { identifier: 'DOWNLOAD_SOURCE', status: 'SUCCEEDED' },
      { identifier: 'lint', status: 'SUCCEEDED' },
      { identifier: 'unit_tests', status: 'IN_PROGRESS' },
      { identifier: 'integration_linux', status: 'IN_PROGRESS', dependsOn: ['unit_tests'] },
      { identifier: 'integration_windows', status: 'PENDING', dependsOn: ['unit_tests'], ignoreFailure: true }
    ]
  })
  const url = await endpoint.listen()

  const inputs = { 'batch-id': batchId, 'poll-interval': '1' }
  console.log(`Local CodeBuild endpoint: ${url}, with one running batch build: ${batchId}`)
  console.log(`Running the action as the runner does: ${nodeName} dist/index.js`)
  console.log(`  with ${Object.entries(inputs).map(([name, value]) => `${name}: ${value}`).join(', ')} (every other input at its default)\n`)

  const result = await runAction({ inputs, endpoint: url, node: runtime })
  await endpoint.close()

  section('Log')
  process.stdout.write(result.stdout)
  if (result.stderr.trim() !== '') process.stdout.write(result.stderr)
  console.log(`\nExit code ${result.exitCode} after ${(result.durationMs / 1000).toFixed(2)} s.`)

  section('Outputs')
  for (const [name, value] of Object.entries(result.outputs)) {
    console.log(`${name}: ${name === 'batches' ? JSON.stringify(JSON.parse(value), null, 2) : value}`)
  }

  showSummary(result.summary, 'stop-codebuild-batch-demo-summary.md')
  section('Requests the endpoint received')
  showRequests(endpoint)
  process.exitCode = result.exitCode ?? 1
}

async function guardDemo() {
  const endpoint = createLocalCodeBuild()
  const url = await endpoint.listen()
  const now = () => Date.now() / 1000
  const run = { GITHUB_RUN_ID: '9001', GITHUB_RUN_ATTEMPT: '1', GITHUB_JOB: 'build' }
  const commit = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b'
  const env = { ...run, GITHUB_EVENT_NAME: 'push', GITHUB_SHA: commit, GITHUB_REF: 'refs/heads/main' }
  const earlier = endpoint.addBatch({ project: 'demo-app', sourceVersion: 'main', initiator: 'GitHub-Hookshot/demo', startTime: now() - 600 })
  console.log(`Local CodeBuild endpoint: ${url}, with a batch of demo-app that a webhook started ten minutes ago: ${earlier}`)
  console.log(`A job (push to main, run ${run.GITHUB_RUN_ID}, attempt ${run.GITHUB_RUN_ATTEMPT}) runs the guard as the runner does, under ${nodeName}:`)
  console.log('  - uses: OWNER/stop-codebuild-batch/guard@v1\n    with:\n      project-name: demo-app\n      poll-interval: 1\n')

  const job = createJob({ endpoint: url, node: runtime, env })
  const inputs = { 'project-name': 'demo-app', 'aws-region': '', wait: 'true', 'wait-timeout': '120', 'poll-interval': '1', summary: 'true' }
  const main = await job.step(GUARD_MAIN_ENTRY, { inputs })
  section('Main step: log')
  process.stdout.write(main.stdout + main.stderr)
  console.log(`Exit code ${main.exitCode} after ${(main.durationMs / 1000).toFixed(2)} s; requests to CodeBuild: ${endpoint.requests.length}.`)
  section('Main step: state saved for the post step, and variables exported to the later steps')
  for (const [name, value] of Object.entries(main.state)) console.log(`STATE_${name}=${value}`)
  for (const [name, value] of Object.entries(main.exported)) console.log(`${name}=${value}`)

  // The later steps of the job, as `aws codebuild start-build-batch` would start them.
  const started = { startTime: now(), initiator: 'ci-role/build-session', pollsToSettle: 2 }
  const mine = endpoint.addBatch({
    project: 'demo-app',
    ...started,
    sourceVersion: commit,
    environmentVariables: [
      { name: 'GITHUB_RUN_ID', value: run.GITHUB_RUN_ID },
      { name: 'GITHUB_RUN_ATTEMPT', value: run.GITHUB_RUN_ATTEMPT }
    ],
    builds: [
      { identifier: 'DOWNLOAD_SOURCE', status: 'SUCCEEDED' },
      { identifier: 'lint', status: 'SUCCEEDED' },
      { identifier: 'unit_tests', status: 'IN_PROGRESS' },
      { identifier: 'integration', status: 'PENDING', dependsOn: ['unit_tests'] }
    ]
  })
  const recorded = endpoint.addBatch({ project: 'demo-tools', region: 'eu-west-1', ...started })
  const recordedArn = `arn:aws:codebuild:eu-west-1:${LOCAL_ACCOUNT}:build-batch/${recorded}`
  job.shell('echo "$ARN" >> "$STOP_CODEBUILD_BATCH_FILE"', { ARN: recordedArn })
  const otherRun = endpoint.addBatch({
    project: 'demo-app',
    ...started,
    sourceVersion: commit,
    environmentVariables: [{ name: 'GITHUB_RUN_ID', value: '8999' }]
  })
  section('Later steps')
  console.log(`started ${mine} with GITHUB_RUN_ID ${run.GITHUB_RUN_ID} and GITHUB_RUN_ATTEMPT ${run.GITHUB_RUN_ATTEMPT}`)
  console.log(`started ${recordedArn}, and recorded it: echo "$ARN" >> "$STOP_CODEBUILD_BATCH_FILE"`)
  console.log(`meanwhile, run 8999 started ${otherRun} on the same commit`)
  console.log('the job runs on for a few seconds (the batches reach their IN_PROGRESS phase), then the run is cancelled:')
  console.log("the guard's post step runs (post-if: '!success()').")
  await new Promise((resolve) => setTimeout(resolve, 5500))

  const post = await job.post(GUARD_POST_ENTRY, { inputs, result: main })
  job.close()
  await endpoint.close()
  section('Post step: log')
  process.stdout.write(post.stdout + post.stderr)
  console.log(`\nExit code ${post.exitCode} after ${(post.durationMs / 1000).toFixed(2)} s.`)
  showSummary(post.summary, 'stop-codebuild-batch-guard-demo-summary.md')
  section('Requests the endpoint received')
  showRequests(endpoint)
  process.exitCode = (main.exitCode ?? 1) || (post.exitCode ?? 1)
}

/** @param {string} summary @param {string} name */
function showSummary(summary, name) {
  const summaryFile = join(tmpdir(), name)
  writeFileSync(summaryFile, summary)
  section(`Job summary (as text; the Markdown/HTML the runner renders is in ${summaryFile})`)
  console.log(summaryAsText(summary))
}

/** @param {ReturnType<typeof createLocalCodeBuild>} endpoint */
function showRequests(endpoint) {
  for (const request of endpoint.requests) {
    console.log(`${request.receivedAt.toFixed(0).padStart(6)} ms  ${request.operation} ${request.region} ${JSON.stringify(request.body)} (SigV4 ${request.signed ? 'verified' : 'INVALID'})`)
  }
}

/** @param {string} title */
function section(title) {
  console.log(`\n=== ${title} ===`)
}

/**
 * A plain-text view of the summary's HTML: headings, paragraphs and tables with aligned
 * columns, entities decoded. Enough to read it in a terminal.
 * @param {string} html
 */
function summaryAsText(html) {
  const decode = (/** @type {string} */ text) =>
    text
      .replace(/<br>/g, ' / ')
      .replace(/<[^>]+>/g, '')
      .replace(/&#(\d+);/g, (_, code) => String.fromCharCode(Number(code)))
      .replace(/&nbsp;/g, ' ')
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&')
  const out = []
  for (const block of html.split(/\n\n/)) {
    const tables = block.split(/(<table>[\s\S]*?<\/table>)/)
    for (const part of tables) {
      if (part.startsWith('<table>')) {
        const rows = [...part.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) =>
          [...row[1].matchAll(/<t[hd]>([\s\S]*?)<\/t[hd]>/g)].map((cell) => decode(cell[1]))
        )
        const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)))
        rows.forEach((row, index) => {
          out.push(`  ${row.map((cell, column) => cell.padEnd(widths[column])).join(' | ')}`)
          if (index === 0) out.push(`  ${widths.map((width) => '-'.repeat(width)).join('-+-')}`)
        })
      } else {
        for (const line of part.split('\n')) {
          const text = decode(line).trim()
          if (text === '') continue
          out.push(line.startsWith('<h2') ? `# ${text}` : line.startsWith('<h3') ? `\n## ${text}` : text)
        }
      }
    }
    out.push('')
  }
  return out.join('\n')
}
