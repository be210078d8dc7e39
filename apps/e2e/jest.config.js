/**
 * Browser tests: each file starts the real app (`node dist/main.js` in apps/api, as `npm start`
 * does) on a fresh embedded database and drives it with Debian's Chromium. Slow by nature, so one
 * file at a time (`--runInBand`) and generous timeouts.
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src'],
  testMatch: ['**/*.e2e.test.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } } }],
  },
  testTimeout: 180000,
  // A failed step's message names the step and its screenshot; keep it readable.
  verbose: true,
};
