/**
 * The entrypoint: run the action (main.ts). early-cancellation.js must stay the first import.
 */
import { cancellation } from './early-cancellation.js'
import { run } from './main.js'

await run(cancellation)

// After a cancel, exit now rather than let Node wind down on its own: while it does, its
// signal handlers are already gone, and the runner's next SIGINT or SIGTERM would kill the
// process and turn a clean exit into a signal. Outputs and summary are already written, and
// on Linux stdout to a pipe or file is written synchronously.
if (cancellation.received() !== undefined) process.exit()
