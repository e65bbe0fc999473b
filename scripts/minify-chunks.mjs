// Minifies the chunk files that ncc writes beside dist/index.js (`<id>.index.js`).
//
// The bundle has two kinds of chunk: src/index.ts loads the action with a dynamic import, so
// that its signal handlers are in place before the bulk of the code is read, and src/github/
// loads Octokit (with @actions/http-client and undici) only when discovery needs the pull
// request's commits. ncc minifies only the entry file; an unminified chunk is about twice the
// size (the Octokit chunk 1.16 MB instead of 0.56 MB, over the 1.5 MB all JavaScript in dist/
// must stay under) and slower to parse on every start. This applies to each chunk the options
// ncc uses for the entry (terser: mangle, no compression). Function and class names are kept:
// the AWS SDK compares `constructor.name` (for example its NoOpLogger). The end-to-end tests
// run the minified chunks; the licenses are in dist/licenses.txt (scripts/write-licenses.mjs).
//
//   node scripts/minify-chunks.mjs dist
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { minify } from 'terser'

const folder = process.argv[2] ?? 'dist'
for (const name of readdirSync(folder).filter((file) => file.endsWith('.js') && file !== 'index.js')) {
  const path = join(folder, name)
  const result = await minify(readFileSync(path, 'utf8'), {
    module: true,
    compress: false,
    mangle: { keep_classnames: true, keep_fnames: true }
  })
  if (result.code === undefined) throw new Error(`terser returned nothing for ${path}`)
  writeFileSync(path, result.code)
}
