// Jest runs the TypeScript sources directly as ESM (ts-jest ESM preset); packages
// resolve to their src/ so tests never need a prior build.
/** @type {import('jest').Config} */
export default {
  extensionsToTreatAsEsm: ['.ts'],
  testEnvironment: 'node',
  roots: ['<rootDir>/packages', '<rootDir>/test', '<rootDir>/apps'],
  testMatch: ['**/*.spec.ts', '**/*.e2e-spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  moduleNameMapper: {
    '^@nest-stomp/core$': '<rootDir>/packages/stomp-core/src/index.ts',
    '^nest-stomp$': '<rootDir>/packages/nest-stomp/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: '<rootDir>/tsconfig.json', diagnostics: false }],
  },
  testTimeout: 20000,
  maxWorkers: 2,
};
