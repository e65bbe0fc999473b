import { CodeBuildClient } from '@aws-sdk/client-codebuild'
import { USER_AGENT_NAME } from '../inputs/constants.js'
import { CancellationRetryStrategy, DEFAULT_RETRY_POLICY } from './retry-strategy.js'

/**
 * Time limits of one HTTP attempt. A cancellation step has minutes at most (the runner ends
 * everything about five minutes after a cancel), so a hung connection must fail fast and
 * be retried rather than eat that window. StopBuildBatch and BatchGetBuildBatches answer
 * within a second when CodeBuild is healthy.
 */
export const CONNECTION_TIMEOUT_MS = 3000
export const REQUEST_TIMEOUT_MS = 10_000

/**
 * The one place a CodeBuild client is made. Credentials come from the SDK's default chain
 * (environment, web identity, container and instance roles), which is what
 * aws-actions/configure-aws-credentials sets up; the endpoint can be overridden with
 * AWS_ENDPOINT_URL_CODEBUILD, which the SDK reads itself.
 */
export function createCodeBuildClient(region: string, version: string): CodeBuildClient {
  return new CodeBuildClient({
    region,
    maxAttempts: DEFAULT_RETRY_POLICY.maxAttempts,
    retryStrategy: new CancellationRetryStrategy(DEFAULT_RETRY_POLICY),
    requestHandler: {
      connectionTimeout: CONNECTION_TIMEOUT_MS,
      requestTimeout: REQUEST_TIMEOUT_MS,
      // Without this the handler only logs a warning when requestTimeout fires, and a hung
      // connection hangs the step.
      throwOnRequestTimeout: true
    },
    customUserAgent: [[USER_AGENT_NAME, version]]
  })
}
