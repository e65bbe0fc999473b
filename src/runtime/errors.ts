/**
 * A failure the user can fix by changing an input. It is reported as its message alone:
 * no stack trace, because nothing is wrong with the action.
 */
export class InputError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'InputError'
  }
}

/**
 * The message of anything thrown. `instanceof Error` alone is not enough: a rejected promise
 * can carry a string, an object or `undefined`, and a step must never end green, or with
 * "undefined", because of that.
 */
export function errorMessage(error: unknown): string {
  let message: string
  if (error instanceof Error) {
    message = error.message
  } else if (typeof error === 'string') {
    message = error
  } else if (isRecord(error) && typeof error.message === 'string') {
    message = error.message
  } else {
    try {
      message = JSON.stringify(error) ?? String(error)
    } catch {
      message = String(error)
    }
  }
  // The SDK appends a hint for developers to deserialization errors; a user cannot act on it.
  message = message.replace(/\s*Deserialization error: to see the raw response.*$/s, '')
  return message.trim() === '' ? 'unknown error' : message.trim()
}

/** The error's name (`ThrottlingException`, `TimeoutError`, …) or '' when it has none. */
export function errorName(error: unknown): string {
  return isRecord(error) && typeof error.name === 'string' ? error.name : ''
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null
}

export type CodeBuildOperation =
  | 'StopBuildBatch'
  | 'BatchGetBuildBatches'
  | 'ListBuildBatchesForProject'

export interface CallContext {
  /** The API operation that failed. */
  readonly operation: CodeBuildOperation
  /** The project ARN the IAM policy must name. */
  readonly projectArn: string
}

const CREDENTIAL_ERRORS = new Set([
  'CredentialsProviderError',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'ExpiredTokenException',
  'ExpiredToken',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'IncompleteSignatureException',
  'MissingAuthenticationTokenException'
])

const NETWORK_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ETIMEDOUT'
])

/**
 * Explains a failed CodeBuild call in terms of what the user can do about it: which IAM
 * action to grant on which resource, how to provide credentials, or that the service kept
 * throttling or could not be reached. AWS's own message follows as it came: the log and
 * summary renderers escape it.
 */
export function describeAwsError(error: unknown, context: CallContext): string {
  const name = errorName(error)
  const message = errorMessage(error)
  const attempts = attemptsOf(error)
  const tried = attempts > 1 ? ` after ${attempts} attempts` : ''
  const action = `codebuild:${context.operation}`

  if (name === 'CredentialsProviderError' || /could not load credentials/i.test(message)) {
    return (
      'no AWS credentials were found. Configure them before this step, for example with ' +
      'aws-actions/configure-aws-credentials (OIDC role), or set AWS_ACCESS_KEY_ID and ' +
      'AWS_SECRET_ACCESS_KEY.'
    )
  }
  if (CREDENTIAL_ERRORS.has(name)) {
    return `AWS rejected the credentials (${name}): they are invalid or expired. Refresh them, for example with aws-actions/configure-aws-credentials. AWS said: ${message}`
  }
  if (name === 'AccessDeniedException' || name === 'AccessDenied' || /not authorized/i.test(message)) {
    return `access denied: grant ${action} on ${context.projectArn} to the role this step uses. AWS said: ${message}`
  }
  if (name === 'ThrottlingException' || /rate exceeded/i.test(message)) {
    return `CodeBuild kept throttling ${context.operation}${tried}. AWS said: ${message}`
  }
  if (name === 'TimeoutError') {
    return `${context.operation} timed out${tried}: CodeBuild did not answer in time.`
  }
  const code = isRecord(error) && typeof error.code === 'string' ? error.code : ''
  if (NETWORK_ERROR_CODES.has(code)) {
    return `${context.operation} could not reach CodeBuild${tried} (${code}). Check the network and AWS_ENDPOINT_URL_CODEBUILD if it is set.`
  }
  if (name === 'SyntaxError' || /deserialization error/i.test(isRecord(error) ? String(error.message) : '')) {
    return `${context.operation} got an answer from CodeBuild that could not be read${tried}.`
  }
  const status = httpStatusOf(error)
  const prefix = name !== '' && name !== 'Error' ? `${name}: ` : ''
  return `${context.operation} failed${status ? ` (HTTP ${status})` : ''}${tried}: ${prefix}${message}`
}

/**
 * Whether an answer says that this step will never get to describe the batch, however often
 * it asks: access is denied, the credentials are refused, or CodeBuild does not know the
 * batch. Only such an answer ends the wait for a batch. Throttling, 5xx answers, timeouts,
 * resets and unreadable answers say nothing about the batch and are asked again next round
 * (the client has already retried them), until wait-timeout.
 */
export function isRefusal(error: unknown): boolean {
  const name = errorName(error)
  return (
    name === 'AccessDeniedException' ||
    name === 'AccessDenied' ||
    name === 'ResourceNotFoundException' ||
    name === 'CredentialsProviderError' ||
    CREDENTIAL_ERRORS.has(name) ||
    /not authorized/i.test(errorMessage(error))
  )
}

function attemptsOf(error: unknown): number {
  const metadata = isRecord(error) ? error.$metadata : undefined
  return isRecord(metadata) && typeof metadata.attempts === 'number' ? metadata.attempts : 0
}

export function httpStatusOf(error: unknown): number | undefined {
  const metadata = isRecord(error) ? error.$metadata : undefined
  return isRecord(metadata) && typeof metadata.httpStatusCode === 'number'
    ? metadata.httpStatusCode
    : undefined
}
