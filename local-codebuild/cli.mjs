// Starts the local CodeBuild endpoint as a process of its own, for the workflow job that
// runs the action with `uses: ./`, and for trying the action by hand:
//
//   node local-codebuild/cli.mjs [--port 4599] [--batches 2] [--output FILE]
//
// It holds that many running batches (they answer STOPPED at once while their builds still
// run, and settle after two polls), prints the endpoint URL and the batch ids, appends
// `url=…` and `batch-ids=…` to FILE (for GITHUB_OUTPUT) when given, and serves until it is
// stopped with SIGINT or SIGTERM. Every request is logged to stderr.
import { appendFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { createLocalCodeBuild } from './server.mjs'

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4599' },
    batches: { type: 'string', default: '2' },
    output: { type: 'string' }
  }
})
const port = Number(values.port)
const count = Number(values.batches)
if (!Number.isInteger(port) || port < 0 || port > 65535 || !Number.isInteger(count) || count < 0) {
  console.error('usage: node local-codebuild/cli.mjs [--port 4599] [--batches 2] [--output FILE]')
  process.exit(2)
}

const endpoint = createLocalCodeBuild()
const ids = Array.from({ length: count }, (_, n) =>
  endpoint.addBatch({ project: 'local-app', sourceVersion: `pr/${n + 1}`, pollsToSettle: 2 })
)
const url = await endpoint.listen(port)
if (values.output !== undefined) appendFileSync(values.output, `url=${url}\nbatch-ids=${ids.join(',')}\n`)
console.log(`Local CodeBuild endpoint: ${url}`)
for (const id of ids) console.log(`running batch: ${id}`)

let logged = 0
const logTimer = setInterval(() => {
  for (const request of endpoint.requests.slice(logged)) {
    console.error(`${request.operation} ${JSON.stringify(request.body)} signed=${request.signed}${request.fault ? ` fault=${request.fault}` : ''}`)
  }
  logged = endpoint.requests.length
}, 100)

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, async () => {
    clearInterval(logTimer)
    await endpoint.close()
    process.exit(0)
  })
}
