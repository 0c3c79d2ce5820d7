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
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    { ...common, displayName: 'integration', testMatch: ['<rootDir>/test/integration/**/*.spec.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'] },
  ],
};
