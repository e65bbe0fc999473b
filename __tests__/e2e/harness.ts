import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { createLocalCodeBuild, type EndpointOptions } from '../../local-codebuild/server.mjs'
import { findNode24, ROOT, runAction, type RunOptions, type RunResult } from '../../local-codebuild/run-action.mjs'

export type LocalCodeBuild = ReturnType<typeof createLocalCodeBuild>

interface ActionMetadata {
  inputs: Record<string, { default?: string }>
  outputs: Record<string, unknown>
  runs: { using: string; main: string }
}

export const ACTION: ActionMetadata = parse(readFileSync(`${ROOT}action.yml`, 'utf8'))

/** Every input of action.yml with its declared default, as the runner passes them. */
export const DEFAULT_INPUTS: Record<string, string> = Object.fromEntries(
  Object.entries(ACTION.inputs).map(([name, input]) => [name, String(input.default ?? '')])
)

/**
 * The runtime that action.yml declares; the end-to-end tests refuse to run on another.
 * jest.config.js leaves them out, saying why, where no Node 24 is found (and fails on
 * Linux x64, where npm ci installs one).
 */
export function node24(): string {
  if (ACTION.runs.using !== 'node24') throw new Error(`action.yml runs.using is ${ACTION.runs.using}`)
  const node = findNode24()
  if (node.path === undefined) throw new Error(`The end-to-end tests need Node 24: ${node.reason}.`)
  return node.path
}

/** Starts a local endpoint, hands it to `use`, and always closes it. */
export async function withEndpoint<T>(
  options: EndpointOptions,
  use: (endpoint: LocalCodeBuild, url: string) => Promise<T>
): Promise<T> {
  const endpoint = createLocalCodeBuild(options)
  const url = await endpoint.listen()
  try {
    return await use(endpoint, url)
  } finally {
    await endpoint.close()
  }
}

/** Runs dist/index.js under Node 24 as the runner does, every input at its default unless given. */
export function runStep(
  url: string,
  inputs: Record<string, string>,
  options: Omit<RunOptions, 'inputs' | 'endpoint'> = {}
): Promise<RunResult> {
  return runAction({ ...options, inputs: { ...DEFAULT_INPUTS, ...inputs }, endpoint: url, node: node24() })
}

/** The `batches` output, parsed. */
export function batchesOf(result: RunResult): Array<Record<string, unknown>> {
  return JSON.parse(result.outputs.batches ?? 'null')
}

/** Lines of stdout that the runner would read as workflow commands. */
export function commandLines(result: RunResult): string[] {
  return result.stdout.split('\n').filter((line) => line.trimStart().startsWith('::'))
}

/** A batch uuid that no endpoint knows. */
export const UNKNOWN_UUID = '00000000-0000-4000-8000-000000000000'
