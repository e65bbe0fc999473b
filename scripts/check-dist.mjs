// Fails when the bundle and the generated defaults differ from what is committed: run it
// right after `npm run bundle`. The runner executes the committed dist/, so a change to src/
// that was not bundled would never run.
//
//   node scripts/check-dist.mjs
//
// `git status` rather than `git diff`: it also sees a file the bundle adds (a new
// entrypoint, say) that was never committed.
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const PATHS = ['dist', 'src/inputs/action-defaults.generated.ts']

/** @param {string[]} args */
const git = (args) => {
  const run = spawnSync('git', args, { cwd: root, encoding: 'utf8' })
  if (run.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${run.stderr}`)
  return run.stdout
}

const changed = git(['status', '--porcelain', '--untracked-files=all', '--', ...PATHS])
if (changed !== '') {
  console.error('dist/ is stale: run npm run bundle and commit dist/. Changed:')
  console.error(changed.trimEnd())
  console.error(git(['diff', '--stat', '--', ...PATHS]).trimEnd())
  process.exit(1)
}
console.log('dist/ and the generated defaults match the sources.')
