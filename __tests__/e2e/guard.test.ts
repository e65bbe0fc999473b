// End-to-end: the guard (guard/action.yml) run as the runner runs a job: its main step
// (dist/guard/main.js) at the top, later steps that start batches, and, because the job did
// not succeed, its post step (dist/guard/post.js) with the main step's inputs, its GITHUB_STATE
// entries as STATE_* variables and the job's GITHUB_ENV exports. Both steps run under Node 24
// in child processes, against the local endpoint over real HTTP with the real AWS SDK.
import { describe, expect, it } from '@jest/globals'
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { BatchSpec } from '../../local-codebuild/server.mjs'
import { LOCAL_ACCESS_KEY_ID, LOCAL_ACCOUNT, LOCAL_SECRET_ACCESS_KEY } from '../../local-codebuild/server.mjs'
import { GUARD_MAIN_ENTRY, GUARD_POST_ENTRY, ROOT } from '../../local-codebuild/run-action.mjs'
import { commandLines, withEndpoint, withGuardJob, type LocalCodeBuild } from './harness.js'

const PUSH_SHA = '2222222222222222222222222222222222222222'
const PR_HEAD = '4f9a0c2b7d1e8f3a6b5c4d3e2f1a0b9c8d7e6f5a'
const FAST = { 'poll-interval': '0.2' }
const RUN = { GITHUB_RUN_ID: '9001', GITHUB_RUN_ATTEMPT: '1', GITHUB_JOB: 'build' }
const event = (name: string) => fileURLToPath(new URL(`../../__fixtures__/events/${name}.json`, import.meta.url))
const PUSH = { ...RUN, GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: event('push'), GITHUB_SHA: PUSH_SHA, GITHUB_REF: 'refs/heads/main' }
const PULL_REQUEST = {
  ...RUN,
  GITHUB_EVENT_NAME: 'pull_request',
  GITHUB_EVENT_PATH: event('pull_request'),
  GITHUB_SHA: 'cccccccccccccccccccccccccccccccccccccccc',
  GITHUB_REF: 'refs/pull/42/merge',
  GITHUB_HEAD_REF: 'feature/matrix'
}
/** What aws-actions/configure-aws-credentials' post step leaves behind. */
const CREDENTIALS_EMPTIED = { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_SESSION_TOKEN: '', AWS_REGION: '', AWS_DEFAULT_REGION: '' }

/** A batch a step of this job starts now, as `aws codebuild start-build-batch` by the job's role would. */
function start(endpoint: LocalCodeBuild, spec: Partial<BatchSpec> = {}): string {
  return endpoint.addBatch({ project: 'app', initiator: 'ci-role/session', startTime: Date.now() / 1000, pollsToSettle: 1, ...spec })
}

const runVariables = (runId = RUN.GITHUB_RUN_ID, attempt = RUN.GITHUB_RUN_ATTEMPT) => [
  { name: 'GITHUB_RUN_ID', value: runId },
  { name: 'GITHUB_RUN_ATTEMPT', value: attempt }
]

const stopped = (endpoint: LocalCodeBuild) => endpoint.requestsOf('StopBuildBatch').map((request) => request.body.id).sort()

