// The guard's inputs: the stop action's readers and messages, the guard's own defaults.
import { describe, expect, it } from '@jest/globals'
import { readGuardSettings, readGuardStopSettings } from '../src/inputs/guard-settings.js'
import { readSettings } from '../src/inputs/settings.js'
import { InputError } from '../src/runtime/errors.js'

const ENV = { AWS_REGION: 'us-east-1' }

function settings(inputs: Record<string, string>, env: Record<string, string | undefined> = ENV) {
  return readGuardSettings((name) => inputs[name] ?? '', env)
}

function failure(read: () => unknown): InputError {
  try {
    read()
  } catch (error) {
    if (error instanceof InputError) return error
    throw error
  }
  throw new Error('no InputError was thrown')
}

describe('readGuardSettings', () => {
  it("takes guard/action.yml's defaults for every empty input", () => {
    expect(settings({ 'project-name': 'app' })).toEqual({
      projects: ['app'],
      region: 'us-east-1',
      dryRun: false,
      ignoreNotFound: false,
      wait: true,
      waitTimeoutMs: 120_000,
      pollIntervalMs: 5000,
      summary: true
    })
  })

  it('reads every input when given', () => {
    expect(
      settings({ 'project-name': 'app', 'aws-region': 'eu-west-1', wait: 'false', 'wait-timeout': '60', 'poll-interval': '0.5', summary: 'False' })
    ).toMatchObject({ region: 'eu-west-1', wait: false, waitTimeoutMs: 60_000, pollIntervalMs: 500, summary: false })
  })

  it('splits project names on newlines, commas and spaces, and keeps each once', () => {
    expect(settings({ 'project-name': 'app\nweb, api  app,\tweb' }).projects).toEqual(['app', 'web', 'api'])
  })

  it('takes the region from aws-region, then AWS_REGION, then AWS_DEFAULT_REGION', () => {
    const env = { AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'ap-south-1' }
    expect(settings({ 'project-name': 'app', 'aws-region': 'us-west-2' }, env).region).toBe('us-west-2')
    expect(settings({ 'project-name': 'app' }, env).region).toBe('eu-west-1')
    expect(settings({ 'project-name': 'app' }, { AWS_DEFAULT_REGION: 'ap-south-1', AWS_REGION: '' }).region).toBe('ap-south-1')
  })

  // [inputs, env, what the error must say]
  it.each([
    [{}, ENV, "Input 'project-name' is required and empty"],
    [{ 'project-name': ' , \n' }, ENV, "Input 'project-name' is required and empty"],
    [{ 'project-name': 'app x' }, ENV, "Input 'project-name' has an invalid value \"x\""],
    [{ 'project-name': 'app my.app' }, ENV, "Input 'project-name' has an invalid value \"my.app\""],
    [{ 'project-name': 'app' }, {}, "Input 'aws-region' is empty and neither AWS_REGION nor AWS_DEFAULT_REGION is set: give the region of project app."],
    [{ 'project-name': 'app web' }, {}, 'give the region of project app, web.'],
    [{ 'project-name': 'app', 'aws-region': 'mars-1' }, ENV, "Input 'aws-region' has an invalid value \"mars-1\""],
    [{ 'project-name': 'app' }, { AWS_REGION: 'nowhere' }, 'Environment variable AWS_REGION has an invalid value "nowhere"'],
    [{ 'project-name': 'app', wait: 'yes' }, ENV, "Input 'wait' has an invalid value \"yes\""],
    [{ 'project-name': 'app', 'wait-timeout': '0' }, ENV, "Input 'wait-timeout' has an invalid value \"0\""],
    [{ 'project-name': 'app', 'poll-interval': '5s' }, ENV, "Input 'poll-interval' has an invalid value \"5s\""],
    [{ 'project-name': 'app', summary: 'on' }, ENV, "Input 'summary' has an invalid value \"on\""]
  ])('rejects %j with %j, naming the input and the value', (inputs, env, message) => {
    expect(failure(() => settings(inputs, env)).message).toContain(message)
  })

  it('gives the same message as the stop action for an input both have', () => {
    const cases: ReadonlyArray<Record<string, string>> = [{ 'project-name': 'a' }, { 'project-name': 'app', 'wait-timeout': '-1' }, { 'project-name': 'app', 'aws-region': 'x' }]
    for (const inputs of cases) {
      const stop = failure(() => readSettings((name) => inputs[name] ?? '', ENV)).message
      expect(failure(() => settings(inputs)).message).toBe(stop)
    }
  })
})

describe('readGuardStopSettings', () => {
  it('reads how to wait and report, and never a dry run', () => {
    expect(readGuardStopSettings((name) => ({ wait: 'false', 'wait-timeout': '30' })[name as string] ?? '')).toEqual({
      dryRun: false,
      ignoreNotFound: false,
      wait: false,
      waitTimeoutMs: 30_000,
      pollIntervalMs: 5000,
      summary: true
    })
  })
})
