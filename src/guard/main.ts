import { randomUUID } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { failStep } from '../core/fail-step.js'
import { BATCH_FILE_VARIABLE, GUARD_STATE_NAME } from '../inputs/constants.js'
import { readGuardSettings } from '../inputs/guard-settings.js'
import { guardingLine } from '../report/render-log.js'
import * as core from '../report/workflow-commands.js'
import { runIdentityOf } from '../subject/job-ownership.js'
import { readRunEvent } from '../subject/run-event.js'
import { serializeGuardState } from './guard-state.js'

/**
 * The guard's main step, at the top of the job: validates every input, so that bad input
 * fails the job when it starts rather than when it is cancelled; saves what the post step
 * needs; and creates the file where the job's steps record the batches they start. It sends
 * no request to AWS, and this module does not even load the SDK.
 */
export function run(): void {
  const startedAt = Date.now()
  try {
    if (!hasCredentials(process.env)) core.warning(NO_CREDENTIALS)
    const settings = readGuardSettings((name) => core.getInput(name), process.env)
    const identity = runIdentityOf(readRunEvent(), process.env)
    const batchFile = createBatchFile(process.env.RUNNER_TEMP || tmpdir())
    const state = { startedAt, projects: settings.projects, region: settings.region, batchFile, identity }
    core.saveState(GUARD_STATE_NAME, serializeGuardState(state))
    core.exportVariable(BATCH_FILE_VARIABLE, batchFile)
    core.info(guardingLine(state))
  } catch (error) {
    failStep(error)
  }
}

const NO_CREDENTIALS =
  'No AWS credentials in the environment of this step. Place the guard right after the step that configures them ' +
  '(aws-actions/configure-aws-credentials): post steps run in the reverse order of their steps, and the post step ' +
  'of configure-aws-credentials empties the credentials, so a guard placed before it would stop nothing. The guard ' +
  'goes on: the credentials may come from an instance or container role.'

/** Credentials the AWS SDK would find in the environment; an instance or container role leaves no trace there. */
function hasCredentials(env: Readonly<Record<string, string | undefined>>): boolean {
  return ['AWS_ACCESS_KEY_ID', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_PROFILE', 'AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI'].some(
    (name) => (env[name] ?? '').trim() !== ''
  )
}

/** An empty file of this job's own, under RUNNER_TEMP (which the runner empties after the job). */
function createBatchFile(folder: string): string {
  const file = join(folder, `stop-codebuild-batch-${randomUUID()}.txt`)
  writeFileSync(file, '', { flag: 'wx' })
  return file
}
