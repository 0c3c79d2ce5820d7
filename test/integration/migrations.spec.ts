import { DataSource } from 'typeorm';
import { loadConfig } from '../../src/config/app.config';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { createTestDatabase, makeTempDir, TestDatabase } from '../factories/test-database';

/** Fails when an entity changes without a migration: generating a migration after all migrations must yield nothing. */
describe('migrations', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase(makeTempDir());
    dataSource = new DataSource(
      dataSourceOptions(loadConfig({ WORKBENCH_DATA_DIR: makeTempDir(), ...database.env }).database),
    );
    await dataSource.initialize();
    await dataSource.runMigrations();
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('leave no drift between entities and the schema', async () => {
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('revert cleanly to an empty schema and apply again', async () => {
    const count = (await dataSource.query('SELECT COUNT(*) AS n FROM migrations'))[0].n;
    for (let i = 0; i < Number(count); i++) await dataSource.undoLastMigration();
    await dataSource.runMigrations();
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries).toEqual([]);
  });
});
