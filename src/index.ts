/**
 * The entrypoint of dist/index.js, kept tiny on purpose: it listens for the runner's cancel
 * signals, and only then loads the rest of the action.
 *
 * Node parses a whole file before it runs its first line, and the action with the AWS SDK is
 * hundreds of kB: on a 2-core runner that parse alone took tens of milliseconds, and a SIGINT
 * in that window killed the process with Node's default handler (exit by signal, no stop
 * request, no outputs). The dynamic imports make the bundler (ncc) put the steps and all they
 * import in chunk files that are read only after the handlers are in place, so from the first
 * line of this file on, a signal only ends the wait (runtime/cancellation.ts). What remains is
 * Node's own start-up, before any JavaScript of the action runs.
 *
 * One bundle serves two steps, so that the AWS SDK is shipped once: the stop action
 * (action.yml runs dist/index.js) and the guard's post step (guard/action.yml runs
 * dist/guard/post.js, which only imports this file). The step is told by the file the runner
 * started.
 */
import { listenForCancellation } from './runtime/cancellation.js'
import { allowQuietPhase } from './runtime/memory.js'

const cancellation = listenForCancellation()
allowQuietPhase()
const [folder, file] = (process.argv[1] ?? '').split(/[\\/]/).slice(-2)
const { run } = folder === 'guard' && file === 'post.js' ? await import('./guard/post.js') : await import('./main.js')
await run(cancellation)

// Exit as soon as the work is done, rather than let Node wind down on its own, for two
// reasons. After a cancel, Node's signal handlers are gone while it winds down, and the
// runner's next SIGINT or SIGTERM would kill the process and turn a clean exit into a
// signal. And winding down (closing sockets and file handles) took about 20 ms of a 250 ms
// stop, measured. Outputs and summary are already written; the empty write flushes stdout
// first, so nothing of the log is lost where stdout is asynchronous (pipes on Windows).
process.stdout.write('', () => process.exit())
