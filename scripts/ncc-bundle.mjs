// The one way this project runs ncc: scripts/bundle.mjs builds dist/ with it, and
// scripts/bench.mjs the AWS SDK's own floor (scripts/sdk-floor-stop.mjs), so that both are
// bundled alike.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import ncc from '@vercel/ncc'
import { packageRoots } from './write-licenses.mjs'

/**
 * Bundles `entry` (an absolute path) into the folder `out` with the options every bundle of
 * this action shares, and returns the root folders of the packages in it, from ncc's stats.
 *
 * The AWS SDK's packages ship an ES module build (dist-es) beside their CommonJS one, and only
 * the ES build lets the bundler leave out what the action never calls and put the credential
 * providers it does not use in chunks that are never read: the `module` field picks it where
 * a package has no exports map, and tsconfig.json's `paths` where one would pick the CommonJS
 * build (ncc applies them inside node_modules too). ncc's programmatic API is the one that
 * takes `mainFields`. Types are checked by `npm run typecheck`, so ncc only transpiles.
 * @param {string} entry @param {string} out @returns {Promise<string[]>}
 */
export async function bundle(entry, out) {
  const { code, assets, stats } = await ncc(entry, {
    esm: true,
    minify: true,
    target: 'es2022',
    quiet: true,
    transpileOnly: true,
    mainFields: ['module', 'main']
  })
  mkdirSync(out, { recursive: true })
  writeFileSync(join(out, 'index.js'), code)
  for (const [name, asset] of Object.entries(assets)) {
    // ncc's own license file covers only the last chunk; licenses.txt is written below.
    if (name === 'licenses.txt') continue
    mkdirSync(join(out, name, '..'), { recursive: true })
    writeFileSync(join(out, name), asset.source)
  }
  return packageRoots(stats.toJson())
}
