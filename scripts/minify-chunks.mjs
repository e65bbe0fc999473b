// Minifies the chunk files that ncc writes beside dist/index.js.
//
// src/index.ts loads the action with a dynamic import, so that its signal handlers are in
// place before the bulk of the code is read; ncc then writes that code to chunk files
// (`<id>.index.js`). ncc minifies only the entry file, and an unminified chunk is about
// twice the size and slower to parse on every start. This applies the options ncc uses for
// the entry (mangle, no compression) to each chunk. Function and class names are kept: the
// AWS SDK compares `constructor.name` (for example its NoOpLogger).
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
