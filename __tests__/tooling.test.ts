// The repository's own tools: the endpoint CLI the `uses: ./` workflow job starts, and the
// metadata validation that CI runs.
import { describe, expect, it } from '@jest/globals'
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))

describe('local-codebuild/cli.mjs', () => {
  it('serves running batches, writes their ids for GITHUB_OUTPUT, and stops on SIGTERM', async () => {
    const output = join(mkdtempSync(join(tmpdir(), 'cli-')), 'output')
    writeFileSync(output, '')
    const child = spawn(process.execPath, [join(root, 'local-codebuild', 'cli.mjs'), '--port', '0', '--batches', '3', '--output', output])
    let stdout = ''
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk))
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if ((stdout.match(/running batch/g) ?? []).length === 3) {
          clearInterval(timer)
          resolve()
        }
      }, 20)
    })
    const written = Object.fromEntries(readFileSync(output, 'utf8').trim().split('\n').map((line) => line.split('=')))
    const answer = await fetch(written.url, { method: 'POST', headers: { 'x-amz-target': 'CodeBuild_20161006.StopBuildBatch' }, body: '{}' })
    expect(answer.status).toBe(400)
    expect(written['batch-ids'].split(',')).toHaveLength(3)

    child.kill('SIGTERM')
    const code = await new Promise((resolve) => child.once('close', resolve))
    expect(code).toBe(0)
  })

  it('refuses a bad port', () => {
    const run = spawnSync(process.execPath, [join(root, 'local-codebuild', 'cli.mjs'), '--port', 'x'], { encoding: 'utf8' })
    expect(run.status).toBe(2)
    expect(run.stderr).toContain('usage:')
  })
})

describe('scripts/validate-metadata.mjs', () => {
  const validate = (...args: string[]) =>
    spawnSync(process.execPath, [join(root, 'scripts', 'validate-metadata.mjs'), ...args], { encoding: 'utf8' })

  it('accepts action.yml and the workflows', () => {
    const run = validate()
    expect(run.status).toBe(0)
    expect(run.stdout).toContain('/action.yml: valid')
    expect(run.stdout).toContain('/guard/action.yml: valid')
    expect(run.stdout).toContain('ci.yml: valid')
  })

  it.each([
    ['an action without a description', 'name: x\nruns:\n  using: node24\n  main: action.yml\n'],
    ['an action on another runtime', 'name: x\ndescription: y\nruns:\n  using: node20\n  main: action.yml\n'],
    ['an action whose main file is missing', 'name: x\ndescription: y\nruns:\n  using: node24\n  main: nowhere.js\n'],
    ['an action whose post file is missing', 'name: x\ndescription: y\nruns:\n  using: node24\n  main: action.yml\n  post: nowhere.js\n']
  ])('rejects %s', (_what, yaml) => {
    const folder = mkdtempSync(join(tmpdir(), 'metadata-'))
    writeFileSync(join(folder, 'action.yml'), yaml)
    expect(validate(join(folder, 'action.yml'), join(root, '.github', 'workflows', 'ci.yml')).status).toBe(1)
  })
})
