// A local GitHub REST API endpoint for the end-to-end tests: the one call the action makes,
// GET /repos/{owner}/{repo}/pulls/{number}/commits, answered as GitHub answers it.
//
// - Pages: `per_page` (default 30, at most 100) and `page` (default 1), and a Link header
//   with `next`, `last`, `first` and `prev` as GitHub writes it, pointing at
//   /repositories/{id}/pulls/{number}/commits (GitHub's own form), which is served too. The
//   list ends at 250 commits, as GitHub's does.
// - Any path prefix is accepted before /repos or /repositories, as GitHub Enterprise Server
//   serves its API under /api/v3.
// - Every request is recorded with its Authorization header. A request with a token other
//   than the endpoint's gets 401, one without a token is served (a public repository).
// - Faults: 403 "Resource not accessible by integration" (a token without
//   `pull-requests: read`), 404, the rate limit's 403 with x-ratelimit-remaining: 0, 5xx,
//   a connection reset, and a request that is never answered.
//
// Plain JavaScript with JSDoc types and Node built-ins only, like local-codebuild/server.mjs.
import { createHash } from 'node:crypto'
import { createServer } from 'node:http'

export const LOCAL_GITHUB_TOKEN = 'ghs_localGitHubTokenForTests0000000000001'
/** The id GitHub gives the repository, used in the Link header's URLs. */
export const LOCAL_REPOSITORY_ID = 1296269
/** GitHub lists at most this many commits of a pull request, whatever the page size. */
export const MAX_LISTED_COMMITS = 250

/**
 * @typedef {object} GitHubFault
 * @property {'forbidden' | 'not-found' | 'rate-limited' | 'server-error' | 'reset' | 'hang'} kind
 *   hang: the request is never answered (until the endpoint closes)
 * @property {number} [count] the first `count` requests only; all when absent
 * @property {number} [status] for server-error (default 502)
 *
 * @typedef {object} RecordedGitHubRequest
 * @property {string} method
 * @property {string} path the path without the query
 * @property {Record<string, string>} query
 * @property {string | undefined} authorization
 * @property {string} userAgent
 * @property {number} status the status answered (0 for a reset)
 * @property {number} receivedAtEpochMs
 *
 * @typedef {object} GitHubEndpointOptions
 * @property {string} [repository] owner/name, default example/app
 * @property {Record<number, string[]>} [pullRequests] number to its commit SHAs, oldest first
 * @property {GitHubFault[]} [faults]
 * @property {string} [token] the one token accepted, default LOCAL_GITHUB_TOKEN
 */

