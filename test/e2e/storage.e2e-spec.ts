import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { PDF_RENDERER, PdfRenderer, RenderedPdf } from '../../src/pdf/chromium-pdf-renderer';
import { filesUnder } from '../factories/files';
import { makeTempDir } from '../factories/test-database';
import { minimalSystem } from '../factories/systems';
import { bearer, startTestApp, TestApp } from '../factories/test-app';

// The default import is the real module object (esModuleInterop), so a spy replaces what the storage code calls; an
// ES namespace import would be a read-only copy.
import fs from 'node:fs';

const renderer: PdfRenderer = {
  render: (): Promise<RenderedPdf> =>
    Promise.resolve({
      pdf: Buffer.from(`%PDF-1.4\n% ${randomUUID()}\n%%EOF\n`),
      ms: 1,
      pages: 1,
    }),
  status: () => ({ status: 'up', state: 'running', executable: null }),
};

const enospc = () =>
  Object.assign(new Error(`ENOSPC: no space left on device, write`), { code: 'ENOSPC', errno: -28, syscall: 'write' });
const mode = (file: string) => fs.statSync(file).mode & 0o777;

/** Evidence storage and the pack file store on a full disk, and the permissions of everything in the data directory. */
describe('storage (e2e)', () => {
  let t: TestApp;
  let root: string;
  let dataDir: string;
  const specialist = () => bearer(t.users.governance_specialist);

  beforeAll(async () => {
    // A data directory that does not exist yet, two levels down: the app creates it.
    root = makeTempDir('wb-storage-');
    dataDir = path.join(root, 'var', 'workbench');
    t = await startTestApp({
      env: { WORKBENCH_DATA_DIR: dataDir, ...(process.env.DATABASE_URL ? {} : { WORKBENCH_SQLITE_PATH: '' }) },
      override: (builder) => builder.overrideProvider(PDF_RENDERER).useValue(renderer),
    });
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await t?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  async function newSystem(): Promise<{ id: string; code: string }> {
    const id = (
      await t
        .http()
        .post('/api/v1/systems')
        .set(specialist())
        .send(minimalSystem({ name: `Storage ${randomUUID()}` }))
        .expect(201)
    ).body.id;
    const code = (await t.http().get(`/api/v1/systems/${id}/controls`).set(specialist()).expect(200)).body[0]
      .controlCode;
    return { id, code };
  }

  function upload(system: { id: string; code: string }, content = `evidence ${randomUUID()}\n`) {
    return t
      .http()
      .post(`/api/v1/systems/${system.id}/evidence`)
      .set(bearer(t.users.engineer))
      .field('controlCodes[]', system.code)
      .field('title', 'Disk test')
      .field('kind', 'test_report')
      .field('collectedAt', new Date(Date.now() - 60_000).toISOString())
      .attach('file', Buffer.from(content), { filename: 'disk.txt', contentType: 'text/plain' });
  }

  async function packOutcome(systemId: string): Promise<{ id: string; status: string; error: string | null }> {
    const id = (await t.http().post('/api/v1/packs').set(specialist()).send({ systemId }).expect(202)).body.id;
    const deadline = Date.now() + 30_000;
    for (;;) {
      const pack = (await t.http().get(`/api/v1/packs/${id}`).set(specialist()).expect(200)).body;
      if (pack.status === 'ready' || pack.status === 'failed') return pack;
      if (Date.now() > deadline) throw new Error(`pack still ${pack.status}`);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  it('answers 507 with a clear message when the disk fills during an upload, and keeps no partial file', async () => {
    const system = await newSystem();
    const real = fs.createWriteStream;
    const spy = jest
      .spyOn(fs, 'createWriteStream')
      .mockImplementation((...args: Parameters<typeof fs.createWriteStream>) => {
        const stream = real(...args);
        // The file is created, then the first write finds the disk full.
        stream._write = (_chunk, _encoding, callback) => callback(enospc());
        return stream;
      });
    try {
      const res = await upload(system).expect(507);
      expect(res.body).toMatchObject({ statusCode: 507, error: 'Insufficient Storage' });
      expect(res.body.message).toMatch(/run out of storage space/);
      expect(JSON.stringify(res.body)).not.toMatch(/ENOSPC|no space left|\//);
      expect(spy).toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
    expect(filesUnder(path.join(dataDir, 'evidence', 'tmp'))).toEqual([]);
    await upload(system).expect(201);
  });

  it('fails a pack whose file cannot be written on a full disk, with a clear error and no partial file left', async () => {
    const system = await newSystem();
    const real = fs.promises.open;
    const spy = jest
      .spyOn(fs.promises, 'open')
      .mockImplementation(async (...args: Parameters<typeof fs.promises.open>) => {
        const handle = await real(...args);
        if (args[1] === 'wx' && String(args[0]).includes(`${path.sep}packs${path.sep}`)) {
          // Half the bytes land, then the disk is full.
          handle.writeFile = async (data: Parameters<typeof handle.writeFile>[0]) => {
            await handle.write(Buffer.from(data as Buffer).subarray(0, 8));
            throw enospc();
          };
        }
        return handle;
      });
    let pack: { id: string; status: string; error: string | null };
    try {
      pack = await packOutcome(system.id);
    } finally {
      spy.mockRestore();
    }
    expect(pack.status).toBe('failed');
    expect(pack.error).toMatch(/run out of storage space/);
    expect(filesUnder(path.join(dataDir, 'packs')).filter((f) => f.endsWith('.part'))).toEqual([]);
    expect((await packOutcome(system.id)).status).toBe('ready');
  });

  it('keeps the data directory private: directories 0700, database and key files 0600, stored files 0400', async () => {
    const system = await newSystem();
    const evidence = (await upload(system).expect(201)).body;
    const pack = await packOutcome(system.id);
    expect(pack.status).toBe('ready');
    await t.http().get('/api/v1/audit-log/checkpoint').set(bearer(t.users.admin)).expect(200);

    const evidenceFile = path.join(
      dataDir,
      'evidence',
      evidence.sha256.slice(0, 2),
      evidence.sha256.slice(2, 4),
      evidence.sha256,
    );
    const dirs = [
      dataDir,
      path.join(dataDir, 'evidence'),
      path.join(dataDir, 'evidence', 'tmp'),
      path.dirname(path.dirname(evidenceFile)),
      path.dirname(evidenceFile),
      path.join(dataDir, 'packs'),
      path.join(dataDir, 'packs', pack.id),
    ];
    for (const dir of dirs) expect([dir, mode(dir).toString(8)]).toEqual([dir, '700']);
    const files: [string, string][] = [
      [path.join(dataDir, 'audit-checkpoint.key'), '600'],
      [evidenceFile, '400'],
      [path.join(dataDir, 'packs', `${pack.id}.pdf`), '400'],
      ...fs
        .readdirSync(path.join(dataDir, 'packs', pack.id))
        .map((f): [string, string] => [path.join(dataDir, 'packs', pack.id, f), '400']),
    ];
    if (t.database.kind === 'sqlite') {
      const sqlite = path.join(dataDir, 'workbench.sqlite');
      expect(t.config.database.sqlitePath).toBe(sqlite);
      files.push([sqlite, '600'], [`${sqlite}-wal`, '600'], [`${sqlite}-shm`, '600']);
    }
    for (const [file, expected] of files) expect([file, mode(file).toString(8)]).toEqual([file, expected]);
  });
});
