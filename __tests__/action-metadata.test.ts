import { describe, expect, it } from '@jest/globals'
import { existsSync, readFileSync } from 'node:fs'
import { ACTION_DEFAULTS } from '../src/inputs/action-defaults.generated.js'
import { ACTION_VERSION, Inputs, Outputs } from '../src/inputs/constants.js'
import { renderActionDefaults } from '../scripts/sync-action-defaults.mjs'
import { ACTION } from './e2e/harness.js'

const read = (path: string): string => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8')

describe('action.yml, code and README agree', () => {
  it('declares exactly the inputs and outputs the code uses, each described', () => {
    expect(Object.keys(ACTION.inputs).sort()).toEqual(Object.values(Inputs).sort())
    expect(Object.keys(ACTION.outputs).sort()).toEqual(Object.values(Outputs).sort())
    for (const entry of [...Object.values(ACTION.inputs), ...Object.values(ACTION.outputs)]) {
      expect((entry as { description?: string }).description?.length).toBeGreaterThan(10)
    }
  })

  it('runs dist/index.js on node24', () => {
    expect(ACTION.runs).toEqual({ using: 'node24', main: 'dist/index.js' })
    expect(existsSync(new URL('../dist/index.js', import.meta.url))).toBe(true)
  })

  it('knows the defaults only from action.yml, through the generated module', () => {
    expect(read('src/inputs/action-defaults.generated.ts')).toBe(renderActionDefaults(read('action.yml')))
    expect(Object.keys(ACTION_DEFAULTS).sort()).toEqual(Object.values(Inputs).sort())
  })

  it('documents every input and output in the README', () => {
    const readme = read('README.md')
    for (const name of [...Object.values(Inputs), ...Object.values(Outputs)]) {
      expect(readme).toContain(`| \`${name}\` |`)
    }
  })

  it('reports the version of package.json in its user agent', () => {
    expect(ACTION_VERSION).toBe(JSON.parse(read('package.json')).version)
  })
})
