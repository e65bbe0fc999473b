// The repository's own tools: the endpoint CLI the `uses: ./` workflow job starts, the
// metadata validation and the dist/ check that CI runs, and what CI's test job runs.
import { describe, expect, it } from '@jest/globals'
import { spawn, spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import { CodeBuildClient, StartBuildBatchCommand } from '@aws-sdk/client-codebuild'
import { LOCAL_ACCESS_KEY_ID, LOCAL_SECRET_ACCESS_KEY } from '../local-codebuild/server.mjs'
import { checkGuardLog } from '../scripts/check-guard-log.mjs'

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

  it('with --background, returns once a detached process serves, which a second one on its port cannot', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'cli-'))
    const output = join(folder, 'output')
    writeFileSync(output, '')
    const start = (...args: string[]) =>
      spawnSync(process.execPath, [join(root, 'local-codebuild', 'cli.mjs'), '--background', ...args], { cwd: folder, encoding: 'utf8', timeout: 30_000 })
    const started = start('--port', '0', '--batches', '1', '--output', output)
    const pid = Number(/stop it with: kill (\d+)$/m.exec(started.stdout)?.[1])
    try {
      expect(started.status).toBe(0)
      expect(started.stdout).toMatch(/^Local CodeBuild endpoint: http:\/\/127\.0\.0\.1:\d+\nrunning batch: local-app:\S+\nServing in the background as process \d+, logging to local-codebuild\.log/)
      const { url } = Object.fromEntries(readFileSync(output, 'utf8').trim().split('\n').map((line) => line.split('=')))
      const unsigned = () => fetch(url, { method: 'POST', headers: { 'x-amz-target': 'CodeBuild_20161006.StopBuildBatch' }, body: '{}' })
      expect((await unsigned()).status).toBe(400)

      const second = start('--port', new URL(url).port, '--log', 'second.log')
      expect(second.status).toBe(1)
      expect(second.stdout).toContain('EADDRINUSE')
      expect(second.stderr).toContain('The local CodeBuild endpoint exited (code 1) before it served: its log is above.')

      process.kill(pid, 'SIGTERM')
      // It closes on SIGTERM: the port refuses connections soon after.
      const deadline = Date.now() + 10_000
      let refused = false
      while (!refused && Date.now() < deadline) {
        refused = await unsigned().then(
          () => false,
          () => true
        )
        if (!refused) await new Promise((resolve) => setTimeout(resolve, 50))
      }
      expect(refused).toBe(true)
      // Its log file has its stdout and stderr: the request above is logged there.
      expect(readFileSync(join(folder, 'local-codebuild.log'), 'utf8')).toMatch(/^StopBuildBatch \{\} signed=false$/m)
    } finally {
      try {
        if (pid > 0) process.kill(pid, 'SIGKILL')
      } catch {
        // already gone
      }
    }
  })

  it('knows the projects given, and writes its URL for GITHUB_ENV, so that later steps start batches with StartBuildBatch', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'cli-'))
    const env = join(folder, 'env')
    writeFileSync(env, 'EARLIER=1\n')
    const child = spawn(process.execPath, [join(root, 'local-codebuild', 'cli.mjs'), '--port', '0', '--batches', '0', '--projects', 'local-app,local-tools', '--env', env])
    try {
      const url = await new Promise<string>((resolve) => {
        let stdout = ''
        child.stdout.setEncoding('utf8').on('data', (chunk) => {
          stdout += chunk
          const match = /^Local CodeBuild endpoint: (\S+)$/m.exec(stdout)
          if (match !== null) resolve(match[1])
        })
      })
      expect(readFileSync(env, 'utf8')).toBe(`EARLIER=1\nAWS_ENDPOINT_URL_CODEBUILD=${url}\n`)
      const client = new CodeBuildClient({
        region: 'us-east-1',
        endpoint: url,
        maxAttempts: 1,
        credentials: { accessKeyId: LOCAL_ACCESS_KEY_ID, secretAccessKey: LOCAL_SECRET_ACCESS_KEY }
      })
      const { buildBatch } = await client.send(new StartBuildBatchCommand({ projectName: 'local-tools' }))
      expect(buildBatch?.id).toMatch(/^local-tools:/)
      await expect(client.send(new StartBuildBatchCommand({ projectName: 'local-web' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' })
      client.destroy()
    } finally {
      child.kill('SIGTERM')
      await new Promise((resolve) => child.once('close', resolve))
    }
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

  it('accepts action.yml and each workflow, one by one', () => {
    const run = validate()
    expect(run.status).toBe(0)
    const workflows = readdirSync(join(root, '.github', 'workflows')).filter((name) => /\.ya?ml$/.test(name))
    expect(workflows.length).toBeGreaterThan(0)
    expect(run.stdout.trim().split('\n')).toEqual(
      expect.arrayContaining(['action.yml: valid', 'guard/action.yml: valid', ...workflows.map((name) => `.github/workflows/${name}: valid`)])
    )
  })

  it('finds every action.yml at the root and one folder down, and resolves runs paths from each', () => {
    // A repository of its own, with this script and the installed tools.
    const repo = mkdtempSync(join(tmpdir(), 'metadata-repo-'))
    mkdirSync(join(repo, 'scripts'))
    copyFileSync(join(root, 'scripts', 'validate-metadata.mjs'), join(repo, 'scripts', 'validate-metadata.mjs'))
    symlinkSync(join(root, 'node_modules'), join(repo, 'node_modules'))
    mkdirSync(join(repo, '.github', 'workflows'), { recursive: true })
    copyFileSync(join(root, '.github', 'workflows', 'ci.yml'), join(repo, '.github', 'workflows', 'ci.yml'))
    mkdirSync(join(repo, 'dist'))
    writeFileSync(join(repo, 'dist', 'index.js'), '')
    writeFileSync(join(repo, 'action.yml'), 'name: a\ndescription: b\nruns:\n  using: node24\n  main: dist/index.js\n')
    mkdirSync(join(repo, 'guard'))
    writeFileSync(join(repo, 'guard', 'action.yml'), 'name: a\ndescription: b\nruns:\n  using: node24\n  main: ../dist/index.js\n  post: ../dist/post.js\n')
    mkdirSync(join(repo, 'guard', 'deeper'))
    writeFileSync(join(repo, 'guard', 'deeper', 'action.yml'), 'not: an action\n')
    const run = () => spawnSync(process.execPath, [join(repo, 'scripts', 'validate-metadata.mjs')], { encoding: 'utf8' })

    const missingPost = run()
    expect(missingPost.status).toBe(1)
    expect(missingPost.stderr).toBe(`${join('guard', 'action.yml')}: runs.post ../dist/post.js does not exist\n`)
    writeFileSync(join(repo, 'dist', 'post.js'), '')
    const valid = run()
    expect(valid.status).toBe(0)
    expect(valid.stdout).toBe('action.yml: valid\nguard/action.yml: valid\n.github/workflows/ci.yml: valid\n')
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

  it('rejects a workflow without jobs, and still validates the files after it', () => {
    const folder = mkdtempSync(join(tmpdir(), 'metadata-'))
    writeFileSync(join(folder, 'broken.yml'), 'name: broken\non: push\n')
    const run = validate(join(folder, 'broken.yml'), join(root, '.github', 'workflows', 'ci.yml'))
    expect(run.status).toBe(1)
    expect(run.stderr).toContain(`${join(folder, 'broken.yml')}: does not match the schema`)
    expect(run.stdout).toBe('.github/workflows/ci.yml: valid\n')
  })
})


describe('.github/workflows/ci.yml', () => {
  it('runs npm ci, then each part of npm test in its order, one step each', () => {
    const parts = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts.test.split('&&').map((part: string) => part.trim())
    const workflow = parse(readFileSync(join(root, '.github', 'workflows', 'ci.yml'), 'utf8'))
    const runs = workflow.jobs.test.steps.filter((step: { run?: string }) => step.run !== undefined).map((step: { run: string }) => step.run.trim())
    expect(parts.length).toBeGreaterThan(3)
    expect(runs).toEqual(['npm ci', ...parts])
  })
})

describe('scripts/check-guard-log.mjs', () => {
  const id = (n: number) => `local-app:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f${n}`
  const at = '2026-11-23T10:00:00.0000000Z'
  const log = [
    `${at} expect kept: ${id(0)}`,
    `${at} expect stopped: ${id(1)}`,
    `${at} expect stopped: ${id(2)}`,
    `${at} expect kept: ${id(3)}`,
    `${at} ##[error]Process completed with exit code 1.`,
    `${at} Keeping ${id(3)}: it carries GITHUB_RUN_ID 1, another run's.`,
    `${at} Stop requested for ${id(1)} (us-east-1): status STOPPED, phase STOPPED`,
    `${at} Stop requested for ${id(2)} (us-east-1): status STOPPED, phase STOPPED`,
    `${at} All batches and their builds have stopped (waited 1 s).`
  ].join('\n')

  it('accepts the log of a job whose guard stopped what it announced, and kept the rest', () => {
    expect(checkGuardLog(log, { stopped: 2, kept: 2 })).toEqual([])
  })

  it('names each difference', () => {
    const wrong = log.replace(`Stop requested for ${id(2)}`, `Stop requested for ${id(0)}`).replace("another run's.", 'another run.') + `\n${at} ##[error]Unexpected error`
    expect(checkGuardLog(wrong, { stopped: 2, kept: 3 })).toEqual([
      'the job announced 2 batch(es) to keep, not 3',
      `the guard did not stop ${id(2)}`,
      `the guard stopped ${id(0)}, which it had to keep`,
      "the guard did not say why it kept another run's batch",
      `the job has 2 error(s), not only the one of its failing step: ${at} ##[error]Process completed with exit code 1. | ${at} ##[error]Unexpected error`
    ])
  })

  it('fails from the command line, with the problems as errors', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'guard-log-')), 'guarded.log')
    writeFileSync(file, log)
    const check = (...args: string[]) => spawnSync(process.execPath, [join(root, 'scripts', 'check-guard-log.mjs'), file, ...args], { encoding: 'utf8' })
    expect(check('--stopped', '2', '--kept', '2')).toMatchObject({ status: 0 })
    expect(check('--stopped', '3', '--kept', '2')).toMatchObject({ status: 1, stdout: '::error::the job announced 2 batch(es) to stop, not 3\n' })
    expect(check()).toMatchObject({ status: 2 })
  })
})

