// Writes src/inputs/action-defaults.generated.ts from action.yml, so that an input's default is
// written in action.yml only and the code still knows it when a workflow passes an empty
// value explicitly (for example `wait: ${{ inputs.wait }}` with the caller's input unset).
//
//   node scripts/sync-action-defaults.mjs          write the file
//   node scripts/sync-action-defaults.mjs --check  exit 1 when the file is stale
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

const root = fileURLToPath(new URL('..', import.meta.url))
const target = `${root}src/inputs/action-defaults.generated.ts`

/** @param {string} actionYml */
export function renderActionDefaults(actionYml) {
  const metadata = parse(actionYml)
  const lines = Object.entries(metadata.inputs).map(
    ([name, input]) => `  ${JSON.stringify(name)}: ${JSON.stringify(String(input.default ?? ''))}`
  )
  return [
    '// Generated from action.yml by scripts/sync-action-defaults.mjs: do not edit.',
    '/** The default of every input, exactly as action.yml declares it. */',
    'export const ACTION_DEFAULTS = {',
    lines.join(',\n'),
    '} as const',
    ''
  ].join('\n')
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const expected = renderActionDefaults(readFileSync(`${root}action.yml`, 'utf8'))
  if (process.argv.includes('--check')) {
    if (readFileSync(target, 'utf8') !== expected) {
      console.error(`${target} is stale: run npm run bundle`)
      process.exit(1)
    }
  } else {
    writeFileSync(target, expected)
  }
}
