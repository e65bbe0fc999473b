// scripts/lint-workflows.mjs: actionlint over the workflows and the README's examples,
// fragments wrapped into whole workflows, problems reported at the README's own lines.
import { afterEach, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import { asWorkflow, lintWorkflow, yamlBlocks } from '../scripts/lint-workflows.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))

/** A Markdown text with one YAML block whose YAML starts on line 3. */
const markdown = (yaml: string, indent = '') =>
  `# Example\n${indent}\`\`\`yaml\n${yaml.replace(/^(?=.)/gm, indent)}${indent}\`\`\`\n`

const lintExample = async (yaml: string, indent = '') => {
  const [block] = yamlBlocks(markdown(yaml, indent))
  return lintWorkflow(block.text, { file: 'README.md', line: block.line, indent: block.indent, example: true })
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

const STEP = 'uses: OWNER/stop-codebuild-batch@v1\nwith:\n  batch-id: ${{ github.event.inputs.batch }}\n'
const STEPS = '- name: Stop\n  uses: OWNER/stop-codebuild-batch@v1\n  with:\n    project-name: my-app\n- run: echo done\n'
const JOB = `runs-on: ubuntu-latest\nsteps:\n${STEPS.replace(/^(?=.)/gm, '  ')}`
const JOBS = `stop:\n${JOB.replace(/^(?=.)/gm, '  ')}`
const WORKFLOW = `on: pull_request_target\njobs:\n${JOBS.replace(/^(?=.)/gm, '  ')}`

describe('yamlBlocks', () => {
  it('finds every yaml and yml block with the line its YAML starts on, and nothing else', () => {
    const text = '# T\n```yaml\na: 1\n```\n```json\n{}\n```\n```sh\nls\n```\n  ```yml\n  b: 2\n  ```\n```yaml\nc: 3\n```\n'
    expect(yamlBlocks(text)).toEqual([
      { line: 3, indent: 0, text: 'a: 1\n' },
      { line: 12, indent: 2, text: 'b: 2\n' },
      { line: 15, indent: 0, text: 'c: 3\n' }
    ])
  })
})

describe('asWorkflow', () => {
  it.each([
    ['workflow', WORKFLOW],
    ['jobs without on', `jobs:\n${JOBS.replace(/^(?=.)/gm, '  ')}`],
    ['triggers', 'on:\n  workflow_run:\n    workflows: [CI]\n    types: [completed]\n'],
    ['map of jobs', JOBS],
    ['job', JOB],
    ['list of steps', STEPS],
    ['step', STEP]
  ])('wraps a %s into a workflow actionlint accepts', async (shape, yaml) => {
    const wrapped = asWorkflow(yaml, parse(yaml))
    expect(wrapped?.shape).toBe(shape)
    expect(parse(wrapped?.text ?? '')).toMatchObject({ on: expect.anything(), jobs: expect.any(Object) })
    expect(await lintExample(yaml)).toEqual({ shape, problems: [] })
  })

  it.each([
    ['a dependabot configuration', 'version: 2\nupdates: []\n'],
    ['a list of strings', '- a\n- b\n'],
    ['an empty block', '\n']
  ])('takes %s for no workflow, and lints nothing', async (_what, yaml) => {
    expect(asWorkflow(yaml, parse(yaml))).toBeUndefined()
    expect(await lintExample(yaml)).toEqual({ shape: undefined, problems: [] })
  })
})

describe('lintWorkflow', () => {
  const realFetch = globalThis.fetch
  afterEach(() => {
    globalThis.fetch = realFetch
  })

  it('accepts the OWNER/… placeholders of the README without fetching anything', async () => {
    const fetched: unknown[] = []
    globalThis.fetch = (async (...args: unknown[]) => {
      fetched.push(args)
      throw new Error('no network')
    }) as typeof fetch
    const steps = '- uses: OWNER/stop-codebuild-batch/guard@v1\n  with:\n    project-name: my-app\n- uses: OWNER/stop-codebuild-batch@v1\n'
    expect(await lintExample(steps)).toEqual({ shape: 'list of steps', problems: [] })
    expect(fetched).toEqual([])
  })

  // Each broken example, in each shape: the problem is reported at the README's line and
  // column of the fault (the YAML starts on line 3).
  it.each([
    ['a workflow with a job that needs a missing job', WORKFLOW.replace('runs-on', 'needs: build\n    runs-on'), 'README.md:5:3: job "stop" needs job "build" which does not exist in this workflow [job-needs]'],
    ['a workflow on an unknown event', WORKFLOW.replace('pull_request_target', 'pull_request_targett'), 'README.md:3:5: unknown Webhook event "pull_request_targett".'],
    ['triggers with a wrong activity type', 'on:\n  pull_request_target:\n    types: [close]\n', 'README.md:5:13: invalid activity type "close" for "pull_request_target" Webhook event.'],
    ['a map of jobs with an unknown key', JOBS.replace('runs-on', 'runs_on'), 'README.md:4:3: unexpected key "runs_on" for "job" section.'],
    ['a job reading an undefined step output', JOB.replace('echo done', 'echo ${{ steps.start.outputs.id }}'), 'README.md:9:19: property "start" is not defined in object type {}'],
    ['a list of steps with a broken expression', STEPS.replace('my-app', '${{ github.ref ) }}'), 'README.md:6:34: parser did not reach end of input after parsing the expression.'],
    ['a step that both runs and uses', `run: echo\n${STEP}`, 'README.md:4:1: this step is for running shell command since it contains at least one of "run", "shell" keys, but also contains "uses" key'],
    ['a step with untrusted input in a script', 'run: echo "${{ github.event.pull_request.title }}"\n', 'README.md:3:16: "github.event.pull_request.title" is potentially untrusted.'],
    ['a job without steps', 'runs-on: ubuntu-latest\n', 'README.md:3:1: "steps" section is missing in job "example" (in the job as wrapped) [syntax-check]'],
    ['a step with a key twice, which YAML forbids', `${STEP}run: echo\nrun: echo again\n`, 'README.md:7:1: Map keys must be unique [yaml-syntax]']
  ])('reports %s at its line of the README', async (_what, yaml, expected) => {
    const { problems } = await lintExample(yaml)
    expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^${escapeRegExp(expected)}`))]))
  })

  it('reports at the README column of an example inside an indented block', async () => {
    const { problems } = await lintExample('run: echo ${{ steps.x.outputs.y }}\n', '   ')
    expect(problems).toEqual(['README.md:3:18: property "x" is not defined in object type {} [expression]'])
  })

  it('reports a broken workflow file by its name, and finds problems again after YAML it could not parse', async () => {
    expect((await lintWorkflow('on: push\njobs:\n  a: [\n', { file: 'ci.yml' })).problems).toEqual([
      'ci.yml:4:1: Flow sequence in block collection must be sufficiently indented and end with a ] [yaml-syntax]'
    ])
    const missingOn = await lintWorkflow(`jobs:\n${JOBS.replace(/^(?=.)/gm, '  ')}`, { file: '.github/workflows/ci.yml' })
    expect(missingOn).toEqual({ shape: 'workflow', problems: ['.github/workflows/ci.yml:1:1: "on" section is missing in workflow [syntax-check]'] })
  })
})

describe('the lint-workflows command', () => {
  const command = (...files: string[]) =>
    spawnSync(process.execPath, [join(root, 'scripts', 'lint-workflows.mjs'), ...files], { encoding: 'utf8', timeout: 120_000 })

  it('exits 1 and names the file and the README line of each problem, after checking the rest', () => {
    const folder = mkdtempSync(join(tmpdir(), 'lint-workflows-'))
    writeFileSync(join(folder, 'README.md'), `${markdown(STEPS)}\n${markdown(STEP.replace('github.event.inputs', 'steps.start.outputs'))}`)
    writeFileSync(join(folder, 'ci.yml'), WORKFLOW.replace('runs-on: ubuntu-latest', 'runs-on: ubuntu-latest\n    timeout-minutes: soon'))
    const run = command(join(folder, 'README.md'), join(folder, 'ci.yml'))
    expect(run.status).toBe(1)
    expect(run.stdout).toContain(`${join(folder, 'README.md')}:3: list of steps: no problems`)
    expect(run.stderr).toContain(`${join(folder, 'README.md')}:14:17: property "start" is not defined in object type {} [expression]`)
    expect(run.stderr).toContain(`${join(folder, 'ci.yml')}:5:22: expecting a single ${'${{...}}'} expression or float number literal, but found plain text node [syntax-check]`)
    expect(run.stderr).toContain('2 problem(s) found')
  })

  it('exits 0 on the repository: its workflows and every workflow example of its README', () => {
    const run = command()
    expect(run.stderr).toBe('')
    expect(run.status).toBe(0)
    expect(run.stdout).toContain('.github/workflows/ci.yml: workflow: no problems')
    expect(run.stdout).toMatch(/^README\.md:\d+: .+: no problems$/m)
  })
})
