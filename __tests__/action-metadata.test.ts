import { describe, expect, it } from '@jest/globals'
import { existsSync, readFileSync } from 'node:fs'
import { ACTION_DEFAULTS, GUARD_DEFAULTS } from '../src/inputs/action-defaults.generated.js'
import { ACTION_VERSION, GuardInputs, Inputs, Outputs } from '../src/inputs/constants.js'
import { renderActionDefaults } from '../scripts/sync-action-defaults.mjs'
import { ACTION, GUARD } from './e2e/harness.js'

const read = (path: string): string => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8')

describe('action.yml, code and README agree', () => {
  it('declares exactly the inputs and outputs the code uses, each described', () => {
    expect(Object.keys(ACTION.inputs).sort()).toEqual(Object.values(Inputs).sort())
    expect(Object.keys(ACTION.outputs ?? {}).sort()).toEqual(Object.values(Outputs).sort())
    for (const entry of [...Object.values(ACTION.inputs), ...Object.values(ACTION.outputs ?? {})]) {
      expect((entry as { description?: string }).description?.length).toBeGreaterThan(10)
    }
  })

  it('runs dist/index.js on node24', () => {
    expect(ACTION.runs).toEqual({ using: 'node24', main: 'dist/index.js' })
    expect(existsSync(new URL('../dist/index.js', import.meta.url))).toBe(true)
  })

  it('knows the defaults only from action.yml and guard/action.yml, through the generated module', () => {
    expect(read('src/inputs/action-defaults.generated.ts')).toBe(renderActionDefaults(read('action.yml'), read('guard/action.yml')))
    expect(Object.keys(ACTION_DEFAULTS).sort()).toEqual(Object.values(Inputs).sort())
    expect(Object.keys(GUARD_DEFAULTS).sort()).toEqual(Object.values(GuardInputs).sort())
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

describe('guard/action.yml, code and README agree', () => {
  it('declares exactly the inputs of the guard, each described, project-name required, and no output', () => {
    expect(Object.keys(GUARD.inputs).sort()).toEqual(Object.values(GuardInputs).sort())
    for (const input of Object.values(GUARD.inputs)) expect(input.description?.length).toBeGreaterThan(10)
    expect(GUARD.inputs['project-name'].required).toBe(true)
    // A post step's outputs reach no later step: the guard reports in its log and summary.
    expect(GUARD.outputs).toBeUndefined()
  })

  it('shares the stop action defaults, except a wait-timeout that fits the five minutes after a cancel', () => {
    for (const name of Object.values(GuardInputs)) {
      if (name === Inputs.WaitTimeout || name === Inputs.ProjectName) continue
      expect([name, GUARD_DEFAULTS[name]]).toEqual([name, ACTION_DEFAULTS[name]])
    }
    expect(GUARD_DEFAULTS['wait-timeout']).toBe('120')
  })

  it('runs its main and post steps from dist/ on node24, the post step only when the job did not succeed', () => {
    expect(GUARD.runs).toEqual({ using: 'node24', main: '../dist/guard/main.js', post: '../dist/guard/post.js', 'post-if': '!success()' })
    for (const file of [GUARD.runs.main, GUARD.runs.post ?? '']) {
      expect(existsSync(new URL(`../guard/${file}`, import.meta.url))).toBe(true)
    }
  })

  it('documents every guard input, with its default, in the guard section of the README', () => {
    const readme = read('README.md')
    const section = readme.slice(readme.indexOf('#### Inputs of the guard'), readme.indexOf('\n## ', readme.indexOf('#### Inputs of the guard')))
    for (const name of Object.values(GuardInputs)) {
      const row = section.split('\n').find((line) => line.startsWith(`| \`${name}\` |`))
      expect(row).toContain(GUARD_DEFAULTS[name] === '' ? '' : `\`${GUARD_DEFAULTS[name]}\``)
    }
  })
})
