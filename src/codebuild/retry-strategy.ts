import type { RetryErrorInfo, RetryStrategyV2, RetryToken } from '@smithy/types'

/** How hard to try before giving up on one call. */
export interface RetryPolicy {
  /** Attempts per call, the first one included. */
  readonly maxAttempts: number
  /** Backoff base for transient errors (5xx, resets, timeouts, unreadable answers). */
  readonly baseDelayMs: number
  /** Backoff base for throttling ("Rate exceeded"). */
  readonly throttlingBaseDelayMs: number
  /** No single wait between attempts is longer than this. */
  readonly maxDelayMs: number
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 10,
  baseDelayMs: 100,
  throttlingBaseDelayMs: 500,
  maxDelayMs: 8000
}

/**
 * The SDK's retry middleware with a policy for a cancellation path, plugged in as a
 * `retryStrategy`. The SDK classifies every error (THROTTLING, TRANSIENT, SERVER_ERROR,
 * CLIENT_ERROR); this strategy decides what to do with that, differently from the SDK's
 * standard strategy in three ways:
 *
 * - More attempts (10, not 3), with exponential backoff and full jitter, so that a burst of
 *   "Rate exceeded" across 100 concurrent stop calls is ridden out rather than reported.
 * - No client-wide retry quota. The standard strategy stops retrying anything once a
 *   client has spent its 500 retry tokens; stopping 100 batches under throttling would
 *   drain it and the last batches would fail without a real attempt.
 * - An answer that cannot be parsed (a truncated JSON body, an HTML error page from a
 *   proxy) is retried. The SDK reports it as a CLIENT_ERROR, which the standard strategy
 *   never retries, although the request itself was fine. StopBuildBatch may be repeated
 *   safely: stopping a stopping or stopped batch answers its state.
 *
 * The delay is handed back in the token and the middleware sleeps, so a cancelled wait
 * (abortSignal) interrupts the sleep too.
 */
export class CancellationRetryStrategy implements RetryStrategyV2 {
  readonly mode = 'standard'

  constructor(
    private readonly policy: RetryPolicy = DEFAULT_RETRY_POLICY,
    private readonly random: () => number = Math.random,
    private readonly now: () => number = Date.now
  ) {}

  async acquireInitialRetryToken(): Promise<RetryToken> {
    return retryToken(0, 0)
  }

  async refreshRetryTokenForRetry(token: RetryToken, errorInfo: RetryErrorInfo): Promise<RetryToken> {
    const retries = token.getRetryCount() + 1
    if (retries >= this.policy.maxAttempts || !isRetryable(errorInfo)) {
      throw new Error('No retry token available')
    }
    const base = errorInfo.errorType === 'THROTTLING' ? this.policy.throttlingBaseDelayMs : this.policy.baseDelayMs
    const ceiling = Math.min(this.policy.maxDelayMs, base * 2 ** (retries - 1))
    let delay = Math.floor(this.random() * ceiling)
    if (errorInfo.retryAfterHint instanceof Date) {
      const hinted = errorInfo.retryAfterHint.getTime() - this.now()
      delay = Math.max(delay, Math.min(hinted, this.policy.maxDelayMs))
    }
    return retryToken(retries, delay)
  }

  recordSuccess(): void {
    // No quota to refill: see the class comment.
  }
}

function isRetryable({ errorType, error }: RetryErrorInfo): boolean {
  if (errorType === 'THROTTLING' || errorType === 'TRANSIENT' || errorType === 'SERVER_ERROR') {
    return true
  }
  return isUnreadableAnswer(error)
}

/** A response that arrived but could not be deserialized (the SDK adds `$response`). */
function isUnreadableAnswer(error: unknown): boolean {
  if (typeof error !== 'object' || error === null || !('$response' in error)) return false
  const { name, message } = error as { name?: unknown; message?: unknown }
  return name === 'SyntaxError' || (typeof message === 'string' && message.includes('Deserialization error'))
}

function retryToken(retryCount: number, retryDelay: number): RetryToken {
  return {
    getRetryCount: () => retryCount,
    getRetryDelay: () => retryDelay
  }
}
