// Where the end-to-end tests find their Node 24, and what happens without one.
import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { PACKAGED_NODE24 } from '../local-codebuild/run-action.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))

/** Runs a module snippet in a fresh Node (the one running jest) with NODE24 set as given. */
function inFreshNode(code: string, node24: string | undefined) {
  const env: Record<string, string | undefined> = { ...process.env, NODE24: node24, NODE_OPTIONS: '' }
  if (node24 === undefined) delete env.NODE24
  return spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: root, env, encoding: 'utf8' })
}

const FIND = "import { findNode24 } from './local-codebuild/run-action.mjs'; console.log(JSON.stringify(findNode24()))"

describe('findNode24', () => {
  it('takes the binary named by NODE24 when it is Node 24', () => {
    const run = inFreshNode(FIND, PACKAGED_NODE24)
    expect(JSON.parse(run.stdout)).toEqual({ path: PACKAGED_NODE24, source: 'NODE24' })
  })

  it.each([
    ['a Node of another version', process.execPath, /which is Node v\d+\./],
    ['a path with no Node', '/nonexistent/node', /not a Node binary that runs/]
  ])('refuses NODE24 naming %s, and says why', (_what, given, reason) => {
    if (given === process.execPath && process.version.startsWith('v24.')) return
    const found = JSON.parse(inFreshNode(FIND, given).stdout)
    expect(found.path).toBeUndefined()
    expect(found.reason).toMatch(reason)
  })

  it('fails the test run on Linux x64 when no Node 24 is found, instead of passing without the end-to-end tests', () => {
    const run = inFreshNode("await import('./jest.config.js')", '/nonexistent/node')
    if (process.platform === 'linux' && process.arch === 'x64') {
      expect(run.status).not.toBe(0)
      expect(run.stderr).toContain('The end-to-end tests need Node 24')
    } else {
      expect(run.status).toBe(0)
      expect(run.stderr).toContain('Skipping the end-to-end tests (__tests__/e2e)')
    }
  })
})
