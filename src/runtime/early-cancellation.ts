import { listenForCancellation } from './cancellation.js'

/**
 * Listens for the runner's cancel signals as soon as this module is evaluated. index.ts
 * imports it before main.ts, and ES modules are evaluated in import order, so the listener
 * is in place before the AWS SDK's code is even evaluated: a SIGINT that arrives while the
 * action is still starting must not kill it with Node's default handler before the stop
 * requests go out.
 */
export const cancellation = listenForCancellation()
