// A jest reporter that ends the run with one plain line, "jest: N passed, N failed", which
// CI tooling that does not know jest's own summary format can read.
export default class PlainSummaryReporter {
  /** @param {unknown} _globalConfig @param {unknown} _options */
  constructor(_globalConfig, _options) {}

  /** @param {unknown} _contexts @param {{numPassedTests: number, numFailedTests: number, numPendingTests: number}} results */
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests > 0 ? `, ${results.numPendingTests} skipped` : ''
    process.stdout.write(`jest: ${results.numPassedTests} passed, ${results.numFailedTests} failed${skipped}\n`)
  }
}
