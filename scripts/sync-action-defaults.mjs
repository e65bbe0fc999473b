// Writes src/inputs/action-defaults.generated.ts from action.yml and guard/action.yml, so
// that an input's default is written in its action.yml only and the code still knows it
// when a workflow passes an empty value explicitly (for example `wait: ${{ inputs.wait }}`
// with the caller's input unset).
//
//   node scripts/sync-action-defaults.mjs          write the file
//   node scripts/sync-action-defaults.mjs --check  exit 1 when the file is stale
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

const root = fileURLToPath(new URL('..', import.meta.url))
const target = `${root}src/inputs/action-defaults.generated.ts`

/**
 * @param {string} actionYml the stop action's metadata
 * @param {string} guardYml the guard's metadata
 */
export function renderActionDefaults(actionYml, guardYml) {
  return [
    '// Generated from action.yml and guard/action.yml by scripts/sync-action-defaults.mjs: do not edit.',
    ...defaultsOf('ACTION_DEFAULTS', 'action.yml', actionYml),
    '',
    ...defaultsOf('GUARD_DEFAULTS', 'guard/action.yml', guardYml),
    ''
  ].join('\n')
}

/** @param {string} name @param {string} file @param {string} yml */
function defaultsOf(name, file, yml) {
  const metadata = parse(yml)
  const lines = Object.entries(metadata.inputs).map(
    ([input, spec]) => `  ${JSON.stringify(input)}: ${JSON.stringify(String(spec.default ?? ''))}`
  )
  return [`/** The default of every input, exactly as ${file} declares it. */`, `export const ${name} = {`, lines.join(',\n'), '} as const']
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const expected = renderActionDefaults(readFileSync(`${root}action.yml`, 'utf8'), readFileSync(`${root}guard/action.yml`, 'utf8'))
  if (process.argv.includes('--check')) {
    if (readFileSync(target, 'utf8') !== expected) {
      console.error(`${target} is stale: run npm run bundle`)
      process.exit(1)
    }
  } else {
    writeFileSync(target, expected)
  }
}
