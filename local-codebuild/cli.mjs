// Starts the local CodeBuild endpoint as a process of its own, for the workflow job that
// runs the action with `uses: ./`, and for trying the action by hand:
//
//   node local-codebuild/cli.mjs [--port 4599] [--batches 2] [--output FILE] [--background [--log FILE]]
//
// It holds that many running batches (they answer STOPPED at once while their builds still
// run, and settle after two polls), prints the endpoint URL and the batch ids, appends
// `url=…` and `batch-ids=…` to FILE (for GITHUB_OUTPUT) when given, and serves until it is
// stopped with SIGINT or SIGTERM. Every request is logged to stderr. Port 0 picks a free one.
//
// With --background it serves from a detached process that logs to the --log file (default
// local-codebuild.log), and returns once that process serves: a workflow step runs it and
// the next steps use the endpoint, with no polling loop in the workflow. It prints the
// process id to stop it with.
import { spawn } from 'node:child_process'
import { appendFileSync, openSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { createLocalCodeBuild } from './server.mjs'

const USAGE = 'usage: node local-codebuild/cli.mjs [--port 4599] [--batches 2] [--output FILE] [--background [--log FILE]]'
const READY_TIMEOUT_MS = 15_000

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4599' },
    batches: { type: 'string', default: '2' },
    output: { type: 'string' },
    background: { type: 'boolean', default: false },
    log: { type: 'string', default: 'local-codebuild.log' }
  }
})
const port = Number(values.port)
const count = Number(values.batches)
if (!Number.isInteger(port) || port < 0 || port > 65535 || !Number.isInteger(count) || count < 0) {
  console.error(USAGE)
  process.exit(2)
}

if (values.background) await serveInBackground()
else await serve()

async function serve() {
  const endpoint = createLocalCodeBuild()
  const ids = Array.from({ length: count }, (_, n) =>
    endpoint.addBatch({ project: 'local-app', sourceVersion: `pr/${n + 1}`, pollsToSettle: 2 })
  )
  const url = await endpoint.listen(port)
  if (values.output !== undefined) appendFileSync(values.output, `url=${url}\nbatch-ids=${ids.join(',')}\n`)
  console.log(`Local CodeBuild endpoint: ${url}`)
  for (const id of ids) console.log(`running batch: ${id}`)
  // Started with --background: tell the starting process that the endpoint serves.
  process.send?.('ready')

  let logged = 0
  const logNewRequests = () => {
    for (const request of endpoint.requests.slice(logged)) {
      console.error(`${request.operation} ${JSON.stringify(request.body)} signed=${request.signed}${request.fault ? ` fault=${request.fault}` : ''}`)
    }
    logged = endpoint.requests.length
  }
  const logTimer = setInterval(logNewRequests, 100)

  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, async () => {
      clearInterval(logTimer)
      logNewRequests()
      await endpoint.close()
      process.exit(0)
    })
  }
}

async function serveInBackground() {
  const log = openSync(values.log, 'w')
  const args = ['--port', String(port), '--batches', String(count), ...(values.output === undefined ? [] : ['--output', values.output])]
  // Detached, in a process group of its own, with its output in the log file: it outlives
  // this process and the shell of the step that started it.
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), ...args], {
    detached: true,
    stdio: ['ignore', log, log, 'ipc']
  })
  /** @type {NodeJS.Timeout | undefined} */
  let timer
  /** @type {string | undefined} why it does not serve; undefined once it does */
  const failure = await new Promise((resolve) => {
    timer = setTimeout(() => resolve(`did not start within ${READY_TIMEOUT_MS / 1000} s`), READY_TIMEOUT_MS)
    child.once('message', () => resolve(undefined))
    child.once('exit', (code, signal) => resolve(`exited (${signal ?? `code ${code}`}) before it served`))
  })
  clearTimeout(timer)
  process.stdout.write(readFileSync(values.log, 'utf8'))
  if (failure !== undefined) {
    child.kill('SIGKILL')
    console.error(`The local CodeBuild endpoint ${failure}: its log is above.`)
    process.exit(1)
  }
  console.log(`Serving in the background as process ${child.pid}, logging to ${values.log}; stop it with: kill ${child.pid}`)
  child.disconnect()
  child.unref()
}
