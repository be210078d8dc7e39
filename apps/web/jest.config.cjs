/** @type {import('jest').Config} */
module.exports = {
  // jsdom with the fetch/streams globals of Node restored, which msw needs.
  testEnvironment: 'jest-fixed-jsdom',
  roots: ['<rootDir>/src', '<rootDir>/scripts'],
  setupFilesAfterEnv: ['<rootDir>/jest.setup.ts'],
  // Whole screens render under jsdom on a shared 2-core machine.
  testTimeout: 30000,
  transform: {
    '^.+\\.(t|j)sx?$|^.+\\.mjs$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', tsx: true },
          transform: { react: { runtime: 'automatic' } },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  // Some dependencies ship ES modules only (msw's .mjs files and until-async, wouter): compile
  // those, run every other dependency as shipped.
  transformIgnorePatterns: ['/node_modules/(?!.*(until-async/|wouter/|\\.mjs$))'],
  moduleNameMapper: {
    '\\.css$': 'identity-obj-proxy',
    '^@refunds/domain$': '<rootDir>/../../packages/domain/src/index.ts',
  },
};
