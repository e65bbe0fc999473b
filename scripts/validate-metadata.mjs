// Validates the actions' metadata (action.yml, guard/action.yml) and the workflows against
// GitHub's metadata schemas, with @action-validator/cli.
//
//   node scripts/validate-metadata.mjs [action.yml] [workflow.yml …]
//
// With no argument, both actions and every workflow are validated; with arguments, the
// first is an action.yml and the others are workflows.
//
// @action-validator/cli 0.6.0 (the latest) predates the node24 runtime, and rejects
// `runs.using: node24` although GitHub accepts it. So runs.using is checked here (node24,
// with runs.main, and runs.post when given, pointing at a file), and the rest of the
// action.yml is validated by the tool on a copy that says node20.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

const root = fileURLToPath(new URL('..', import.meta.url))
const validator = join(root, 'node_modules', '.bin', 'action-validator')
const [actionFile, ...given] = process.argv.slice(2)
const actionFiles = actionFile === undefined ? [join(root, 'action.yml'), join(root, 'guard', 'action.yml')] : [actionFile]
const workflows =
  given.length > 0
    ? given
    : readdirSync(join(root, '.github', 'workflows'))
        .filter((name) => name.endsWith('.yml'))
        .map((name) => join(root, '.github', 'workflows', name))

let failures = 0
/** @param {string} file @param {string} shownAs */
function validate(file, shownAs) {
  const run = spawnSync(validator, [file], { encoding: 'utf8' })
  if (run.status !== 0) {
    failures++
    console.error(`${shownAs}: does not match the schema\n${run.stdout}${run.stderr}`)
  } else {
    console.log(`${shownAs}: valid`)
  }
}

for (const file of actionFiles) {
  const text = readFileSync(file, 'utf8')
  const action = parse(text)
  if (action?.runs?.using !== 'node24' || typeof action.runs.main !== 'string') {
    failures++
    console.error(`${file}: runs.using must be node24 with a runs.main`)
  } else {
    for (const key of ['main', 'post']) {
      const script = action.runs[key]
      if (script !== undefined && !existsSync(join(dirname(file), script))) {
        failures++
        console.error(`${file}: runs.${key} ${script} does not exist`)
      }
    }
  }
  const copy = join(mkdtempSync(join(tmpdir(), 'action-metadata-')), 'action.yml')
  writeFileSync(copy, text.replace(/^(\s+using:\s*)node24\s*$/m, '$1node20'))
  validate(copy, file)
}
for (const workflow of workflows) validate(workflow, workflow)
process.exit(failures === 0 ? 0 : 1)
