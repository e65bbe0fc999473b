/**
 * The entrypoint: run the action (main.ts). early-cancellation.js must stay the first import.
 */
import { cancellation } from './early-cancellation.js'
import { run } from './main.js'

await run(cancellation)