describe('the guard', () => {
  it('stops, when the job fails, the batches this job started after the guard, and keeps every other one', async () => {
    await withEndpoint({}, async (endpoint, url) => {
      await withGuardJob(url, PUSH, async (job) => {
        const before = start(endpoint, { startTime: Date.now() / 1000 - 600, environmentVariables: runVariables() })
        const main = await job.main({ 'project-name': 'app', ...FAST })

        expect(main.exitCode).toBe(0)
        expect(endpoint.requests).toHaveLength(0)
        expect(main.stdout).toMatch(
          /^Guarding CodeBuild project\(s\) app \(us-east-1\): if this job is cancelled, fails or times out, its post step stops every batch recorded in \$STOP_CODEBUILD_BATCH_FILE \(.+\) and the in-progress batches of these projects that this job starts from \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ on: those carrying GITHUB_RUN_ID 9001, or carrying none and built for 2{40} or refs\/heads\/main or main; never a webhook's or another run's\.\n$/
        )
        const file = main.exported.STOP_CODEBUILD_BATCH_FILE
        expect(file.startsWith(job.runnerTemp)).toBe(true)
        expect(statSync(file).size).toBe(0)
        // The state holds the identity and the region, never credentials.
        expect(JSON.parse(main.state.guard)).toMatchObject({
          projects: ['app'],
          region: 'us-east-1',
          batchFile: file,
          identity: { eventName: 'push', runId: '9001', runAttempt: '1', job: 'build', sha: PUSH_SHA, ref: 'refs/heads/main', branch: 'main' }
        })
        expect(main.state.guard).not.toContain(LOCAL_ACCESS_KEY_ID)
        expect(main.state.guard).not.toContain(LOCAL_SECRET_ACCESS_KEY)

        const mine = [
          start(endpoint, { environmentVariables: runVariables(), sourceVersion: 'release' }),
          start(endpoint, { sourceVersion: PUSH_SHA, environmentVariables: [{ name: 'STAGE', value: 'test' }] })
        ]
        const otherRun = start(endpoint, { sourceVersion: PUSH_SHA, environmentVariables: runVariables('9002') })
        const earlierAttempt = start(endpoint, { environmentVariables: runVariables('9001', '0') })
        const webhook = start(endpoint, { sourceVersion: PUSH_SHA, initiator: 'GitHub-Hookshot/4d5e6f' })
        const otherProject = start(endpoint, { project: 'other-app', environmentVariables: runVariables() })
        start(endpoint, { status: 'SUCCEEDED', environmentVariables: runVariables() })

        const post = await job.post()

        expect(post.exitCode).toBe(0)
        expect(stopped(endpoint)).toEqual([...mine].sort())
        for (const id of [before, otherRun, earlierAttempt, webhook]) expect(endpoint.batch(id)?.buildBatchStatus).toBe('IN_PROGRESS')
        expect(endpoint.batch(otherProject)?.buildBatchStatus).toBe('IN_PROGRESS')
        expect(endpoint.requestsOf('ListBuildBatchesForProject').map((request) => request.body.projectName)).toEqual(['app'])
        expect(post.stdout).toContain('No batch is recorded in $STOP_CODEBUILD_BATCH_FILE.')
        expect(post.stdout).toContain('Project app (us-east-1): 6 in-progress batch(es), 2 started by this job.')
        expect(post.stdout).toMatch(new RegExp(`Stopping ${mine[0]}: started \\S+ \\S+Z by ci-role/session, and carries this run's GITHUB_RUN_ID 9001 and GITHUB_RUN_ATTEMPT 1\\.`))
        expect(post.stdout).toMatch(new RegExp(`Stopping ${mine[1]}: started \\S+ \\S+Z by ci-role/session, carries no GITHUB_RUN_ID, and its source version ${PUSH_SHA} is the head commit, from the push event\\.`))
        expect(post.stdout).toContain(`Keeping ${otherRun}: it carries GITHUB_RUN_ID 9002, another run's.`)
        expect(post.stdout).toContain(`Keeping ${earlierAttempt}: it carries GITHUB_RUN_ATTEMPT 0, and this job runs attempt 1.`)
        expect(post.stdout).toContain(`Keeping ${webhook}: a webhook started it (GitHub-Hookshot/4d5e6f), not a job.`)
        expect(post.stdout).toContain("Keeping 1 batch(es) of project app that started before this job's guard.")
        expect(post.stdout).toContain('All batches and their builds have stopped')
        expect(commandLines(post)).toEqual([])
        expect(JSON.parse(post.outputs['stopped-ids']).sort()).toEqual([...mine].sort())
        expect(post.summary).toContain('<h2>Stop CodeBuild batch builds: 2 batches</h2>')
        expect(post.summary).toContain('<b>Guard of this job</b>')
        expect(post.summary).toContain('Project <code>app</code> (us-east-1): 2 of 6 in-progress batches were started by this job; 1 started before the guard.')
        expect(post.summary).toContain(`<br>Kept <code>${otherRun}</code>: it carries GITHUB&#95;RUN&#95;ID 9002, another run&#39;s.`)
        expect(post.summary).toContain("<b>Why:</b> started ")
        expect(post.summary).toContain('<table>')
      })
    })
  })

  it('warns at the top of the job, naming the order, when it sees no credentials, and fails the post step with the same error as the stop action', async () => {
    await withEndpoint({}, async (endpoint, url) => {
      await withGuardJob(url, PUSH, async (job) => {
        const noCredentials = { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_REGION: undefined }
        const main = await job.main({ 'project-name': 'app', 'aws-region': 'us-east-1' }, { env: noCredentials })

        expect(main.exitCode).toBe(0)
        expect(commandLines(main)).toEqual([
          '::warning::No AWS credentials in the environment of this step. Place the guard right after the step that configures them (aws-actions/configure-aws-credentials): post steps run in the reverse order of their steps, and the post step of configure-aws-credentials empties the credentials, so a guard placed before it would stop nothing. The guard goes on: the credentials may come from an instance or container role.'
        ])
        expect(main.stdout).toContain('Guarding CodeBuild project(s) app (us-east-1)')

        // Placed before configure-aws-credentials, the post step runs after its cleanup.
        job.shell('echo "$ID" >> "$STOP_CODEBUILD_BATCH_FILE"', { ID: start(endpoint, { environmentVariables: runVariables() }) })
        const post = await job.post({ env: { ...noCredentials, ...CREDENTIALS_EMPTIED } })

        expect(post.exitCode).toBe(1)
        expect(post.stdout).toContain(
          '::error::Could not list the batches of project app in us-east-1: no AWS credentials were found. Configure them before this step'
        )
        expect(post.stdout).toMatch(/::error::Could not stop app:\S+: no AWS credentials were found/)
        expect(endpoint.requests).toHaveLength(0)
      })
    })
  })

  it('stops in the region the main step resolved when a later step empties AWS_REGION', async () => {
    await withEndpoint({}, async (endpoint, url) => {
      await withGuardJob(url, PUSH, async (job) => {
        const main = await job.main({ 'project-name': 'app', ...FAST }, { env: { AWS_REGION: 'eu-west-1' } })
        expect(main.exitCode).toBe(0)
        const mine = start(endpoint, { region: 'eu-west-1', environmentVariables: runVariables() })
        const recorded = start(endpoint, { project: 'tools', region: 'eu-west-1', startTime: Date.now() / 1000 - 3600 })
        job.shell('echo "$ID" >> "$STOP_CODEBUILD_BATCH_FILE"', { ID: recorded })

        const post = await job.post({ env: { AWS_REGION: '', AWS_DEFAULT_REGION: '' } })

        expect(post.exitCode).toBe(0)
        expect(stopped(endpoint)).toEqual([mine, recorded].sort())
        expect(endpoint.requests.every((request) => request.region === 'eu-west-1')).toBe(true)
        expect(endpoint.batch(mine, 'eu-west-1')?.buildBatchStatus).toBe('STOPPED')
      })
    })
  })

  it('stops every batch recorded in $STOP_CODEBUILD_BATCH_FILE, from any project or region, and reports a malformed line', async () => {
    // The guarded project exists, with no batch of its own.
    await withEndpoint({ projects: ['app'] }, async (endpoint, url) => {
      await withGuardJob(url, PUSH, async (job) => {
        const main = await job.main({ 'project-name': 'app', ...FAST })
        expect(main.exitCode).toBe(0)
        // Recorded batches are the job's own by its word: neither their start nor their origin matters.
        const tools = start(endpoint, { project: 'tools', startTime: Date.now() / 1000 - 3600, initiator: 'GitHub-Hookshot/1' })
        const sydney = start(endpoint, { project: 'web', region: 'ap-southeast-2' })
        const sydneyArn = `arn:aws:codebuild:ap-southeast-2:${LOCAL_ACCOUNT}:build-batch/${sydney}`
        job.shell('echo "$TOOLS" >> "$STOP_CODEBUILD_BATCH_FILE"', { TOOLS: tools })
        job.shell('printf "\\n  %s  \\nnot a batch\\n%s\\n%s\\n" "$ARN" "$TOOLS" "$ARN" >> "$STOP_CODEBUILD_BATCH_FILE"', { ARN: sydneyArn, TOOLS: tools })

        const post = await job.post()

        expect(post.exitCode).toBe(0)
        expect(stopped(endpoint)).toEqual([sydney, tools].sort())
        expect(endpoint.requestsOf('StopBuildBatch').map((request) => [request.body.id, request.region]).sort()).toEqual(
          [
            [tools, 'us-east-1'],
            [sydney, 'ap-southeast-2']
          ].sort()
        )
        expect(commandLines(post)).toEqual([
          '::warning::Line 4 of $STOP_CODEBUILD_BATCH_FILE is not a batch id or ARN, so it is skipped: "not a batch": a batch id has the form project-name:uuid, and this one has no ":".'
        ])
        expect(post.stdout).toContain(`Recorded in $STOP_CODEBUILD_BATCH_FILE: 2 batch(es): ${tools}, ${sydney}.`)
        expect(post.summary).toContain('Recorded in <code>$STOP_CODEBUILD_BATCH_FILE</code>: 2 batches (⚠️ 1 malformed line skipped).')
        expect(post.summary).toContain('<b>Why:</b> recorded in $STOP&#95;CODEBUILD&#95;BATCH&#95;FILE, line 1.')
        expect(post.summary).toContain('<b>Why:</b> recorded in $STOP&#95;CODEBUILD&#95;BATCH&#95;FILE, line 3.')
      })
    })
  })

  it('stops the batches of the pull request this job started, and not those of another pull request or a webhook', async () => {
    await withEndpoint({}, async (endpoint, url) => {
      await withGuardJob(url, PULL_REQUEST, async (job) => {
        const main = await job.main({ 'project-name': 'app web', ...FAST })
        expect(main.exitCode).toBe(0)
        expect(JSON.parse(main.state.guard).identity).toMatchObject({ pullRequest: { number: 42, head: PR_HEAD }, branch: 'feature/matrix' })
        const mine = [
          start(endpoint, { sourceVersion: 'pr/42', resolvedSourceVersion: PR_HEAD }),
          start(endpoint, { project: 'web', sourceVersion: PR_HEAD }),
          start(endpoint, { project: 'web', sourceVersion: 'feature/matrix' })
        ]
        const kept = [
          start(endpoint, { sourceVersion: 'pr/420' }),
          start(endpoint, { sourceVersion: 'pr/42', initiator: 'GitHub-Hookshot/7' }),
          start(endpoint, { sourceVersion: 'pr/42', environmentVariables: runVariables('8000') })
        ]

        const post = await job.post()

        expect(post.exitCode).toBe(0)
        expect(stopped(endpoint)).toEqual([...mine].sort())
        for (const id of kept) expect(endpoint.batch(id)?.buildBatchStatus).toBe('IN_PROGRESS')
        expect(post.stdout).toContain('its source version pr/42 is the pull request, from the pull_request event.')
        expect(post.stdout).toContain(`its source version ${PR_HEAD} is the head commit, from the pull_request event.`)
        expect(post.stdout).toContain('its source version feature/matrix is the branch or tag name, from the pull_request event.')
        expect(post.stdout).toContain(`Keeping ${kept[0]}: it carries no GITHUB_RUN_ID, and neither its source version pr/420 nor its commit`)
        expect(post.stdout).toContain('Project web (us-east-1): 2 in-progress batch(es), 2 started by this job.')
      })
    })
  })

  it('finds nothing after a failure whose batches had already finished, says so, and succeeds', async () => {
    await withEndpoint({}, async (endpoint, url) => {
      await withGuardJob(url, PUSH, async (job) => {
        await job.main({ 'project-name': 'app' })
        start(endpoint, { status: 'SUCCEEDED', environmentVariables: runVariables() })
        start(endpoint, { startTime: Date.now() / 1000 - 600 })

        const post = await job.post()

        expect(post.exitCode).toBe(0)
        expect(endpoint.requestsOf('StopBuildBatch')).toHaveLength(0)
        expect(post.stdout).toContain(
          'Nothing to stop: no batch is recorded in $STOP_CODEBUILD_BATCH_FILE, and no in-progress batch of app was started by this job.'
        )
        expect(post.outputs).toMatchObject({ 'stopped-ids': '[]', batches: '[]', complete: 'true' })
        expect(post.summary).toContain('No batch to stop.')
        expect(post.summary).toContain('0 of 1 in-progress batch was started by this job; 1 started before the guard.')
        expect(commandLines(post)).toEqual([])
      })
    })
  })

  it.each([
    [{ 'project-name': '' }, "::error::Input 'project-name' is required and empty"],
    [{ 'project-name': 'app, my.app' }, "::error::Input 'project-name' has an invalid value \"my.app\": a CodeBuild project name is 2 to 255 letters"],
    [{ 'project-name': 'app', 'wait-timeout': '2m' }, "::error::Input 'wait-timeout' has an invalid value \"2m\": expected a number of seconds from 1 to 21600."],
    [{ 'project-name': 'app', 'aws-region': 'Frankfurt' }, "::error::Input 'aws-region' has an invalid value \"Frankfurt\": expected an AWS region such as us-east-1."]
  ])('fails the main step on bad input %j, before any request, and its post step then has nothing to stop', async (inputs, error) => {
    await withEndpoint({}, async (endpoint, url) => {
      await withGuardJob(url, PUSH, async (job) => {
        start(endpoint, { environmentVariables: runVariables() })
        const main = await job.main(inputs)

        expect(main.exitCode).toBe(1)
        expect(commandLines(main)).toEqual([expect.stringContaining(error)])
        expect(main.state).toEqual({})
        expect(main.exported).toEqual({})

        const post = await job.post()
        expect(post.exitCode).toBe(0)
        expect(post.stdout).toBe("Nothing to stop: the guard's main step did not finish (see its error), so it saved nothing to guard.\n")
        expect(endpoint.requests).toHaveLength(0)
      })
    })
  })

  it('still stops the recorded batches when a project cannot be searched, and fails naming the permission', async () => {
    await withEndpoint({ faults: [{ kind: 'deny', operation: 'ListBuildBatchesForProject' }] }, async (endpoint, url) => {
      await withGuardJob(url, PUSH, async (job) => {
        await job.main({ 'project-name': 'app', ...FAST })
        const recorded = start(endpoint, { environmentVariables: runVariables() })
        job.shell('echo "$ID" >> "$STOP_CODEBUILD_BATCH_FILE"', { ID: recorded })

        const post = await job.post()

        expect(post.exitCode).toBe(1)
        expect(stopped(endpoint)).toEqual([recorded])
        expect(post.stdout).toContain(
          '::error::Could not list the batches of project app in us-east-1: access denied: grant codebuild:ListBuildBatchesForProject on arn:aws:codebuild:us-east-1:<account-id>:project/app'
        )
        expect(post.summary).toContain('Project <code>app</code> (us-east-1): ❌ Could not list the batches')
      })
    })
  })

  it('sends the stops of the recorded batches at once, while a slow project listing is still out', async () => {
    const SLOW_LISTING_MS = 1500
    await withEndpoint({ faults: [{ kind: 'delay', operation: 'ListBuildBatchesForProject', delayMs: SLOW_LISTING_MS }] }, async (endpoint, url) => {
      await withGuardJob(url, PUSH, async (job) => {
        await job.main({ 'project-name': 'app', ...FAST })
        const recorded = start(endpoint, { project: 'tools' })
        const mine = start(endpoint, { environmentVariables: runVariables() })
        job.shell('echo "$ID" >> "$STOP_CODEBUILD_BATCH_FILE"', { ID: recorded })

        const post = await job.post()

        expect(post.exitCode).toBe(0)
        expect(stopped(endpoint)).toEqual([recorded, mine].sort())
        const [listing] = endpoint.requestsOf('ListBuildBatchesForProject')
        const stopOf = (id: string) => endpoint.requestsOf('StopBuildBatch').find((request) => request.body.id === id)
        // The recorded batch's stop went out before the listing was answered; the found one's after.
        expect(stopOf(recorded)?.receivedAt).toBeLessThan(listing.receivedAt + SLOW_LISTING_MS)
        expect(stopOf(mine)?.receivedAt).toBeGreaterThanOrEqual(listing.receivedAt + SLOW_LISTING_MS)
      })
    })
  })

  it('stops the batches of the projects CodeBuild has, and fails naming the project it does not have and the region', async () => {
    await withEndpoint({}, async (endpoint, url) => {
      await withGuardJob(url, PUSH, async (job) => {
        await job.main({ 'project-name': 'app gone', ...FAST })
        const mine = start(endpoint, { environmentVariables: runVariables() })

        const post = await job.post()

        expect(post.exitCode).toBe(1)
        expect(stopped(endpoint)).toEqual([mine])
        expect(commandLines(post)).toEqual([
          '::error::CodeBuild has no project gone in us-east-1: check project-name and the region (aws-region, or AWS_REGION).'
        ])
        expect(post.summary).toContain('Project <code>gone</code> (us-east-1): ❌ CodeBuild has no project gone in us-east-1')
      })
    })
  })

  it('runs both steps without the chunk that holds Octokit, which only a pull request lookup of the stop action loads', async () => {
    // dist/ without the chunk that holds Octokit: a step that loaded it would fail here.
    const bare = mkdtempSync(join(tmpdir(), 'dist-without-octokit-'))
    cpSync(join(ROOT, 'dist'), bare, { recursive: true })
    const octokit = readdirSync(bare).filter((name) => /^\d+\.index\.js$/.test(name) && /paginate/.test(readFileSync(join(bare, name), 'utf8')) && /undici/i.test(readFileSync(join(bare, name), 'utf8')))
    expect(octokit).toHaveLength(1)
    rmSync(join(bare, octokit[0]))
    await withEndpoint({}, async (endpoint, url) => {
      const entries = { main: join(bare, 'guard', 'main.js'), post: join(bare, 'guard', 'post.js') }
      await withGuardJob(
        url,
        PULL_REQUEST,
        async (job) => {
          const main = await job.main({ 'project-name': 'app', ...FAST })
          const mine = start(endpoint, { sourceVersion: PR_HEAD })

          const post = await job.post()

          expect([main.exitCode, post.exitCode]).toEqual([0, 0])
          expect(stopped(endpoint)).toEqual([mine])
        },
        entries
      )
    })
  })

  it('keeps the stop action\'s cancel handling in its post step: a SIGINT while it waits ends the wait, not the stops', async () => {
    await withEndpoint({}, async (endpoint, url) => {
      await withGuardJob(url, PUSH, async (job) => {
        await job.main({ 'project-name': 'app', 'wait-timeout': '60', ...FAST })
        const mine = start(endpoint, { environmentVariables: runVariables(), stopBehaviour: 'never-settles' })

        const post = await job.post({
          onSpawn: (child, output) => {
            const timer = setInterval(() => {
              if (!output.stdout().includes('Poll 1:')) return
              clearInterval(timer)
              child.kill('SIGINT')
            }, 5)
          }
        })

        expect(post.exitCode).toBe(0)
        expect(post.signal).toBeNull()
        expect(stopped(endpoint)).toEqual([mine])
        expect(post.stdout).toContain('::warning::Received SIGINT: the runner is cancelling this step')
        expect(post.stdout).toContain('The step was cancelled while waiting')
        expect(post.summary).toContain('<b>Guard of this job</b>')
      })
    })
  })

  it('runs its main step from a small bundle without the AWS SDK, and its post step from the stop action bundle', () => {
    const main = readFileSync(GUARD_MAIN_ENTRY, 'utf8')
    expect(main).not.toContain('CodeBuild_20161006')
    expect(main).not.toContain('../index.js')
    expect(main.length).toBeLessThan(100_000)
    expect(readFileSync(GUARD_POST_ENTRY, 'utf8')).toContain("import '../index.js'")
    expect(existsSync(GUARD_POST_ENTRY.replace(/guard[\\/]post\.js$/, 'index.js'))).toBe(true)
  })
})
