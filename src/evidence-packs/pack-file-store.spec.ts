import { createHash } from 'node:crypto';
// The store calls fs.promises, the same object this namespace reaches, so a spy on it replaces what the store calls.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DomainError } from '../common/domain-errors';
import { loadConfig } from '../config/app.config';
import { PackFileStore } from './pack-file-store';

const PACK = '0b7c5a8e-3c4f-4c1e-9d55-6a1f3f1c2d3e';
const sha256 = (data: string) => createHash('sha256').update(data).digest('hex');

describe('PackFileStore', () => {
  let dataDir: string;
  const store = (env: Record<string, string> = {}) =>
    new PackFileStore(loadConfig({ WORKBENCH_DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...env }));
  const packs = () => path.join(dataDir, 'packs');

  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wb-packstore-'));
  });
  afterEach(() => {
    jest.restoreAllMocks();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** A partial file as a crash would leave it, `ageMs` old. */
  function partial(dir: string, name: string, ageMs = 0): string {
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, name);
    fs.writeFileSync(file, 'half a pdf');
    const at = new Date(Date.now() - ageMs);
    fs.utimesSync(file, at, at);
    return file;
  }

  it('sweeps partial files of packs and of their documents at start-up (SQLite: every one)', async () => {
    const files = store();
    await files.write(PACK, Buffer.from('%PDF-1.4'));
    await files.writeDocument(PACK, 'assessment-results-x.json', Buffer.from('{}'));
    partial(packs(), `.${PACK}.pdf.1234.part`);
    partial(path.join(packs(), PACK), '.assessment-results-x.json.5678.part');
    await store().onModuleInit();
    expect(fs.readdirSync(packs()).sort()).toEqual([PACK, `${PACK}.pdf`]);
    expect(fs.readdirSync(path.join(packs(), PACK))).toEqual(['assessment-results-x.json']);
  });

  it('on PostgreSQL sweeps only partial files older than an hour (another instance may be writing)', async () => {
    const old = partial(packs(), `.${PACK}.pdf.old.part`, 2 * 60 * 60 * 1000);
    const fresh = partial(packs(), `.${PACK}.pdf.new.part`, 60 * 1000);
    await store({ DATABASE_URL: 'postgres://localhost/none' }).onModuleInit();
    expect(fs.existsSync(old)).toBe(false);
    expect(fs.existsSync(fresh)).toBe(true);
  });

  it('writes files read-only and tells missing, altered and intact files apart', async () => {
    const files = store();
    await files.write(PACK, Buffer.from('%PDF-1.4 pack'));
    expect(fs.statSync(files.pathOf(PACK)).mode & 0o777).toBe(0o400);
    expect(await files.check(PACK, sha256('%PDF-1.4 pack'))).toBe('ok');
    expect(await files.check(PACK, sha256('another pack'))).toBe('altered');
    expect(await files.checkDocument(PACK, 'nothing.json', sha256('{}'))).toBe('missing');
  });

  it('removes its partial file when a write fails, and turns a full disk into insufficient_storage', async () => {
    const files = store();
    fs.mkdirSync(packs(), { recursive: true });
    const real = fs.promises.open;
    jest.spyOn(fs.promises, 'open').mockImplementation(async (...args: Parameters<typeof fs.promises.open>) => {
      const handle = await real(...args);
      if (args[1] === 'wx') {
        handle.sync = () =>
          Promise.reject(Object.assign(new Error('EDQUOT: disk quota exceeded, fsync'), { code: 'EDQUOT' }));
      }
      return handle;
    });
    const failure = await files.write(PACK, Buffer.from('%PDF-1.4')).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DomainError);
    expect(failure).toMatchObject({ kind: 'insufficient_storage' });
    expect(fs.readdirSync(packs())).toEqual([]);

    jest.restoreAllMocks();
    jest
      .spyOn(fs.promises, 'rename')
      .mockRejectedValue(Object.assign(new Error('EIO: i/o error, rename'), { code: 'EIO' }));
    await expect(files.write(PACK, Buffer.from('%PDF-1.4'))).rejects.toThrow(/EIO/);
    expect(fs.readdirSync(packs())).toEqual([]);
  });
});
