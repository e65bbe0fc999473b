import { CodeBuildClient } from '@aws-sdk/client-codebuild'
import { USER_AGENT_NAME } from '../inputs/constants.js'
import { errorName, isRecord } from '../runtime/errors.js'
import { CancellationRetryStrategy, DEFAULT_RETRY_POLICY } from './retry-strategy.js'

/**
 * Time limits of one HTTP attempt. A cancellation step has minutes at most (the runner ends
 * everything about five minutes after a cancel), so a hung connection must fail fast and
 * be retried rather than eat that window. StopBuildBatch and BatchGetBuildBatches answer
 * within a second when CodeBuild is healthy.
 */
export const CONNECTION_TIMEOUT_MS = 3000
export const REQUEST_TIMEOUT_MS = 10_000

/** One HTTP attempt of a call, as the debug log shows it. Nothing in it is secret. */
export interface RequestAttempt {
  /** `StopBuildBatch`, `BatchGetBuildBatches`, … */
  readonly operation: string
  /** 1 for the first attempt; from the SDK's `amz-sdk-request` header. */
  readonly attempt?: number
  readonly maxAttempts?: number
  /** The HTTP status, when an answer came. */
  readonly status?: number
  /** The AWS error type of an error answer, or the network error (`ECONNRESET`, `TimeoutError`). */
  readonly errorName?: string
  /** AWS's id of the request (`x-amzn-requestid`), which AWS support asks for. */
  readonly requestId?: string
  readonly durationMs: number
}

export interface ClientOptions {
  /** Called after every HTTP attempt, retries included; set only when the log is in debug mode. */
  readonly onAttempt?: (attempt: RequestAttempt) => void
}

/**
 * The one place a CodeBuild client is made. Credentials come from the SDK's default chain
 * (environment, web identity, container and instance roles), which is what
 * aws-actions/configure-aws-credentials sets up; the endpoint can be overridden with
 * AWS_ENDPOINT_URL_CODEBUILD, which the SDK reads itself.
 */
export function createCodeBuildClient(region: string, version: string, options: ClientOptions = {}): CodeBuildClient {
  const client = new CodeBuildClient({
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
  if (options.onAttempt !== undefined) addAttemptObserver(client, options.onAttempt)
  return client
}

/**
 * Reports every HTTP attempt. The middleware sits innermost, below the retry middleware (so
 * it sees each attempt, not just the call) and below the deserializer (so it sees the raw
 * answer's status and request id even when the body cannot be read). It reads only the
 * attempt header the retry middleware sets and the answer's status and request id: never
 * the signed headers or the credentials.
 */
function addAttemptObserver(client: CodeBuildClient, onAttempt: (attempt: RequestAttempt) => void): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = String(context.commandName ?? 'unknown').replace(/Command$/, '')
      const header = headerOf(args.request, 'amz-sdk-request')
      const attempt = /attempt=(\d+)/.exec(header ?? '')?.[1]
      const max = /max=(\d+)/.exec(header ?? '')?.[1]
      const base = {
        operation,
        ...(attempt === undefined ? {} : { attempt: Number(attempt) }),
        ...(max === undefined ? {} : { maxAttempts: Number(max) })
      }
      const started = Date.now()
      try {
        const result = await next(args)
        const status = isRecord(result.response) && typeof result.response.statusCode === 'number' ? result.response.statusCode : undefined
        const requestId = headerOf(result.response, 'x-amzn-requestid')
        onAttempt({
          ...base,
          ...(status === undefined ? {} : { status }),
          ...(status !== undefined && status >= 300 ? { errorName: headerOf(result.response, 'x-amzn-errortype')?.split(':')[0] } : {}),
          ...(requestId === undefined ? {} : { requestId }),
          durationMs: Date.now() - started
        })
        return result
      } catch (error) {
        const code = isRecord(error) && typeof error.code === 'string' ? error.code : undefined
        onAttempt({ ...base, errorName: code ?? (errorName(error) || 'unknown error'), durationMs: Date.now() - started })
        throw error
      }
    },
    { step: 'deserialize', priority: 'low', name: 'stopCodebuildBatchAttemptObserver' }
  )
}

function headerOf(message: unknown, name: string): string | undefined {
  const headers = isRecord(message) && isRecord(message.headers) ? message.headers : undefined
  if (headers === undefined) return undefined
  const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name)
  const value = key === undefined ? undefined : headers[key]
  return typeof value === 'string' ? value : undefined
}
