// Validates action.yml and the workflows against GitHub's metadata schemas, with
// @action-validator/cli.
//
//   node scripts/validate-metadata.mjs [action.yml] [workflow.yml …]
//
// @action-validator/cli 0.6.0 (the latest) predates the node24 runtime, and rejects
// `runs.using: node24` although GitHub accepts it. So runs.using is checked here (node24,
// with runs.main pointing at a file), and the rest of action.yml is validated by the tool on
// a copy that says node20.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

const root = fileURLToPath(new URL('..', import.meta.url))
const validator = join(root, 'node_modules', '.bin', 'action-validator')
const [actionFile = join(root, 'action.yml'), ...given] = process.argv.slice(2)
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

const text = readFileSync(actionFile, 'utf8')
const action = parse(text)
if (action?.runs?.using !== 'node24' || typeof action.runs.main !== 'string') {
  failures++
  console.error(`${actionFile}: runs.using must be node24 with a runs.main`)
} else if (!existsSync(join(dirname(actionFile), action.runs.main))) {
  failures++
  console.error(`${actionFile}: runs.main ${action.runs.main} does not exist`)
}
const copy = join(mkdtempSync(join(tmpdir(), 'action-metadata-')), 'action.yml')
writeFileSync(copy, text.replace(/^(\s+using:\s*)node24\s*$/m, '$1node20'))
validate(copy, actionFile)
for (const workflow of workflows) validate(workflow, workflow)
process.exit(failures === 0 ? 0 : 1)
