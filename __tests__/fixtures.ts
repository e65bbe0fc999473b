import type { BuildBatch, StatusType } from '@aws-sdk/client-codebuild'
import type { BatchOutcome } from '../src/codebuild/batch-outcome.js'
import type { BatchRef } from '../src/inputs/batch-ref.js'

export const ACCOUNT = '123456789012'

/** A batch reference as settings.ts would make it from a plain id. */
export function ref(n: number, region = 'us-east-1', project = 'app'): BatchRef {
  const uuid = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`
  return { id: `${project}:${uuid}`, project, region, partition: 'aws' }
}

type BuildStatus = 'IN_PROGRESS' | 'PENDING' | 'STOPPED' | 'SUCCEEDED'

/** A batch as CodeBuild describes it, with one build group per build status given. */
export function batch(
  of: BatchRef,
  status: BuildBatch['buildBatchStatus'],
  builds: readonly BuildStatus[] = [],
  extra: Partial<BuildBatch> = {}
): BuildBatch {
  return {
    id: of.id,
    arn: `arn:aws:codebuild:${of.region}:${ACCOUNT}:build-batch/${of.id}`,
    buildBatchStatus: status,
    currentPhase: status,
    complete: status !== 'IN_PROGRESS',
    buildBatchNumber: 7,
    buildGroups: builds.map((buildStatus, index) => ({
      identifier: `build${index + 1}`,
      currentBuildSummary: {
        arn: `arn:aws:codebuild:${of.region}:${ACCOUNT}:build/${of.project}:1111111${index}-0000-4000-8000-000000000000`,
        // The SDK's StatusType has no PENDING, but CodeBuild reports it for builds of a batch
        // that wait for their dependencies.
        buildStatus: buildStatus as StatusType
      }
    })),
    ...extra
  }
}

export function outcome(of: BatchRef, result: BatchOutcome['result'], state?: BuildBatch, error?: string): BatchOutcome {
  return { ref: of, result, ...(state === undefined ? {} : { batch: state }), ...(error === undefined ? {} : { error }) }
}

/** An AWS service error as the SDK throws it. */
export function awsError(name: string, message: string, httpStatusCode = 400, attempts = 1): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode, attempts }, $fault: 'client' })
}
