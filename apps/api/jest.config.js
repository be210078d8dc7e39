/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          target: 'es2022',
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
        },
      },
    ],
  },
  // Tests read the domain from source, so a change there needs no build step first.
  moduleNameMapper: { '^@refunds/domain$': '<rootDir>/../../packages/domain/src/index.ts' },
  setupFiles: ['reflect-metadata'],
  testTimeout: 60000,
};
