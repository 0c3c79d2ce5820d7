import * as fs from 'node:fs';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { bearer, startTestApp } from '../factories/test-app';
import { minimalSystem } from '../factories/systems';

/** Graceful shutdown: a pack job that is running when the app closes still finishes and is recorded. */
describe('graceful shutdown (e2e)', () => {
  it('lets the running pack job finish before the database and browser close', async () => {
    const t = await startTestApp();
    try {
      const specialist = bearer(t.users.governance_specialist);
      const system = await t.http().post('/api/v1/systems').set(specialist).send(minimalSystem()).expect(201);
      const pack = await t.http().post('/api/v1/packs').set(specialist).send({ systemId: system.body.id }).expect(202);
      await t.app.close();

      const reopened = new DataSource(dataSourceOptions(t.config.database));
      await reopened.initialize();
      try {
        const rows = await reopened.query(
          `SELECT status, "pdfSha256" FROM evidence_packs WHERE id = '${pack.body.id}'`,
        );
        expect(rows).toEqual([{ status: 'ready', pdfSha256: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
      } finally {
        await reopened.destroy();
      }
    } finally {
      await t.database.drop();
      fs.rmSync(t.config.dataDir, { recursive: true, force: true });
    }
  });
});
