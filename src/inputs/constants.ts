/**
 * Every input and output name of the action, in one place. action.yml, the README and the
 * code must agree on these; `__tests__/action-metadata.test.ts` fails when they drift apart.
 */
export const Inputs = {
  BatchId: 'batch-id',
  ProjectName: 'project-name',
  SourceVersion: 'source-version',
  SupersededOnly: 'superseded-only',
  GitHubToken: 'github-token',
  DryRun: 'dry-run',
  AwsRegion: 'aws-region',
  Wait: 'wait',
  WaitTimeout: 'wait-timeout',
  PollInterval: 'poll-interval',
  IgnoreNotFound: 'ignore-not-found',
  Summary: 'summary'
} as const

export type InputName = (typeof Inputs)[keyof typeof Inputs]

export const Outputs = {
  Status: 'status',
  Complete: 'complete',
  CurrentPhase: 'current-phase',
  BatchId: 'batch-id',
  BatchArn: 'batch-arn',
  BuildBatchNumber: 'build-batch-number',
  StoppedIds: 'stopped-ids',
  Batches: 'batches'
} as const

export type OutputName = (typeof Outputs)[keyof typeof Outputs]

/** Added to the SDK's user agent so that CloudTrail shows which tool sent the calls. */
export const USER_AGENT_NAME = 'stop-codebuild-batch'

/** Status reported in `status` and `current-phase` when several batches disagree. */
export const MIXED = 'MIXED'

/** The version in package.json; a test keeps the two equal. */
export const ACTION_VERSION = '1.0.0'
