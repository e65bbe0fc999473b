import { describe, expect, it } from '@jest/globals'
import type { RetryErrorInfo, RetryErrorType } from '@smithy/types'
import { CancellationRetryStrategy, DEFAULT_RETRY_POLICY, type RetryPolicy } from '../src/codebuild/retry-strategy.js'

const POLICY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 100, throttlingBaseDelayMs: 500, maxDelayMs: 2000 }

const info = (errorType: RetryErrorType, error: unknown = new Error('x'), retryAfterHint?: Date): RetryErrorInfo =>
  ({ errorType, error, ...(retryAfterHint === undefined ? {} : { retryAfterHint }) }) as RetryErrorInfo

/** The delays of successive retries until the strategy refuses, and how many there were. */
async function delays(strategy: CancellationRetryStrategy, errorInfo: RetryErrorInfo): Promise<number[]> {
  const seen: number[] = []
  let token = await strategy.acquireInitialRetryToken()
  for (;;) {
    try {
      token = await strategy.refreshRetryTokenForRetry(token, errorInfo)
    } catch {
      return seen
    }
    seen.push(token.getRetryDelay())
  }
}

describe('CancellationRetryStrategy', () => {
  it.each(['THROTTLING', 'TRANSIENT', 'SERVER_ERROR'] as const)('retries %s until maxAttempts', async (errorType) => {
    expect(await delays(new CancellationRetryStrategy(POLICY, () => 0.5), info(errorType))).toHaveLength(POLICY.maxAttempts - 1)
  })

  it('does not retry a client error', async () => {
    expect(await delays(new CancellationRetryStrategy(POLICY), info('CLIENT_ERROR'))).toEqual([])
  })

  it('retries an answer that could not be parsed, which the SDK calls a client error', async () => {
    const unreadable = Object.assign(new SyntaxError('Unexpected end of JSON input'), { $response: { statusCode: 200 } })
    const hinted = Object.assign(new Error('x\n  Deserialization error: to see the raw response…'), { $response: {} })
    expect(await delays(new CancellationRetryStrategy(POLICY), info('CLIENT_ERROR', unreadable))).toHaveLength(4)
    expect(await delays(new CancellationRetryStrategy(POLICY), info('CLIENT_ERROR', hinted))).toHaveLength(4)
    expect(await delays(new CancellationRetryStrategy(POLICY), info('CLIENT_ERROR', new SyntaxError('no $response')))).toEqual([])
  })

  it('backs off exponentially with full jitter, from a larger base for throttling, up to the cap', async () => {
    expect(await delays(new CancellationRetryStrategy(POLICY, () => 0.999999), info('TRANSIENT'))).toEqual([99, 199, 399, 799])
    expect(await delays(new CancellationRetryStrategy(POLICY, () => 0.5), info('THROTTLING'))).toEqual([250, 500, 1000, 1000])
    expect(await delays(new CancellationRetryStrategy(POLICY, () => 0), info('THROTTLING'))).toEqual([0, 0, 0, 0])
  })

  it('waits at least as long as a Retry-After hint, up to the cap', async () => {
    const now = 1_000_000
    const soon = new Date(now + 1500)
    const late = new Date(now + 60_000)
    expect(await delays(new CancellationRetryStrategy(POLICY, () => 0, () => now), info('THROTTLING', new Error(), soon))).toEqual([1500, 1500, 1500, 1500])
    expect(await delays(new CancellationRetryStrategy(POLICY, () => 0, () => now), info('THROTTLING', new Error(), late))).toEqual([2000, 2000, 2000, 2000])
  })

  it('has no retry quota that many throttled calls could drain', async () => {
    const strategy = new CancellationRetryStrategy(DEFAULT_RETRY_POLICY, () => 0)
    for (let call = 0; call < 200; call++) {
      expect(await delays(strategy, info('THROTTLING'))).toHaveLength(DEFAULT_RETRY_POLICY.maxAttempts - 1)
    }
    strategy.recordSuccess()
  })

  it('tries ten times by default', () => {
    expect(DEFAULT_RETRY_POLICY.maxAttempts).toBe(10)
    expect(new CancellationRetryStrategy().mode).toBe('standard')
  })
})
