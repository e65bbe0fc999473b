// Faults the local endpoint injects, and what the step must still do. One line per case:
//   [what it is, number of running batches, fault rules, exit code, a line the log must have or null]
// Every case also checks: each batch appears in `batches`, and nothing in the log is a
// stack trace or a TypeError.
import type { FaultRule } from '../local-codebuild/server.mjs'

export type FaultCase = readonly [description: string, batches: number, faults: readonly FaultRule[], exitCode: number, log: RegExp | null]

export const FAULT_MATRIX: readonly FaultCase[] = [
  [
    '50 batches, 30% of stops throttled, 10% answering 5xx, 30% of polls throttled',
    50,
    [
      { kind: 'throttle', operation: 'StopBuildBatch', rate: 0.3 },
      { kind: 'server-error', operation: 'StopBuildBatch', rate: 0.1 },
      { kind: 'throttle', operation: 'BatchGetBuildBatches', rate: 0.3 }
    ],
    0,
    null
  ],
  ['connections reset on 30% of all requests', 20, [{ kind: 'reset', rate: 0.3 }], 0, null],
  ['truncated JSON bodies on 30% of all requests', 20, [{ kind: 'truncate', rate: 0.3 }], 0, null],
  ['503 Service Unavailable on the first polls', 5, [{ kind: 'server-error', operation: 'BatchGetBuildBatches', status: 503, count: 4 }], 0, null],
  ['answers delayed by 2 s', 5, [{ kind: 'delay', delayMs: 2000, count: 5 }], 0, null],
  ['a stop that hangs for 2 minutes', 1, [{ kind: 'hang', operation: 'StopBuildBatch', count: 1, delayMs: 120_000 }], 0, null],
  ['every stop answering 500', 1, [{ kind: 'server-error', operation: 'StopBuildBatch' }], 1, /StopBuildBatch failed \(HTTP 500\) after 10 attempts/],
  ['every poll denied', 2, [{ kind: 'deny', operation: 'BatchGetBuildBatches' }], 0, /::warning::stopped waiting for 2 batch\(es\) in us-east-1: access denied: grant codebuild:BatchGetBuildBatches/]
]
