// workflow-commands.ts repeats @actions/core's one-line wrappers over @actions/core's own
// modules; these tests hold it to writing exactly what @actions/core writes.
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import * as core from '@actions/core'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as commands from '../src/report/workflow-commands.js'

let work: string
let written: string
const savedEnv = { ...process.env }

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'commands-'))
  written = ''
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    written += String(chunk)
    return true
  })
})

afterEach(() => {
  jest.restoreAllMocks()
  process.env = { ...savedEnv }
  process.exitCode = undefined
  rmSync(work, { recursive: true, force: true })
})

/** What `act` writes to stdout and to the GITHUB_OUTPUT file. */
function capture(act: () => void, withOutputFile: boolean): { stdout: string; file: string } {
  const file = join(work, `output-${Math.random()}`)
  writeFileSync(file, '')
  if (withOutputFile) process.env.GITHUB_OUTPUT = file
  else delete process.env.GITHUB_OUTPUT
  written = ''
  act()
  // The heredoc delimiter is random: compare its shape, not its value.
  return { stdout: written, file: readFileSync(file, 'utf8').replace(/ghadelimiter_[0-9a-f-]+/g, 'ghadelimiter_X') }
}

const HOSTILE = 'line one\nline two\r\n::add-mask::x %25 100%'

describe('workflow-commands', () => {
  it.each([
    ['info', (m: string) => core.info(m), (m: string) => commands.info(m)],
    ['debug', (m: string) => core.debug(m), (m: string) => commands.debug(m)],
    ['warning', (m: string) => core.warning(m), (m: string) => commands.warning(m)],
    ['error', (m: string) => core.error(m), (m: string) => commands.error(m)],
    ['setFailed', (m: string) => core.setFailed(m), (m: string) => commands.setFailed(m)]
  ])('%s writes what @actions/core writes', (_name, theirs, ours) => {
    for (const message of ['plain', HOSTILE, '']) {
      expect(capture(() => ours(message), true)).toEqual(capture(() => theirs(message), true))
    }
  })

  it.each([true, false])('setOutput writes what @actions/core writes (GITHUB_OUTPUT set: %s)', (withOutputFile) => {
    for (const value of ['STOPPED', '[{"id":"a:b"}]', HOSTILE, '']) {
      expect(capture(() => commands.setOutput('status', value), withOutputFile)).toEqual(
        capture(() => core.setOutput('status', value), withOutputFile)
      )
    }
  })

  it.each([
    ['saveState', 'GITHUB_STATE', (value: string) => core.saveState('guard', value), (value: string) => commands.saveState('guard', value)],
    ['exportVariable', 'GITHUB_ENV', (value: string) => core.exportVariable('STOP_CODEBUILD_BATCH_FILE', value), (value: string) => commands.exportVariable('STOP_CODEBUILD_BATCH_FILE', value)]
  ])('%s writes what @actions/core writes, to %s or as a command', (_name, variable, theirs, ours) => {
    for (const withFile of [true, false]) {
      for (const value of ['{"startedAt":1}', HOSTILE, '']) {
        const capture = (act: (value: string) => void): { stdout: string; file: string } => {
          const file = join(work, `file-${Math.random()}`)
          writeFileSync(file, '')
          if (withFile) process.env[variable] = file
          else delete process.env[variable]
          written = ''
          act(value)
          return { stdout: written, file: readFileSync(file, 'utf8').replace(/ghadelimiter_[0-9a-f-]+/g, 'ghadelimiter_X') }
        }
        expect(capture(ours)).toEqual(capture(theirs))
      }
    }
  })

  it('exportVariable sets the variable for this step too', () => {
    delete process.env.GITHUB_ENV
    commands.exportVariable('STOP_CODEBUILD_BATCH_FILE', '/tmp/x')
    expect(process.env.STOP_CODEBUILD_BATCH_FILE).toBe('/tmp/x')
  })

  it('getState reads STATE_<name> as @actions/core does', () => {
    process.env.STATE_guard = '{"a":1}'
    for (const name of ['guard', 'missing']) expect(commands.getState(name)).toBe(core.getState(name))
  })

  it('setFailed makes the step fail', () => {
    commands.setFailed('boom')
    expect(process.exitCode).toBe(1)
  })

  it('getInput reads INPUT_<NAME> as @actions/core does', () => {
    process.env['INPUT_BATCH-ID'] = '  a:b \n'
    process.env.INPUT_MY_INPUT = 'x'
    for (const name of ['batch-id', 'my input', 'missing']) {
      expect(commands.getInput(name)).toBe(core.getInput(name))
    }
  })

  it('exports the summary of @actions/core', () => {
    expect(commands.summary.constructor.name).toBe(core.summary.constructor.name)
    expect(typeof commands.summary.addRaw).toBe('function')
  })
})
