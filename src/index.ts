/**
 * The entrypoint of dist/index.js, which serves two steps: the stop action (action.yml runs
 * dist/index.js) and the guard's post step (guard/action.yml runs dist/guard/post.js, which
 * only imports this file). One bundle, so that the AWS SDK is shipped once; the step is told
 * by the file the runner started. early-cancellation.js must stay the first import.
 */
import { cancellation } from './runtime/early-cancellation.js'
import { run as runGuardPost } from './guard/post.js'
import { run as runStopAction } from './main.js'

const [folder, file] = (process.argv[1] ?? '').split(/[\\/]/).slice(-2)
await (folder === 'guard' && file === 'post.js' ? runGuardPost(cancellation) : runStopAction(cancellation))

// Exit as soon as the work is done, rather than let Node wind down on its own, for two
// reasons. After a cancel, Node's signal handlers are gone while it winds down, and the
// runner's next SIGINT or SIGTERM would kill the process and turn a clean exit into a
// signal. And winding down (closing sockets and file handles) took about 20 ms of a 250 ms
// stop, measured. Outputs and summary are already written; the empty write flushes stdout
// first, so nothing of the log is lost where stdout is asynchronous (pipes on Windows).
process.stdout.write('', () => process.exit())