describe('scripts/check-dist.mjs', () => {
  it('fails, naming the files, when dist/ or the generated defaults differ from the commit, or dist/ has a new file', () => {
    const repo = mkdtempSync(join(tmpdir(), 'check-dist-'))
    const git = (...args: string[]) => spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: repo, encoding: 'utf8' })
    mkdirSync(join(repo, 'scripts'))
    copyFileSync(join(root, 'scripts', 'check-dist.mjs'), join(repo, 'scripts', 'check-dist.mjs'))
    mkdirSync(join(repo, 'dist'))
    writeFileSync(join(repo, 'dist', 'index.js'), 'bundle\n')
    mkdirSync(join(repo, 'src', 'inputs'), { recursive: true })
    writeFileSync(join(repo, 'src', 'inputs', 'action-defaults.generated.ts'), 'defaults\n')
    writeFileSync(join(repo, 'README.md'), 'readme\n')
    expect(git('init', '-q').status).toBe(0)
    expect(git('add', '.').status).toBe(0)
    expect(git('commit', '-qm', 'first').status).toBe(0)
    const check = () => spawnSync(process.execPath, [join(repo, 'scripts', 'check-dist.mjs')], { encoding: 'utf8' })

    writeFileSync(join(repo, 'README.md'), 'another readme\n')
    expect(check()).toMatchObject({ status: 0, stdout: 'dist/ and the generated defaults match the sources.\n' })
    writeFileSync(join(repo, 'dist', 'index.js'), 'another bundle\n')
    writeFileSync(join(repo, 'src', 'inputs', 'action-defaults.generated.ts'), 'other defaults\n')
    mkdirSync(join(repo, 'dist', 'guard'))
    writeFileSync(join(repo, 'dist', 'guard', 'index.js'), 'new entrypoint\n')
    const stale = check()
    expect(stale.status).toBe(1)
    expect(stale.stderr).toMatch(/^dist\/ is stale: run npm run bundle and commit dist\/\. Changed:\n/)
    for (const line of [' M dist/index.js', ' M src/inputs/action-defaults.generated.ts', '?? dist/guard/index.js']) {
      expect(stale.stderr.split('\n')).toContain(line)
    }
  })
})

