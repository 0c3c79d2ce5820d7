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
  // Measured with `--selectProjects unit --coverage` on 2026-12-01: 38.3% statements, 31.6% branches, 31.0% functions,
  // 38.7% lines (29.8 / 23.6 / 22.8 / 30.2 before the service specs). A floor one point under that, so a change that
  // drops rules' specs fails; the whole suite (integration and e2e) covers more and can carry a higher bar.
  coverageThreshold: { global: { statements: 37, branches: 30, functions: 30, lines: 37 } },
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    { ...common, displayName: 'integration', testMatch: ['<rootDir>/test/integration/**/*.spec.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'] },
  ],
};
