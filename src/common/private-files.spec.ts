import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { makePrivateDir, ownPrivateDir, prepareSqliteFile } from './private-files';

const mode = (file: string) => (fs.statSync(file).mode & 0o777).toString(8);

describe('private files', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'wb-private-'));
    fs.chmodSync(root, 0o755);
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('creates missing directories 0700 and leaves an existing parent as it is', () => {
    makePrivateDir(path.join(root, 'a', 'b'));
    expect([mode(root), mode(path.join(root, 'a')), mode(path.join(root, 'a', 'b'))]).toEqual(['755', '700', '700']);
  });

  it('tightens a directory the service owns wholly', () => {
    const dir = path.join(root, 'evidence');
    fs.mkdirSync(dir, { mode: 0o755 });
    fs.chmodSync(dir, 0o755);
    ownPrivateDir(dir);
    expect(mode(dir)).toBe('700');
  });

  it('creates the SQLite file 0600 and tightens files older versions left 0644, journals included', () => {
    const fresh = path.join(root, 'new.sqlite');
    prepareSqliteFile(fresh);
    expect([mode(fresh), fs.statSync(fresh).size]).toEqual(['600', 0]);

    const old = path.join(root, 'old.sqlite');
    for (const file of [old, `${old}-wal`, `${old}-shm`]) fs.writeFileSync(file, 'x', { mode: 0o644 });
    prepareSqliteFile(old);
    expect([old, `${old}-wal`, `${old}-shm`].map(mode)).toEqual(['600', '600', '600']);
    expect(fs.readFileSync(old, 'utf8')).toBe('x');
  });
});