describe('the bundle in dist/', () => {
  const dist = join(root, 'dist')
  const scripts = readdirSync(dist, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.js'))
  const chunkNames = scripts.filter((name) => /^\d+\.index\.js$/.test(name))

  it("is index.js and its chunk files, and the guard's two steps, at most 1.5 MB of JavaScript in all, ASCII only", () => {
    expect([...scripts].sort()).toEqual(['guard/main.js', 'guard/post.js', 'index.js', ...chunkNames].sort())
    expect(chunkNames.length).toBeGreaterThan(0)
    const bytes = scripts.reduce((total, name) => total + statSync(join(dist, name)).size, 0)
    expect(bytes).toBeLessThanOrEqual(1_500_000)
    for (const name of scripts) {
      // eslint-disable-next-line no-control-regex -- the class is "anything but ASCII"
      expect(/[^\x00-\x7f]/.test(readFileSync(join(dist, name), 'utf8'))).toBe(false)
    }
  })

  it('keeps Octokit, undici and the HTTP client out of index.js and the chunks that stop a batch, in a chunk loaded on demand', () => {
    const entry = readFileSync(join(dist, 'index.js'), 'utf8')
    expect(entry).not.toContain('@octokit/core')
    expect(entry).not.toMatch(/undici/i)
    const chunks = chunkNames.map((name) => readFileSync(join(dist, name), 'utf8'))
    expect(chunks.filter((chunk) => chunk.includes('paginate') && /undici/i.test(chunk))).toHaveLength(1)
    const stopping = chunks.filter((chunk) => chunk.includes('StopBuildBatch'))
    expect(stopping.length).toBeGreaterThan(0)
    for (const chunk of stopping) expect(chunk).not.toMatch(/undici/i)
  })

  it('lists the license of every package of every file, index.js and chunks alike', () => {
    const licenses = readFileSync(join(dist, 'licenses.txt'), 'utf8')
    for (const name of ['@actions/core', '@aws-sdk/client-codebuild', '@octokit/core', '@octokit/plugin-paginate-rest', 'undici', '@actions/http-client']) {
      expect(licenses).toMatch(new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\n`, 'm'))
    }
  })
})
