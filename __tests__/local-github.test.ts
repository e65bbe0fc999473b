// The local GitHub endpoint answers as GitHub does, so that the end-to-end tests prove
// something: pages and their Link header, the 250-commit limit, the recorded Authorization
// header, and the refusals.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { createLocalGitHub, LOCAL_GITHUB_TOKEN, LOCAL_REPOSITORY_ID } from '../local-github/server.mjs'

const shas = (count: number): string[] => Array.from({ length: count }, (_, n) => n.toString(16).padStart(40, '0'))

let github: ReturnType<typeof createLocalGitHub>
let url: string
beforeEach(async () => {
  github = createLocalGitHub({ pullRequests: { 7: shas(75), 9: shas(260) } })
  url = await github.listen()
})
afterEach(() => github.close())

/** GET with the endpoint's token, another one, or none (null). */
const get = (path: string, token: string | null = LOCAL_GITHUB_TOKEN): Promise<Response> =>
  fetch(`${url}${path}`, { headers: token === null ? {} : { authorization: `token ${token}` } })

describe('local-github/server.mjs', () => {
  it('pages 30 commits by default, with the Link header GitHub writes', async () => {
    const first = await get('/repos/example/app/pulls/7/commits')
    const body = (await first.json()) as Array<{ sha: string }>
    expect(first.status).toBe(200)
    expect(body.map((commit) => commit.sha)).toEqual(shas(30))
    expect(body[1]).toMatchObject({ sha: shas(2)[1], commit: { message: 'Change number 2' }, parents: [{ sha: shas(1)[0] }] })
    const base = `${url}/repositories/${LOCAL_REPOSITORY_ID}/pulls/7/commits`
    expect(first.headers.get('link')).toBe(`<${base}?per_page=30&page=2>; rel="next", <${base}?per_page=30&page=3>; rel="last"`)

    const last = await fetch(`${base}?per_page=30&page=3`)
    expect(((await last.json()) as unknown[]).length).toBe(15)
    expect(last.headers.get('link')).toBe(`<${base}?per_page=30&page=1>; rel="first", <${base}?per_page=30&page=2>; rel="prev"`)
  })

  it('serves at most 100 a page and 250 in all, under any prefix', async () => {
    const page = await get('/api/v3/repos/example/app/pulls/9/commits?per_page=500&page=3')
    expect(((await page.json()) as unknown[]).length).toBe(50)
    expect(page.headers.get('link')).toContain(`${url}/api/v3/repositories/${LOCAL_REPOSITORY_ID}/pulls/9/commits?per_page=100&page=1>; rel="first"`)
  })

  it('records every request with its Authorization header, and refuses another token', async () => {
    expect((await get('/repos/example/app/pulls/7/commits', null)).status).toBe(200)
    const refused = await get('/repos/example/app/pulls/7/commits', 'ghs_other')
    expect(refused.status).toBe(401)
    expect(await refused.json()).toMatchObject({ message: 'Bad credentials' })
    expect(github.requests.map(({ authorization, status }) => [authorization, status])).toEqual([
      [undefined, 200],
      ['token ghs_other', 401]
    ])
  })

  it('answers 404 for another repository or an unknown pull request', async () => {
    expect((await get('/repos/example/other/pulls/7/commits')).status).toBe(404)
    expect((await get('/repos/example/app/pulls/8/commits')).status).toBe(404)
    expect((await get('/repos/example/app/pulls/7')).status).toBe(404)
  })

  it('injects refusals, the rate limit and server errors, for a count of requests or for all', async () => {
    github.setFaults([{ kind: 'rate-limited', count: 1 }, { kind: 'forbidden', count: 1 }, { kind: 'not-found', count: 1 }, { kind: 'server-error' }])
    const limited = await get('/repos/example/app/pulls/7/commits')
    expect(limited.status).toBe(403)
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0')
    const forbidden = await get('/repos/example/app/pulls/7/commits')
    expect(forbidden.status).toBe(403)
    expect(await forbidden.json()).toMatchObject({ message: 'Resource not accessible by integration' })
    expect(forbidden.headers.get('x-ratelimit-remaining')).toBe('4999')
    expect((await get('/repos/example/app/pulls/7/commits')).status).toBe(404)
    expect((await get('/repos/example/app/pulls/7/commits')).status).toBe(502)
    expect((await get('/repos/example/app/pulls/7/commits')).status).toBe(502)
  })

  it('can leave a request unanswered until it closes', async () => {
    github.setFaults([{ kind: 'hang', count: 1 }])
    const hung = get('/repos/example/app/pulls/7/commits')
    const outcome = await Promise.race([hung.then(() => 'answered', () => 'failed'), new Promise((resolve) => setTimeout(() => resolve('pending'), 300))])
    expect(outcome).toBe('pending')
    expect(github.requests).toHaveLength(1)
    await github.close()
    await expect(hung).rejects.toThrow()
  })

  it('can reset the connection', async () => {
    github.setFaults([{ kind: 'reset', count: 1 }])
    await expect(get('/repos/example/app/pulls/7/commits')).rejects.toThrow()
    expect((await get('/repos/example/app/pulls/7/commits')).status).toBe(200)
    github.setPullRequestCommits(7, shas(1))
    expect(((await (await get('/repos/example/app/pulls/7/commits')).json()) as unknown[]).length).toBe(1)
  })
})
