import { Logger } from '@nestjs/common';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AppBootstrap } from './app-bootstrap.service';
import { PolicyLoader } from './catalog/policy-loader.service';
import { loadConfig } from './config/app.config';
import { DatabaseReadiness } from './database/database-readiness';
import { EvidenceService } from './evidence/evidence.service';
import { UsersService } from './users/users.service';

describe('AppBootstrap', () => {
  let dataDir: string;
  beforeEach(() => (dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wb-bootstrap-'))));
  afterEach(() => {
    jest.restoreAllMocks();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function warningsAtStart(): Promise<string[]> {
    jest.restoreAllMocks();
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    await new AppBootstrap(
      loadConfig({ WORKBENCH_DATA_DIR: dataDir }),
      { load: () => Promise.resolve() } as unknown as PolicyLoader,
      { bootstrapFirstAdmin: () => Promise.resolve() } as unknown as UsersService,
      { sweepOrphans: () => Promise.resolve({ tempFiles: 0, orphanFiles: 0 }) } as unknown as EvidenceService,
      { underStartupLock: (work: () => Promise<void>) => work() } as unknown as DatabaseReadiness,
    ).onApplicationBootstrap();
    return warn.mock.calls.map(([message]) => String(message));
  }

  it('warns when an existing data directory is open to other users, and not when it is private', async () => {
    fs.chmodSync(dataDir, 0o755);
    expect(await warningsAtStart()).toEqual([`the data directory ${dataDir} is open to other users; chmod 700 it`]);
    fs.chmodSync(dataDir, 0o700);
    expect(await warningsAtStart()).toEqual([]);
  });
});
