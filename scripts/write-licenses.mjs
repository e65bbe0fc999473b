// Writes the licenses of every package in the bundle, from the module list of ncc's stats
// (`ncc build --stats-out FILE`), in the format of ncc's own `--license` option: per
// package its name, its license type and its license text, sorted by name.
//
// ncc's `--license` writes one file per chunk under the same name, so once the bundle has a
// chunk (src/github/ loads Octokit lazily) the last chunk's licenses overwrite the others.
// scripts/bundle.mjs imports packageRoots and renderLicenses to write one file for all its
// bundles (the stop action with its chunk, the guard's main step); for one bundle:
//
//   node scripts/write-licenses.mjs STATS.json dist/licenses.txt
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * The root folder of every package a bundled module comes from.
 * @param {any} stats webpack stats as ncc writes them
 * @returns {string[]}
 */
export function packageRoots(stats) {
  const roots = new Set()
  /** @param {any[]} modules */
  const visit = (modules) => {
    for (const module of modules ?? []) {
      // Loaders prefix the path with `…!`, and JSON modules with `json|`; the path is last.
      const path = (String(module.identifier ?? '').split('!').pop() ?? '').replace(/^[a-z/]+\|/, '')
      const match = /^(.*\/node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(path)
      if (match !== null) roots.add(match[1])
      visit(module.modules)
    }
  }
  visit(stats.modules)
  return [...roots]
}

/**
 * @param {string[]} roots
 * @returns {string}
 */
export function renderLicenses(roots) {
  const entries = roots
    .map((root) => {
      const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
      const file = readdirSync(root).find((name) => /^(licen[cs]e|copying)(\.(md|txt))?$/i.test(name))
      const type = typeof manifest.license === 'string' ? manifest.license : (manifest.license?.type ?? 'UNKNOWN')
      return { name: String(manifest.name), type, text: file === undefined ? '' : readFileSync(join(root, file), 'utf8').trim() }
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  const unique = entries.filter((entry, n) => n === 0 || entry.name !== entries[n - 1].name)
  return unique.map(({ name, type, text }) => `${name}\n${type}\n${text}`).join('\n\n') + '\n'
}

const [statsFile, target] = process.argv.slice(2)
if (statsFile !== undefined && target !== undefined) {
  if (!existsSync(statsFile)) throw new Error(`${statsFile} does not exist: run ncc with --stats-out`)
  writeFileSync(target, renderLicenses(packageRoots(JSON.parse(readFileSync(statsFile, 'utf8')))))
}
