import type { getOctokit } from '@actions/github'
import { abortableSleep } from '../runtime/cancellation.js'
import { GitHubTimeoutError, isRetryableGitHubError } from './github-error.js'

export type Octokit = ReturnType<typeof getOctokit>

/** Time limit of one request. GitHub answers a page of 100 commits well within a second. */
export const GITHUB_REQUEST_TIMEOUT_MS = 10_000
/** Attempts per request when there is no answer or a server error (never after a refusal). */
export const GITHUB_MAX_ATTEMPTS = 3
const BACKOFF_MS = 300

export interface GitHubClientOptions {
  /** The token; never logged. */
  readonly token: string
  /** GITHUB_API_URL: https://api.github.com, or https://HOST/api/v3 on GitHub Enterprise Server. */
  readonly apiUrl: string
  /** Ends every request and retry at once: the step's cancellation. */
  readonly signal: AbortSignal
  readonly userAgent: string
  /** Time limit of one request; GITHUB_REQUEST_TIMEOUT_MS unless given. */
  readonly timeoutMs?: number
}

export interface GitHubClient {
  readonly octokit: Octokit
  /** HTTP requests sent so far, retries included. */
  readonly requestCount: () => number
}

const SILENT = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} }

/**
 * The one place a GitHub API client is made: @actions/github's Octokit (with its proxy
 * support through @actions/http-client), at GITHUB_API_URL, with a time limit per request
 * and a few retries when GitHub does not answer or answers 5xx.
 *
 * @actions/github is imported here, when a client is needed, and not at the top of a module:
 * Octokit, @actions/http-client and undici are about as much JavaScript again as the rest of
 * the action, and a stop by id never needs them. The bundler (ncc) puts a dynamic import in
 * a chunk file of its own, which Node reads only when this function runs.
 */
export async function createGitHubClient(options: GitHubClientOptions): Promise<GitHubClient> {
  const { getOctokit } = await import('@actions/github')
  const octokit = getOctokit(options.token, { baseUrl: options.apiUrl, userAgent: options.userAgent, log: SILENT })
  const timeoutMs = options.timeoutMs ?? GITHUB_REQUEST_TIMEOUT_MS
  let requests = 0
  octokit.hook.wrap('request', async (request, requestOptions) => {
    for (let attempt = 1; ; attempt++) {
      const timeout = AbortSignal.timeout(timeoutMs)
      const signal = AbortSignal.any([options.signal, timeout])
      requests++
      // Set on the options object itself: the hooks inside this one (the token's) were bound
      // to that object, and an options object passed to `request` instead would be dropped.
      requestOptions.request = { ...requestOptions.request, signal }
      try {
        return await request(requestOptions)
      } catch (error) {
        const failure = timeout.aborted && !options.signal.aborted ? new GitHubTimeoutError(timeoutMs) : error
        if (options.signal.aborted || attempt >= GITHUB_MAX_ATTEMPTS || !isRetryableGitHubError(failure)) throw failure
        await abortableSleep(BACKOFF_MS * 2 ** (attempt - 1) * (0.5 + Math.random() / 2), options.signal)
      }
    }
  })
  return { octokit, requestCount: () => requests }
}
