// The last step of `npm run bundle` before the ASCII pass: makes every .js file in dist/ (the
// entry, its chunks, the guard's files) cheaper to start, because the first thing a
// cancellation step pays for is Node reading this code. Measured with `npm run bench`.
//
// 1. Compress and mangle (Terser). ncc minifies only the entry file, and with compression off
//    (names are mangled, dead code and unused exports stay); it leaves chunk files as they
//    are. Function and class names are kept: the AWS SDK compares `constructor.name` (for
//    example its NoOpLogger).
// 2. Wrap every module factory of the bundle in parentheses. V8 compiles a function lazily:
//    it pre-parses it when it reads the file and parses it again, in full, when the function
//    is first called. Every module of a chunk the action loads is called at start, so each
//    would be parsed twice; a parenthesized function is compiled eagerly, in one parse.
//
//   node scripts/optimize-bundle.mjs dist
import { parse } from 'acorn'
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { minify } from 'terser'

/**
 * Where the module factories of a webpack bundle are: the functions of every object literal
 * whose keys are all module ids (numbers) and whose values are all functions.
 * @param {string} code
 * @returns {Array<[number, number]>} start and end of each factory
 */
export function moduleFactories(code) {
  /** @type {Array<[number, number]>} */
  const spans = []
  /** @param {any} node */
  const visit = (node) => {
    if (node === null || typeof node !== 'object') return
    if (Array.isArray(node)) return node.forEach(visit)
    if (typeof node.type !== 'string') return
    if (node.type === 'ObjectExpression' && node.properties.length > 0 && node.properties.every(isFactory)) {
      for (const property of node.properties) spans.push([property.value.start, property.value.end])
    }
    for (const key of Object.keys(node)) if (key !== 'type') visit(node[key])
  }
  visit(parse(code, { ecmaVersion: 'latest', sourceType: 'module' }))
  return spans
}

/** @param {any} property */
function isFactory(property) {
  return (
    property.type === 'Property' &&
    property.key.type === 'Literal' &&
    typeof property.key.value === 'number' &&
    (property.value.type === 'ArrowFunctionExpression' || property.value.type === 'FunctionExpression')
  )
}

/** @param {string} code */
export function parenthesizeFactories(code) {
  let out = code
  for (const [start, end] of moduleFactories(code).sort((a, b) => b[0] - a[0])) {
    out = `${out.slice(0, start)}(${out.slice(start, end)})${out.slice(end)}`
  }
  return out
}

/** @param {string} code @returns {Promise<string>} */
export async function optimize(code) {
  const result = await minify(code, {
    module: true,
    compress: { passes: 2, keep_fnames: true, keep_classnames: true, keep_fargs: true },
    mangle: { keep_fnames: true, keep_classnames: true },
    format: { comments: false }
  })
  if (result.code === undefined) throw new Error('terser returned no code')
  return parenthesizeFactories(result.code)
}

/** @param {string} folder @returns {string[]} */
function scriptsIn(folder) {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name)
    if (statSync(path).isDirectory()) return scriptsIn(path)
    return /\.m?js$/.test(name) ? [path] : []
  })
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const file of scriptsIn(process.argv[2] ?? 'dist')) writeFileSync(file, await optimize(readFileSync(file, 'utf8')))
}
