/**
 * V8 settings for the rest of a step that stops more than one batch, applied once its first
 * answer is in.
 *
 * From then on such a step is bound by the network: it waits for answers and polls every
 * few seconds. V8's defaults are tuned for throughput instead: they grow the young
 * generation to 16 MB when answers come in quickly (as 100 stop answers and a poll of 100
 * batches do), and they compile hot functions again with TurboFan, whose compiler memory
 * stays in the process. Without them, the peak resident memory of stopping and waiting for
 * 100 batches went from 83 to 72 MB in `npm run bench`.
 *
 * Not applied sooner, nor for a single batch, on purpose. A flag changed before Node has
 * loaded its built-in modules makes it compile them again instead of reading their cache:
 * set at start-up, these flags made a cold stop 17% slower, measured. And `node:v8` takes
 * about 2 ms to load, which a stop of one id would pay for nothing.
 *
 * Only the process's entry (index.ts) allows it: a test that runs the steps in its own
 * process keeps its V8 settings. Each flag is one that Node 24's V8 knows; V8 prints
 * "unrecognized flag" on stderr for any other, which the end-to-end tests would see.
 */
export const QUIET_PHASE_FLAGS = ['--semi-space-growth-factor=1', '--no-turbofan'] as const

export type FlagSetter = (flag: string) => void | Promise<void>

let setter: FlagSetter | undefined

/** Lets the next enterQuietPhase apply QUIET_PHASE_FLAGS, with `set` (V8's, unless a test gives one). */
export function allowQuietPhase(set: FlagSetter = setV8Flag): void {
  setter = set
}

/**
 * Applies QUIET_PHASE_FLAGS once, if allowed; resolves to whether it did. Never rejects: a
 * saving of memory must not fail the step.
 */
export async function enterQuietPhase(): Promise<boolean> {
  const set = setter
  if (set === undefined) return false
  setter = undefined
  try {
    for (const flag of QUIET_PHASE_FLAGS) await set(flag)
    return true
  } catch {
    return false
  }
}

async function setV8Flag(flag: string): Promise<void> {
  const { setFlagsFromString } = await import('node:v8')
  setFlagsFromString(flag)
}
