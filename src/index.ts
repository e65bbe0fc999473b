/**
 * The entrypoint, kept tiny on purpose: it listens for the runner's cancel signals, and only
 * then loads the rest of the action.
 *
 * Node parses a whole file before it runs its first line, and the action with the AWS SDK is
 * over 500 kB: on a 2-core runner that parse alone took tens of milliseconds, and a SIGINT
 * in that window killed the process with Node's default handler (exit by signal, no stop
 * request, no outputs). The dynamic import makes the bundler (ncc) put main.ts and all it
 * imports in separate chunk files that are read only after the handlers are in place, so
 * from the first line of this file on, a signal only ends the wait (runtime/cancellation.ts).
 * What remains is Node's own start-up, before any JavaScript of the action runs.
 */
import { listenForCancellation } from './runtime/cancellation.js'

const cancellation = listenForCancellation()
const { run } = await import('./main.js')
await run(cancellation)

// Exit as soon as the work is done, rather than let Node wind down on its own, for two
// reasons. After a cancel, Node's signal handlers are gone while it winds down, and the
// runner's next SIGINT or SIGTERM would kill the process and turn a clean exit into a
// signal. And winding down (closing sockets and file handles) took about 20 ms of a 250 ms
// stop, measured. Outputs and summary are already written; the empty write flushes stdout
// first, so nothing of the log is lost where stdout is asynchronous (pipes on Windows).
process.stdout.write('', () => process.exit())
