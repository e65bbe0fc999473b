// Minifies the chunk files that ncc writes next to dist/index.js (such as dist/747.index.js).
//
// ncc minifies the entry file only and leaves its chunks as they are. The one chunk holds
// what src/github/ imports lazily (Octokit, @actions/http-client, undici): 1.16 MB as ncc
// writes it, 0.56 MB minified, which keeps all JavaScript in dist/ under 1.5 MB. Names are
// kept, as ncc's own minifier keeps them: code in the bundle may compare
// `constructor.name`. The end-to-end tests run the minified chunk.
//
//   node scripts/minify-chunks.mjs dist
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { transformSync } from 'esbuild'

const folder = process.argv[2] ?? 'dist'
for (const name of readdirSync(folder).filter((file) => file.endsWith('.js') && file !== 'index.js')) {
  const path = join(folder, name)
  const { code } = transformSync(readFileSync(path, 'utf8'), {
    format: 'esm',
    target: 'es2022',
    minify: true,
    keepNames: true,
    // The licenses are in dist/licenses.txt (scripts/write-licenses.mjs).
    legalComments: 'none'
  })
  writeFileSync(path, code)
}
