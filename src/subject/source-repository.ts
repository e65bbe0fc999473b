import type { ProjectSource } from '@aws-sdk/client-codebuild'

/** This run's repository: GITHUB_SERVER_URL and GITHUB_REPOSITORY. */
export interface RunRepository {
  /** https://github.com, or a GitHub Enterprise Server's URL. */
  readonly serverUrl: string
  /** owner/name; '' when not known. */
  readonly repository: string
}

/**
 * Whether a batch's source can be this run's repository:
 * - `ours`: a GitHub or GitHub Enterprise repository that is this one, or a source that is
 *   no repository at all (NO_SOURCE, S3, CODEPIPELINE), which the rest of the rule judges;
 * - `another`: a repository that is not this one (another GitHub repository, or one on
 *   CodeCommit, Bitbucket or GitLab);
 * - `no-location`: a GitHub source that names no repository, so whose it is cannot be told;
 * - `unknown-run-repository`: this run's repository is not known (GITHUB_REPOSITORY is not
 *   set), so no repository can be told to be it.
 */
export type SourceVerdict = 'ours' | 'another' | 'no-location' | 'unknown-run-repository'

/** Source types that are no repository: what they build is judged by the source version alone. */
const NO_REPOSITORY = new Set(['NO_SOURCE', 'S3', 'CODEPIPELINE'])
const GITHUB_TYPES = new Set(['GITHUB', 'GITHUB_ENTERPRISE'])

/**
 * Judges a batch's `source` (BatchGetBuildBatches reports its type and location; the location
 * is the repository's URL, with or without `.git`). One project can serve several
 * repositories when batches override the source location, so a batch of another repository
 * may well have been built for a branch or commit of the same name.
 */
export function judgeSource(source: ProjectSource | undefined, run: RunRepository): SourceVerdict {
  const type = source?.type
  if (source === undefined || type === undefined || NO_REPOSITORY.has(type)) return 'ours'
  const location = source.location ?? ''
  if (!GITHUB_TYPES.has(type)) return location === '' ? 'ours' : 'another'
  if (location === '') return 'no-location'
  if (run.repository === '') return 'unknown-run-repository'
  const batchRepository = repositoryKey(location)
  return batchRepository !== undefined && batchRepository === repositoryKey(`${run.serverUrl.replace(/\/+$/, '')}/${run.repository}`)
    ? 'ours'
    : 'another'
}

/**
 * host/owner/name, lower-cased, without `.git` or a trailing slash: GitHub compares owner and
 * repository names case-insensitively, and CodeBuild records the URL as it was given. The
 * scheme does not count (a location is https, a server URL could be written http).
 */
function repositoryKey(url: string): string | undefined {
  try {
    const { host, pathname } = new URL(url)
    const path = pathname.replace(/\/+$/, '').replace(/\.git$/i, '')
    return `${host}${path}`.toLowerCase()
  } catch {
    return undefined
  }
}
