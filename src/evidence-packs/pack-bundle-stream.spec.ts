import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import * as yauzl from 'yauzl';
import { BundleMember, hashChecked, streamZip } from './pack-bundle-stream';

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

/** Reads a stream until it closes: the bytes, and the error it was destroyed with if any. */
function drain(stream: Readable): Promise<{ bytes: Buffer; error?: Error }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let error: Error | undefined;
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('error', (e) => (error = e));
    stream.on('close', () => resolve({ bytes: Buffer.concat(chunks), error }));
  });
}

function entries(zip: Buffer): Promise<Map<string, string>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(zip, { lazyEntries: true }, (error, file) => {
      if (error || !file) return reject(error ?? new Error('yauzl gave no zip file'));
      const found = new Map<string, string>();
      file.on('entry', (entry: yauzl.Entry) =>
        file.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream)
            return reject(streamError ?? new Error(`yauzl gave no stream for ${entry.fileName}`));
          drain(stream).then(({ bytes }) => {
            found.set(entry.fileName, bytes.toString('utf8'));
            file.readEntry();
          }, reject);
        }),
      );
      file.on('end', () => resolve(found));
      file.readEntry();
    });
  });
}

function member(path: string, content: string, opened: string[], recorded = sha256(content)): BundleMember {
  return {
    path,
    sha256: recorded,
    open: () => {
      opened.push(path);
      return Readable.from([Buffer.from(content)]);
    },
  };
}

describe('hashChecked', () => {
  it('passes matching bytes through and fails on bytes that differ from the recorded hash', async () => {
    expect(
      (await drain(hashChecked(Readable.from([Buffer.from('abc')]), sha256('abc'), 'a.txt'))).bytes.toString(),
    ).toBe('abc');
    const { error } = await drain(hashChecked(Readable.from([Buffer.from('abd')]), sha256('abc'), 'a.txt'));
    expect(error?.message).toMatch(/^a\.txt changed while it was being sent/);
  });

  it('carries the source read error', async () => {
    const source = new Readable({
      read: () => source.destroy(Object.assign(new Error('ENOENT: gone'), { code: 'ENOENT' })),
    });
    expect((await drain(hashChecked(source, sha256(''), 'b.txt'))).error?.message).toBe('ENOENT: gone');
  });
});

describe('streamZip', () => {
  it('zips every member and the texts, opening each file only when the archive reaches it', async () => {
    const opened: string[] = [];
    const zip = streamZip(
      [member('pack.pdf', '%PDF', opened), member('evidence/a.txt', 'first', opened)],
      [{ path: 'manifest.json', content: '{}' }],
    );
    // Nothing is opened before the archive is read: a bundle of thousands of files holds no descriptors up front.
    expect(opened.length).toBeLessThanOrEqual(1);
    const { bytes, error } = await drain(zip);
    expect(error).toBeUndefined();
    expect(opened).toEqual(['pack.pdf', 'evidence/a.txt']);
    expect(Object.fromEntries(await entries(bytes))).toEqual({
      'pack.pdf': '%PDF',
      'evidence/a.txt': 'first',
      'manifest.json': '{}',
    });
  });

  it('is destroyed with the error when a member fails to read, and reads no further member', async () => {
    const opened: string[] = [];
    const failing: BundleMember = {
      path: 'evidence/gone.txt',
      sha256: sha256('x'),
      open: () => {
        opened.push('evidence/gone.txt');
        const stream = new Readable({ read: () => stream.destroy(new Error('ENOENT: no such file')) });
        return stream;
      },
    };
    const zip = streamZip(
      [member('pack.pdf', '%PDF', opened), failing, member('evidence/later.txt', 'later', opened)],
      [{ path: 'manifest.json', content: '{}' }],
    );
    const { error } = await drain(zip);
    expect(error?.message).toBe('ENOENT: no such file');
    expect(zip.destroyed).toBe(true);
    expect(opened).toEqual(['pack.pdf', 'evidence/gone.txt']);
  });

  it('is destroyed when a member no longer matches its recorded hash', async () => {
    const opened: string[] = [];
    const zip = streamZip(
      [member('evidence/a.txt', 'changed', opened, sha256('original'))],
      [{ path: 'manifest.json', content: '{}' }],
    );
    expect((await drain(zip)).error?.message).toMatch(/^evidence\/a\.txt changed while it was being sent/);
  });

  it('stops reading the current file when the consumer goes away', async () => {
    let source: Readable | undefined;
    const endless: BundleMember = {
      path: 'big.bin',
      sha256: sha256(''),
      open: () => (source = new Readable({ read: () => source!.push(Buffer.alloc(64 * 1024)) })),
    };
    const zip = streamZip([endless], []);
    await new Promise((resolve) => zip.once('data', resolve));
    const closed = new Promise((resolve) => source!.once('close', resolve));
    zip.destroy();
    await closed;
    expect(source!.destroyed).toBe(true);
  });
});
