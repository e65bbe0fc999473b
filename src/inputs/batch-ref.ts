import { quote } from '../report/escape.js'

/** One batch to stop, as the input named it, with everything needed to call CodeBuild. */
export interface BatchRef {
  /** The id CodeBuild knows the batch by: `project-name:uuid`. */
  readonly id: string
  /** The CodeBuild project the batch belongs to. */
  readonly project: string
  /** The region to call: the ARN's region, else the configured default. */
  readonly region: string
  /** The AWS partition of that region (`aws`, `aws-cn`, `aws-us-gov`, …). */
  readonly partition: string
  /** The account, when an ARN gave it. */
  readonly account?: string
  /** The ARN, when the input gave one. */
  readonly arn?: string
}

const PROJECT_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{1,254}$/
const BATCH_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const REGION = /^[a-z]{2,4}(-[a-z]+){1,3}-\d{1,2}$/
const ACCOUNT = /^\d{12}$/

/**
 * Regions by the prefix that puts them in a partition other than `aws`. Longest prefixes
 * first: `us-isob-` must win over `us-iso-`. Used to check an ARN's partition against its
 * region and to name the partition of a plain id in IAM hints and console links.
 */
const PARTITION_PREFIXES: ReadonlyArray<readonly [string, string]> = [
  ['us-isob-', 'aws-iso-b'],
  ['us-isof-', 'aws-iso-f'],
  ['eu-isoe-', 'aws-iso-e'],
  ['us-iso-', 'aws-iso'],
  ['us-gov-', 'aws-us-gov'],
  ['eusc-', 'aws-eusc'],
  ['cn-', 'aws-cn']
]
const PARTITIONS = new Set(['aws', ...PARTITION_PREFIXES.map(([, partition]) => partition)])

export function partitionOf(region: string): string {
  return PARTITION_PREFIXES.find(([prefix]) => region.startsWith(prefix))?.[1] ?? 'aws'
}

export function isProjectName(value: string): boolean {
  return PROJECT_NAME.test(value)
}

export function isRegion(value: string): boolean {
  return REGION.test(value)
}

/** The project ARN that IAM policies for this batch must name. */
export function projectArnOf(ref: Pick<BatchRef, 'partition' | 'region' | 'account' | 'project'>): string {
  return `arn:${ref.partition}:codebuild:${ref.region}:${ref.account ?? '<account-id>'}:project/${ref.project}`
}

/**
 * The reference of a batch that CodeBuild described (found by discovery), in the region
 * it was listed in; the account comes from its ARN.
 */
export function refOfListedBatch(id: string, arn: string | undefined, region: string): BatchRef {
  const project = id.slice(0, id.indexOf(':'))
  const account = /^arn:[^:]+:codebuild:[^:]+:(\d{12}):/.exec(arn ?? '')?.[1]
  return {
    id,
    project,
    region,
    partition: partitionOf(region),
    ...(account === undefined ? {} : { account }),
    ...(arn === undefined ? {} : { arn })
  }
}

/**
 * A batch's key, `region/id`: the same id in the same region is one batch, however it was
 * given. Maps of batches by key (stop requests, the reasons for the summary) use it.
 */
export function refKey(ref: Pick<BatchRef, 'region' | 'id'>): string {
  return `${ref.region}/${ref.id}`
}

/**
 * Each batch once, in the order first seen: the same id in the same region is one batch
 * (given twice, or once as an id and once as an ARN), and its ARN form wins, because it
 * names the account.
 */
export function uniqueRefs(refs: Iterable<BatchRef>): BatchRef[] {
  const byKey = new Map<string, BatchRef>()
  for (const ref of refs) {
    const key = refKey(ref)
    const seen = byKey.get(key)
    if (seen === undefined || (seen.arn === undefined && ref.arn !== undefined)) byKey.set(key, ref)
  }
  return [...byKey.values()]
}

/** What the input looked like, and why it is not a batch, for the error message. */
export class BatchRefError extends Error {
  constructor(
    readonly value: string,
    readonly reason: string
  ) {
    super(`${quote(value)}: ${reason}`)
    this.name = 'BatchRefError'
  }
}

/**
 * Parses one token of the `batch-id` input: a batch id or a batch ARN. `defaultRegion` is
 * used for plain ids; `undefined` means no region is configured, which is an error only for
 * plain ids.
 */
export function parseBatchRef(token: string, defaultRegion: string | undefined): BatchRef {
  if (token.startsWith('arn:')) {
    return parseArn(token)
  }
  const { project } = parseId(token, token)
  if (defaultRegion === undefined) {
    throw new BatchRefError(
      token,
      'no region is known for this id: set the aws-region input or AWS_REGION, or pass the batch ARN'
    )
  }
  return { id: token, project, region: defaultRegion, partition: partitionOf(defaultRegion) }
}

function parseId(id: string, token: string): { project: string } {
  const colon = id.indexOf(':')
  if (colon < 0) {
    throw new BatchRefError(token, 'a batch id has the form project-name:uuid, and this one has no ":"')
  }
  const project = id.slice(0, colon)
  const uuid = id.slice(colon + 1)
  if (project === '') {
    throw new BatchRefError(token, 'the project name before ":" is missing')
  }
  if (!PROJECT_NAME.test(project)) {
    throw new BatchRefError(
      token,
      'the project name must be 2 to 255 letters, digits, "-" or "_", starting with a letter or digit'
    )
  }
  if (uuid === '') {
    throw new BatchRefError(token, 'the batch uuid after ":" is missing')
  }
  if (!BATCH_UUID.test(uuid)) {
    throw new BatchRefError(token, 'the part after ":" is not a batch uuid (8-4-4-4-12 hexadecimal digits)')
  }
  return { project }
}

function parseArn(arn: string): BatchRef {
  const parts = arn.split(':')
  if (parts.length < 6) {
    throw new BatchRefError(arn, 'an ARN has the form arn:partition:codebuild:region:account:build-batch/project:uuid')
  }
  const [, partition, service, region, account] = parts
  const resource = parts.slice(5).join(':')
  if (!PARTITIONS.has(partition)) {
    throw new BatchRefError(arn, `"${partition}" is not an AWS partition`)
  }
  if (service !== 'codebuild') {
    throw new BatchRefError(
      arn,
      service === '' ? 'this ARN names no service' : `this is an ARN of the "${service}" service, not of CodeBuild`
    )
  }
  if (!REGION.test(region)) {
    throw new BatchRefError(arn, `"${region}" is not an AWS region`)
  }
  if (partitionOf(region) !== partition) {
    throw new BatchRefError(arn, `region ${region} is not in partition ${partition}`)
  }
  if (!ACCOUNT.test(account)) {
    throw new BatchRefError(arn, `"${account}" is not a 12-digit account id`)
  }
  if (resource.startsWith('build/')) {
    throw new BatchRefError(arn, 'this is the ARN of a single build (build/…), not of a batch build (build-batch/…)')
  }
  if (!resource.startsWith('build-batch/')) {
    throw new BatchRefError(arn, 'this CodeBuild ARN does not name a batch build (build-batch/project:uuid)')
  }
  const id = resource.slice('build-batch/'.length)
  const { project } = parseId(id, arn)
  return { id, project, region, partition, account, arn }
}
