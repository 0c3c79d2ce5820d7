// Three levels: unit specs beside the code, integration on a real database after real migrations, e2e over HTTP.
// The database is SQLite by default and PostgreSQL when DATABASE_URL is set (each test file gets its own database).
const common = {
  moduleFileExtensions: ['js', 'json', 'ts'],
  transform: { '^.+\\.ts$': 'ts-jest' },
  testEnvironment: 'node',
  rootDir: '.',
};

module.exports = {
  testTimeout: 120000,
  collectCoverageFrom: ['src/**/*.ts', '!src/**/*.spec.ts', '!src/database/migrations/**', '!src/main.ts'],
  coverageReporters: ['text-summary', 'lcov'],
  // The whole suite (npm test) on 2026-12-01: SQLite 95.3% statements, 78.5% branches, 96.2% functions, 96.8% lines;
  // PostgreSQL 95.5 / 78.7 / 96.2 / 96.9. The floor sits about two points under the lower of the two, so a change that
  // lands untested code or drops a suite fails CI, while a run-to-run wobble of a retry branch does not. (The unit
  // project alone: 38.3 / 31.6 / 31.0 / 38.7, from 29.8 / 23.6 / 22.8 / 30.2 before this round's service specs.)
  coverageThreshold: { global: { statements: 93, branches: 76, functions: 94, lines: 94 } },
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    { ...common, displayName: 'integration', testMatch: ['<rootDir>/test/integration/**/*.spec.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'] },
  ],
};
