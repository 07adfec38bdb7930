/** Two projects: `unit` needs nothing running; `integration` (*.int.test.ts) talks to the real
 * services started by `make services-up`. `make test` runs both. */
const transform = { '^.+\\.tsx?$': ['ts-jest', { diagnostics: false }] };
const common = {
  testEnvironment: 'node',
  transform,
  roots: ['<rootDir>/functions', '<rootDir>/events', '<rootDir>/scripts'],
  setupFiles: ['<rootDir>/jest.setup.js'],
};
module.exports = {
  testTimeout: 60000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['**/*.test.ts'],
      testPathIgnorePatterns: ['\\.int\\.test\\.ts$', '/node_modules/', '/dist/'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['**/*.int.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '/dist/'],
    },
  ],
};
