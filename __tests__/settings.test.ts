import { describe, expect, it } from '@jest/globals'
import { InputError } from '../src/runtime/errors.js'
import { readSettings } from '../src/inputs/settings.js'

const UUID = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0'
const ID = `app:${UUID}`
const OTHER = 'app:11111111-2222-4333-8444-555555555555'
const ENV = { AWS_REGION: 'us-east-1' }

function settings(inputs: Record<string, string>, env: Record<string, string | undefined> = ENV) {
  return readSettings((name) => inputs[name] ?? '', env)
}

function failure(inputs: Record<string, string>, env: Record<string, string | undefined> = ENV): InputError {
  try {
    settings(inputs, env)
  } catch (error) {
    if (error instanceof InputError) return error
    throw error
  }
  throw new Error('no InputError was thrown')
}

describe('readSettings', () => {
  it('takes the defaults of action.yml for every empty input', () => {
    expect(settings({ 'batch-id': ID })).toEqual({
      batches: [{ id: ID, project: 'app', region: 'us-east-1', partition: 'aws' }],
      discovery: undefined,
      dryRun: false,
      wait: true,
      waitTimeoutMs: 180_000,
      pollIntervalMs: 5000,
      ignoreNotFound: false,
      summary: true
    })
  })

  it('reads every input when given', () => {
    expect(
      settings({
        'batch-id': ID,
        wait: 'False',
        'wait-timeout': '30',
        'poll-interval': '0.5',
        'ignore-not-found': 'TRUE',
        summary: 'false'
      })
    ).toMatchObject({ wait: false, waitTimeoutMs: 30_000, pollIntervalMs: 500, ignoreNotFound: true, summary: false })
  })

  it('splits ids on newlines, commas, spaces and tabs', () => {
    const ids = ['app:10000000-0000-4000-8000-000000000000', 'app:20000000-0000-4000-8000-000000000000', 'app:30000000-0000-4000-8000-000000000000', 'app:40000000-0000-4000-8000-000000000000']
    const input = `${ids[0]}\n${ids[1]},${ids[2]} \t${ids[3]},\n`
    expect(settings({ 'batch-id': input }).batches.map((batch) => batch.id)).toEqual(ids)
  })

  it('keeps a batch given twice once, preferring the ARN form', () => {
    const arn = `arn:aws:codebuild:us-east-1:123456789012:build-batch/${ID}`
    const { batches } = settings({ 'batch-id': `${ID} ${OTHER} ${arn} ${ID} ${OTHER}` })
    expect(batches).toEqual([
      { id: ID, project: 'app', region: 'us-east-1', partition: 'aws', account: '123456789012', arn },
      { id: OTHER, project: 'app', region: 'us-east-1', partition: 'aws' }
    ])
  })

  it('keeps the same id in two regions as two batches, the ARN region winning', () => {
    const arn = `arn:aws:codebuild:eu-west-1:123456789012:build-batch/${ID}`
    const { batches } = settings({ 'batch-id': `${ID}\n${arn}`, 'aws-region': 'us-west-2' })
    expect(batches.map((batch) => batch.region)).toEqual(['us-west-2', 'eu-west-1'])
  })

  it('takes the region from aws-region, then AWS_REGION, then AWS_DEFAULT_REGION', () => {
    const env = { AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'ap-south-1' }
    expect(settings({ 'batch-id': ID, 'aws-region': 'us-west-2' }, env).batches[0].region).toBe('us-west-2')
    expect(settings({ 'batch-id': ID }, env).batches[0].region).toBe('eu-west-1')
    expect(settings({ 'batch-id': ID }, { AWS_DEFAULT_REGION: 'ap-south-1' }).batches[0].region).toBe('ap-south-1')
  })

  it('needs no region when every batch is an ARN', () => {
    const arn = `arn:aws:codebuild:eu-west-1:123456789012:build-batch/${ID}`
    expect(settings({ 'batch-id': arn }, {}).batches[0].region).toBe('eu-west-1')
  })

  // One line per bad input: [inputs, the name the error must give, the value it must quote].
  it.each([
    [{ 'batch-id': '' }, "Input 'batch-id' and input 'project-name' are both empty", ''],
    [{ 'batch-id': '  \n ' }, "Input 'batch-id' and input 'project-name' are both empty", ''],
    [{ 'batch-id': ',,, ,' }, "Input 'batch-id' and input 'project-name' are both empty", ''],
    [{ 'project-name': 'a' }, "Input 'project-name'", '"a"'],
    [{ 'project-name': 'my app' }, "Input 'project-name'", '"my app"'],
    [{ 'project-name': 'app', 'source-version': `pr/1,${'x'.repeat(256)}` }, "Input 'source-version'", '"xxxx'],
    [{ 'project-name': 'app', 'source-version': 'pr/1\u0000' }, "Input 'source-version'", '"pr/1\\u0000"'],
    [{ 'source-version': 'pr/1' }, "Input 'source-version' applies only with input 'project-name'", ''],
    [{ 'superseded-only': 'true' }, "Input 'superseded-only' applies only with input 'project-name'", ''],
    [{ 'superseded-only': 'y' }, "Input 'superseded-only'", '"y"'],
    [{ 'dry-run': 'no' }, "Input 'dry-run'", '"no"'],
    [{ 'batch-id': 'app' }, "Input 'batch-id'", '"app"'],
    [{ 'batch-id': `${ID},nope,also:bad` }, "Input 'batch-id' has 2 invalid values", '"nope"'],
    [{ wait: 'yes' }, "Input 'wait'", '"yes"'],
    [{ wait: '1' }, "Input 'wait'", '"1"'],
    [{ wait: 'tRuE' }, "Input 'wait'", '"tRuE"'],
    [{ summary: 'tru' }, "Input 'summary'", '"tru"'],
    [{ 'ignore-not-found': 'on' }, "Input 'ignore-not-found'", '"on"'],
    [{ 'wait-timeout': '0' }, "Input 'wait-timeout'", '"0"'],
    [{ 'wait-timeout': '-5' }, "Input 'wait-timeout'", '"-5"'],
    [{ 'wait-timeout': 'abc' }, "Input 'wait-timeout'", '"abc"'],
    [{ 'wait-timeout': '1e3' }, "Input 'wait-timeout'", '"1e3"'],
    [{ 'wait-timeout': '0x10' }, "Input 'wait-timeout'", '"0x10"'],
    [{ 'wait-timeout': '99999999' }, "Input 'wait-timeout'", '"99999999"'],
    [{ 'wait-timeout': 'Infinity' }, "Input 'wait-timeout'", '"Infinity"'],
    [{ 'poll-interval': '0' }, "Input 'poll-interval'", '"0"'],
    [{ 'poll-interval': '0.05' }, "Input 'poll-interval'", '"0.05"'],
    [{ 'poll-interval': '-1' }, "Input 'poll-interval'", '"-1"'],
    [{ 'poll-interval': '5s' }, "Input 'poll-interval'", '"5s"'],
    [{ 'poll-interval': '1.' }, "Input 'poll-interval'", '"1."'],
    [{ 'aws-region': 'us-east' }, "Input 'aws-region'", '"us-east"'],
    [{ 'aws-region': 'US-EAST-1' }, "Input 'aws-region'", '"US-EAST-1"'],
    [{ 'aws-region': 'mars-1' }, "Input 'aws-region'", '"mars-1"']
  ])('rejects %j, naming the input and the value', (inputs, name, value) => {
    const error = failure({ 'batch-id': ID, ...inputs })
    expect(error.message).toContain(name)
    expect(error.message).toContain(value)
  })

  it('reads a project to search, with no batch id needed', () => {
    expect(settings({ 'project-name': 'web_app-2', 'dry-run': 'true' }, { AWS_REGION: 'cn-north-1' })).toMatchObject({
      batches: [],
      dryRun: true,
      discovery: { project: 'web_app-2', region: 'cn-north-1', partition: 'aws-cn', sourceVersions: [], supersededOnly: false }
    })
  })

  it('takes the github-token as given, and an empty one as no token (never the unevaluated default)', () => {
    expect(settings({ 'project-name': 'app', 'github-token': 'ghs_abc' }).discovery?.githubToken).toBe('ghs_abc')
    expect(settings({ 'project-name': 'app' }).discovery?.githubToken).toBe('')
  })

  it('splits source versions like ids and keeps each once', () => {
    const { discovery } = settings({ 'project-name': 'app', 'source-version': 'pr/42\nrefs/heads/main, main pr/42', 'superseded-only': 'true' })
    expect(discovery).toMatchObject({ sourceVersions: ['pr/42', 'refs/heads/main', 'main'], supersededOnly: true })
  })

  it('needs a region for the project to search', () => {
    expect(failure({ 'project-name': 'app' }, {}).message).toContain("Input 'aws-region' is empty and neither AWS_REGION nor AWS_DEFAULT_REGION is set")
  })

  it('rejects an invalid AWS_REGION, naming the variable', () => {
    expect(failure({ 'batch-id': ID }, { AWS_REGION: 'nowhere' }).message).toContain('Environment variable AWS_REGION has an invalid value "nowhere"')
  })

  it('rejects a plain id when no region is set anywhere', () => {
    expect(failure({ 'batch-id': ID }, {}).message).toContain('no region is known for this id')
  })

  it('lists at most five bad ids and counts the rest', () => {
    const bad = Array.from({ length: 8 }, (_, n) => `bad${n}`).join(' ')
    const message = failure({ 'batch-id': bad }).message
    expect(message).toContain('has 8 invalid values')
    expect(message).toContain('"bad4"')
    expect(message).not.toContain('"bad5"')
    expect(message).toContain('and 3 more')
  })

  it('shows a control character in a bad value escaped, never raw', () => {
    const message = failure({ 'batch-id': ID, wait: 'true\n::add-mask::x' }).message
    expect(message).toContain('"true\\n::add-mask::x"')
    expect(message).not.toContain('\n')
  })
})
