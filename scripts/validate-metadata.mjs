// Validates the action metadata files and the workflows against GitHub's schemas, with
// @action-validator/cli.
//
//   node scripts/validate-metadata.mjs [file …]
//
// Without arguments it takes every action.yml (or action.yaml) at the root and in the
// folders just below it (so an action added in its own folder, like guard/action.yml, is
// checked without changing this script), and every workflow in .github/workflows/. A
// file named action.yml or action.yaml is checked as action metadata, any other as a
// workflow.
//
// @action-validator/cli 0.6.0 (the latest) takes exactly one file per call, so it is
// called once for each file. It also predates the node24 runtime and rejects
// `runs.using: node24` although GitHub accepts it: so runs.using is checked here (node24,
// with runs.main, and runs.pre and runs.post when given, pointing at files), and the rest of
// the metadata is validated by the tool on a copy that says node20.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

const root = fileURLToPath(new URL('..', import.meta.url))
const validator = join(root, 'node_modules', '.bin', 'action-validator')
const ACTION_FILE_NAMES = ['action.yml', 'action.yaml']

/** Every action metadata file at the root and one folder down (not node_modules or dot folders). */
function actionFiles() {
  const folders = readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== 'node_modules' && !entry.name.startsWith('.'))
    .map((entry) => join(root, entry.name))
  return [root, ...folders].flatMap((folder) =>
    ACTION_FILE_NAMES.map((name) => join(folder, name)).filter((file) => existsSync(file))
  )
}

function workflowFiles() {
  const folder = join(root, '.github', 'workflows')
  return readdirSync(folder)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => join(folder, name))
}

const given = process.argv.slice(2)
const files = given.length > 0 ? given : [...actionFiles(), ...workflowFiles()]

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

/** @param {string} file @param {string} shownAs */
function validateAction(file, shownAs) {
  const text = readFileSync(file, 'utf8')
  const runs = parse(text)?.runs
  if (runs?.using !== 'node24' || typeof runs.main !== 'string') {
    failures++
    console.error(`${shownAs}: runs.using must be node24 with a runs.main`)
  }
  for (const key of ['pre', 'main', 'post']) {
    // Paths in runs are relative to the folder of the metadata file, as the runner reads them.
    if (typeof runs?.[key] === 'string' && !existsSync(join(dirname(file), runs[key]))) {
      failures++
      console.error(`${shownAs}: runs.${key} ${runs[key]} does not exist`)
    }
  }
  const copy = join(mkdtempSync(join(tmpdir(), 'action-metadata-')), 'action.yml')
  writeFileSync(copy, text.replace(/^(\s+using:\s*)node24\s*$/m, '$1node20'))
  validate(copy, shownAs)
}

for (const file of files) {
  const shownAs = relative(root, file).startsWith('..') ? file : relative(root, file)
  if (ACTION_FILE_NAMES.includes(basename(file))) validateAction(file, shownAs)
  else validate(file, shownAs)
}
process.exit(failures === 0 ? 0 : 1)
