/**
 * Three projects: `unit` (pure code, *.test.ts, no servers), `integration` (*.int.test.ts, run
 * against the real Temporal dev server and real PostgreSQL started once by test/global-setup.ts)
 * and `browser` (*.browser.test.ts: Debian's chromium driving the built web page, served by the
 * API on those same servers; Jest runs a global setup shared by projects once).
 */
const transform = { '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022' } }] };
// A few dependencies ship ESM only; Node 20 loads them with require(esm), but Jest's module
// registry cannot, so Jest compiles them to CommonJS.
const ESM_ONLY = ['cookie', 'content-disposition'];
const common = { transform, transformIgnorePatterns: [`/node_modules/(?!(${ESM_ONLY.join('|')})/)`], testEnvironment: 'node', roots: ['<rootDir>'], modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/data/', '<rootDir>/.tools/'] };

module.exports = {
  // A leaked handle in one failing file must turn into a red verdict, not a run that never ends
  // (CI gives up after its time limit and reports nothing); find leaks with --detectOpenHandles.
  forceExit: true,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['**/*.test.ts'], testPathIgnorePatterns: ['/node_modules/', '\\.int\\.test\\.ts$', '\\.browser\\.test\\.ts$'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['**/*.int.test.ts'],
      testPathIgnorePatterns: ['/node_modules/'],
      globalSetup: '<rootDir>/test/global-setup.ts',
      globalTeardown: '<rootDir>/test/global-teardown.ts',
      // testTimeout is a global option; real servers under load need more than its 5 s default.
      setupFilesAfterEnv: ['<rootDir>/test/support/integration-timeout.ts'],
    },
    {
      ...common,
      displayName: 'browser',
      testMatch: ['**/*.browser.test.ts'],
      testPathIgnorePatterns: ['/node_modules/'],
      globalSetup: '<rootDir>/test/global-setup.ts',
      globalTeardown: '<rootDir>/test/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/support/integration-timeout.ts'],
    },
  ],
};
