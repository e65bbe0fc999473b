// npm run demo: starts the local CodeBuild endpoint with one running batch build, runs the
// bundled action (dist/index.js) against it exactly as the runner would, and prints the
// log, the outputs and the job summary. Needs nothing but Node: it works on a fresh clone
// before `npm ci`.
import { writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createLocalCodeBuild } from '../local-codebuild/server.mjs'
import { actionRuntime, runAction } from '../local-codebuild/run-action.mjs'

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
const runtime = actionRuntime()
console.log(`Local CodeBuild endpoint: ${url}, with one running batch build: ${batchId}`)
console.log(`Running the action as the runner does: ${runtime === process.execPath ? 'node' : 'Node 24'} dist/index.js`)
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

const summaryFile = join(tmpdir(), 'stop-codebuild-batch-demo-summary.md')
writeFileSync(summaryFile, result.summary)
section(`Job summary (as text; the Markdown/HTML the runner renders is in ${summaryFile})`)
console.log(summaryAsText(result.summary))

section('Requests the endpoint received')
for (const request of endpoint.requests) {
  console.log(`${request.receivedAt.toFixed(0).padStart(6)} ms  ${request.operation} ${JSON.stringify(request.body)} (SigV4 ${request.signed ? 'verified' : 'INVALID'})`)
}
process.exitCode = result.exitCode ?? 1

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
