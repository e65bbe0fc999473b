// The repository's own tools: the endpoint CLI the `uses: ./` workflow job starts, and the
// metadata validation that CI runs.
import { describe, expect, it } from '@jest/globals'
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
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
    expect(run.stdout).toContain('action.yml: valid')
    expect(run.stdout).toContain('ci.yml: valid')
  })

  it.each([
    ['an action without a description', 'name: x\nruns:\n  using: node24\n  main: action.yml\n'],
    ['an action on another runtime', 'name: x\ndescription: y\nruns:\n  using: node20\n  main: action.yml\n'],
    ['an action whose main file is missing', 'name: x\ndescription: y\nruns:\n  using: node24\n  main: nowhere.js\n']
  ])('rejects %s', (_what, yaml) => {
    const folder = mkdtempSync(join(tmpdir(), 'metadata-'))
    writeFileSync(join(folder, 'action.yml'), yaml)
    expect(validate(join(folder, 'action.yml'), join(root, '.github', 'workflows', 'ci.yml')).status).toBe(1)
  })
})

describe('the bundle in dist/', () => {
  const dist = join(root, 'dist')
  const scripts = readdirSync(dist).filter((name) => name.endsWith('.js'))

  it('is index.js and its chunk files, at most 1.5 MB of JavaScript in all, ASCII only', () => {
    expect(scripts).toContain('index.js')
    expect(scripts.filter((name) => name !== 'index.js').every((name) => /^\d+\.index\.js$/.test(name))).toBe(true)
    const bytes = scripts.reduce((total, name) => total + statSync(join(dist, name)).size, 0)
    expect(bytes).toBeLessThanOrEqual(1_500_000)
    for (const name of scripts) {
      // eslint-disable-next-line no-control-regex -- the class is "anything but ASCII"
      expect(/[^\x00-\x7f]/.test(readFileSync(join(dist, name), 'utf8'))).toBe(false)
    }
  })

  it('keeps Octokit, undici and the HTTP client out of index.js, in a chunk loaded on demand', () => {
    const entry = readFileSync(join(dist, 'index.js'), 'utf8')
    expect(entry).not.toContain('@octokit/core')
    expect(entry).not.toMatch(/undici/i)
    const chunks = scripts.filter((name) => name !== 'index.js').map((name) => readFileSync(join(dist, name), 'utf8'))
    expect(chunks.some((chunk) => chunk.includes('paginate') && /undici/i.test(chunk))).toBe(true)
  })

  it('lists the license of every package of every file, index.js and chunks alike', () => {
    const licenses = readFileSync(join(dist, 'licenses.txt'), 'utf8')
    for (const name of ['@actions/core', '@aws-sdk/client-codebuild', '@octokit/core', '@octokit/plugin-paginate-rest', 'undici', '@actions/http-client']) {
      expect(licenses).toMatch(new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\n`, 'm'))
    }
  })
})