/** @param {GitHubEndpointOptions} [options] */
export function createLocalGitHub(options = {}) {
  const repository = options.repository ?? 'example/app'
  const token = options.token ?? LOCAL_GITHUB_TOKEN
  /** @type {Map<number, string[]>} */
  const pullRequests = new Map(Object.entries(options.pullRequests ?? {}).map(([number, shas]) => [Number(number), shas]))
  /** @type {GitHubFault[]} */
  let faults = (options.faults ?? []).map((fault) => ({ ...fault }))
  /** @type {RecordedGitHubRequest[]} */
  const requests = []

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`)
    /** @type {RecordedGitHubRequest} */
    const record = {
      method: req.method ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      authorization: req.headers.authorization,
      userAgent: String(req.headers['user-agent'] ?? ''),
      status: 0,
      receivedAtEpochMs: Date.now()
    }
    requests.push(record)
    const answer = respond(req, url)
    if (answer === 'hang') return
    if (answer === 'reset') {
      res.socket?.destroy()
      return
    }
    record.status = answer.status
    const body = JSON.stringify(answer.body)
    res.writeHead(answer.status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      'x-github-api-version-selected': '2022-11-28',
      'x-github-request-id': createHash('sha1').update(String(requests.length)).digest('hex').slice(0, 16).toUpperCase(),
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': '4999',
      'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
      'x-ratelimit-resource': 'core',
      ...answer.headers
    })
    res.end(body)
  })

  /**
   * @param {import('node:http').IncomingMessage} req
   * @param {URL} url
   * @returns {'reset' | 'hang' | {status: number, body: any, headers?: Record<string, string>}}
   */
  function respond(req, url) {
    const route =
      /\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)\/commits$/.exec(url.pathname) ??
      /\/repositories\/(\d+)\/pulls\/(\d+)\/commits$/.exec(url.pathname)
    const auth = req.headers.authorization
    if (auth !== undefined && auth !== `token ${token}` && auth !== `Bearer ${token}`) {
      return failure(401, 'Bad credentials', 'https://docs.github.com/rest')
    }
    const fault = pickFault()
    if (fault?.kind === 'reset' || fault?.kind === 'hang') return fault.kind
    if (fault?.kind === 'forbidden') {
      return failure(403, 'Resource not accessible by integration', 'https://docs.github.com/rest/pulls/pulls#list-commits-on-a-pull-request')
    }
    if (fault?.kind === 'not-found') return failure(404, 'Not Found', 'https://docs.github.com/rest/pulls/pulls#list-commits-on-a-pull-request')
    if (fault?.kind === 'rate-limited') {
      return {
        ...failure(403, 'API rate limit exceeded for installation ID 4242.', 'https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting'),
        headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-used': '5000', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 600) }
      }
    }
    if (fault?.kind === 'server-error') return failure(fault.status ?? 502, 'Server Error')
    if (req.method !== 'GET' || route === null) return failure(404, 'Not Found', 'https://docs.github.com/rest')
    const byName = route.length === 4
    if (byName ? `${route[1]}/${route[2]}`.toLowerCase() !== repository.toLowerCase() : Number(route[1]) !== LOCAL_REPOSITORY_ID) {
      return failure(404, 'Not Found', 'https://docs.github.com/rest/pulls/pulls#list-commits-on-a-pull-request')
    }
    const number = Number(byName ? route[3] : route[2])
    const shas = pullRequests.get(number)
    if (shas === undefined) return failure(404, 'Not Found', 'https://docs.github.com/rest/pulls/pulls#list-commits-on-a-pull-request')
    return listCommits(url, number, shas.slice(0, MAX_LISTED_COMMITS))
  }

  /**
   * @param {URL} url
   * @param {number} number
   * @param {string[]} shas
   */
  function listCommits(url, number, shas) {
    const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get('per_page') ?? 30) || 30))
    const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1)
    const lastPage = Math.max(1, Math.ceil(shas.length / perPage))
    // Everything before /repos or /repositories: '' on github.com, /api/v3 on GitHub Enterprise Server.
    const apiBase = `${url.protocol}//${url.host}${url.pathname.replace(/\/(repos|repositories)\/.*$/, '')}`
    const base = `${apiBase}/repositories/${LOCAL_REPOSITORY_ID}/pulls/${number}/commits`
    const link = (/** @type {number} */ target, /** @type {string} */ rel) => `<${base}?per_page=${perPage}&page=${target}>; rel="${rel}"`
    const links = [
      ...(page < lastPage ? [link(page + 1, 'next'), link(lastPage, 'last')] : []),
      ...(page > 1 ? [link(1, 'first'), link(page - 1, 'prev')] : [])
    ]
    const slice = shas.slice((page - 1) * perPage, page * perPage)
    const body = slice.map((sha, n) => commitObject(apiBase, sha, shas[(page - 1) * perPage + n - 1], (page - 1) * perPage + n + 1))
    /** @type {Record<string, string>} */
    const headers = links.length === 0 ? {} : { link: links.join(', ') }
    return { status: 200, body, headers }
  }

  /**
   * A commit as the API lists it.
   * @param {string} apiBase
   * @param {string} sha
   * @param {string | undefined} parent
   * @param {number} position
   */
  function commitObject(apiBase, sha, parent, position) {
    const web = `https://github.com/${repository}`
    const date = new Date(Date.UTC(2024, 0, 1, 0, position)).toISOString().replace('.000', '')
    const person = { name: 'Mona Lisa', email: 'mona@example.com', date }
    return {
      sha,
      node_id: `C_${Buffer.from(sha).toString('base64url').slice(0, 20)}`,
      commit: {
        author: person,
        committer: person,
        message: `Change number ${position}`,
        tree: { sha: createHash('sha1').update(`tree ${sha}`).digest('hex'), url: `${apiBase}/repos/${repository}/git/trees/${sha}` },
        url: `${apiBase}/repos/${repository}/git/commits/${sha}`,
        comment_count: 0,
        verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null }
      },
      url: `${apiBase}/repos/${repository}/commits/${sha}`,
      html_url: `${web}/commit/${sha}`,
      comments_url: `${apiBase}/repos/${repository}/commits/${sha}/comments`,
      author: { login: 'octocat', id: 1, type: 'User', site_admin: false },
      committer: { login: 'web-flow', id: 19864447, type: 'User', site_admin: false },
      parents: parent === undefined ? [] : [{ sha: parent, url: `${apiBase}/repos/${repository}/commits/${parent}`, html_url: `${web}/commit/${parent}` }]
    }
  }

  function pickFault() {
    for (const fault of faults) {
      if (fault.count === undefined) return fault
      if (fault.count > 0) {
        fault.count--
        return fault
      }
    }
    return undefined
  }

  return {
    /** Every request received, in order. */
    requests,
    /**
     * Starts listening on 127.0.0.1 and resolves to the base URL (for GITHUB_API_URL).
     * @returns {Promise<string>}
     */
    listen() {
      return new Promise((resolve, reject) => {
        server.once('error', reject)
        server.listen(0, '127.0.0.1', () => {
          const address = server.address()
          if (address === null || typeof address === 'string') return reject(new Error('no address'))
          resolve(`http://127.0.0.1:${address.port}`)
        })
      })
    },
    close() {
      server.closeAllConnections()
      return new Promise((resolve) => server.close(() => resolve(undefined)))
    },
    /** @param {number} number @param {string[]} shas oldest first */
    setPullRequestCommits(number, shas) {
      pullRequests.set(number, shas)
    },
    /** Replaces the faults. @param {GitHubFault[]} rules */
    setFaults(rules) {
      faults = rules.map((fault) => ({ ...fault }))
    }
  }
}

/**
 * @param {number} status
 * @param {string} message
 * @param {string} [documentationUrl]
 */
function failure(status, message, documentationUrl) {
  return { status, body: { message, ...(documentationUrl === undefined ? {} : { documentation_url: documentationUrl }), status: String(status) } }
}
