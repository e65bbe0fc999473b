/**
 * The entrypoint: run the action (main.ts). early-cancellation.js must stay the first import.
 */
import { cancellation } from './runtime/early-cancellation.js'
import { run } from './main.js'

await run(cancellation)

// Exit as soon as the work is done, rather than let Node wind down on its own, for two
// reasons. After a cancel, Node's signal handlers are gone while it winds down, and the
// runner's next SIGINT or SIGTERM would kill the process and turn a clean exit into a
// signal. And winding down (closing sockets and file handles) took about 20 ms of a 250 ms
// stop, measured. Outputs and summary are already written; the empty write flushes stdout
// first, so nothing of the log is lost where stdout is asynchronous (pipes on Windows).
process.stdout.write('', () => process.exit())
