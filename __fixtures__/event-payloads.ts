// The event payloads in __fixtures__/events/, as GitHub sends them, for the tests that run
// the action on an event.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export type Payload = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any -- event payloads, read as GitHub sends them

/** The path of `events/<name>.json`. */
export const fixturePath = (name: string): string => fileURLToPath(new URL(`./events/${name}.json`, import.meta.url))

export const fixture = (name: string): Payload => JSON.parse(readFileSync(fixturePath(name), 'utf8'))

/** A payload changed from a fixture, written where the runner would put it. */
export function payloadFile(payload: Payload): string {
  const path = join(mkdtempSync(join(tmpdir(), 'event-')), 'event.json')
  writeFileSync(path, JSON.stringify(payload))
  return path
}

/**
 * The head commits of pull request 57 in pull_request_target_closed_after_5_pushes.json,
 * oldest first: its commits as the GitHub API lists them.
 */
export const FIVE_PUSHES = [
  'cd6dceb8136ff9a40f56d3a9d31c0e65a4267ffa',
  '36f05c49dec450b96a8f40088389a2052c13be8b',
  '1e376e8c04aaca56b598ebd55e1ee83dbb1f978d',
  '94ee4984ed360ba5b7e75995125e12350446c6b9',
  '2b4974977c9cdf1a9d05570efeba592759679638'
]
