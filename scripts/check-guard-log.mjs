// Checks the log of CI's test-guard job (.github/workflows/ci.yml), which check-guard reads
// from the GitHub API: the job's steps print `expect stopped: ID` for each batch the guard's
// post step must stop and `expect kept: ID` for each it must keep, and this checks that the
// post step did exactly that, that it named the batch of another run as another run's, that
// it waited until everything had stopped, and that the job's only error is the one of its
// step that fails on purpose (the post step runs only when the job does not succeed).
//
//   node scripts/check-guard-log.mjs LOG --stopped N --kept N
//
// The log is the runner's: each line may start with a timestamp, and an error shows as
// `##[error]`.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const BATCH_ID = '[A-Za-z0-9][A-Za-z0-9_-]*:[0-9a-f-]{36}'

/**
 * What is wrong with the log; nothing when the guard did what the job expected.
 * @param {string} log
 * @param {{ stopped: number, kept: number }} expected how many of each the job announces
 * @returns {string[]}
 */
export function checkGuardLog(log, expected) {
  const announced = (/** @type {string} */ what) => [...log.matchAll(new RegExp(`expect ${what}: (${BATCH_ID})`, 'g'))].map((match) => match[1])
  const stopRequested = (/** @type {string} */ id) => log.includes(`Stop requested for ${id} `)
  const stopped = announced('stopped')
  const kept = announced('kept')
  const problems = []
  if (stopped.length !== expected.stopped) problems.push(`the job announced ${stopped.length} batch(es) to stop, not ${expected.stopped}`)
  if (kept.length !== expected.kept) problems.push(`the job announced ${kept.length} batch(es) to keep, not ${expected.kept}`)
  for (const id of stopped) if (!stopRequested(id)) problems.push(`the guard did not stop ${id}`)
  for (const id of kept) if (stopRequested(id)) problems.push(`the guard stopped ${id}, which it had to keep`)
  if (!log.includes("it carries GITHUB_RUN_ID 1, another run's.")) problems.push("the guard did not say why it kept another run's batch")
  if (!log.includes('All batches and their builds have stopped')) problems.push('the guard did not wait until every batch had stopped')
  const errors = log.split('\n').filter((line) => line.includes('##[error]'))
  if (errors.length !== 1) {
    const shown = errors.length === 0 ? '' : `: ${errors.map((line) => line.trim()).join(' | ')}`
    problems.push(`the job has ${errors.length} error(s), not only the one of its failing step${shown}`)
  }
  return problems
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values, positionals } = parseArgs({ options: { stopped: { type: 'string' }, kept: { type: 'string' } }, allowPositionals: true })
  const expected = { stopped: Number(values.stopped), kept: Number(values.kept) }
  if (positionals.length !== 1 || !Number.isInteger(expected.stopped) || !Number.isInteger(expected.kept)) {
    console.error('usage: node scripts/check-guard-log.mjs LOG --stopped N --kept N')
    process.exit(2)
  }
  const problems = checkGuardLog(readFileSync(positionals[0], 'utf8'), expected)
  for (const problem of problems) console.log(`::error::${problem}`)
  if (problems.length > 0) process.exit(1)
  console.log(`The guard stopped the ${expected.stopped} batches the job started and kept the ${expected.kept} others.`)
}
