import { createHash } from 'node:crypto';
import * as yauzl from 'yauzl';
import { BUNDLE_MANIFEST_PATH, PackManifest, packHashOf } from './pack-manifest';

export interface BundleCheck {
  path: string;
  ok: boolean;
  detail: string;
}

export interface BundleVerdict {
  valid: boolean;
  packId: string | null;
  checks: BundleCheck[];
}

interface EntryDigest {
  sha256: string;
  size: number;
}

/**
 * Verifies an evidence bundle offline: every file's SHA-256 and size against manifest.json, the PDF's hash, the
 * manifest's packHash, and that the zip holds nothing the manifest does not list. Never throws for a bad bundle.
 */
export async function verifyBundle(zipPath: string): Promise<BundleVerdict> {
  let digests: Map<string, EntryDigest>;
  let manifestText: string;
  try {
    ({ digests, manifestText } = await readBundle(zipPath));
  } catch (error) {
    return {
      valid: false,
      packId: null,
      checks: [{ path: zipPath, ok: false, detail: `cannot read the bundle: ${(error as Error).message}` }],
    };
  }
  let manifest: PackManifest;
  try {
    manifest = JSON.parse(manifestText) as PackManifest;
    if (!manifest.pdf || !Array.isArray(manifest.files)) throw new Error('pdf or files missing');
  } catch (error) {
    return {
      valid: false,
      packId: null,
      checks: [{ path: BUNDLE_MANIFEST_PATH, ok: false, detail: `not a pack manifest: ${(error as Error).message}` }],
    };
  }
  const checks: BundleCheck[] = [];
  const expected = new Map<string, { sha256: string; sizeBytes?: number }>([
    [manifest.pdf.path, { sha256: manifest.pdf.sha256 }],
  ]);
  for (const file of manifest.files) expected.set(file.path, { sha256: file.sha256, sizeBytes: file.sizeBytes });
  for (const [path, want] of expected) {
    const got = digests.get(path);
    if (!got) checks.push({ path, ok: false, detail: 'listed in the manifest but missing from the bundle' });
    else if (got.sha256 !== want.sha256)
      checks.push({ path, ok: false, detail: `sha256 ${got.sha256} does not match the manifest's ${want.sha256}` });
    else if (want.sizeBytes !== undefined && got.size !== want.sizeBytes)
      checks.push({ path, ok: false, detail: `${got.size} bytes, the manifest says ${want.sizeBytes}` });
    else checks.push({ path, ok: true, detail: `sha256 ${got.sha256}` });
  }
  for (const path of digests.keys()) {
    if (!expected.has(path)) checks.push({ path, ok: false, detail: 'in the bundle but not listed in the manifest' });
  }
  const { packHash, ...body } = manifest;
  const recomputed = packHashOf(body);
  checks.push(
    recomputed === packHash
      ? { path: BUNDLE_MANIFEST_PATH, ok: true, detail: `packHash ${packHash}` }
      : {
          path: BUNDLE_MANIFEST_PATH,
          ok: false,
          detail: `packHash ${packHash} does not match the recomputed ${recomputed}`,
        },
  );
  return { valid: checks.every((c) => c.ok), packId: manifest.packId ?? null, checks };
}

function readBundle(zipPath: string): Promise<{ digests: Map<string, EntryDigest>; manifestText: string }> {
  return new Promise((resolve, reject) => {
    yauzl.open(zipPath, { lazyEntries: true, validateEntrySizes: true }, (openError, zip) => {
      if (openError || !zip) return reject(openError ?? new Error('cannot open'));
      const digests = new Map<string, EntryDigest>();
      let manifestText: string | null = null;
      const fail = (error: Error) => {
        zip.close();
        reject(error);
      };
      zip.on('error', fail);
      zip.on('end', () =>
        manifestText === null
          ? reject(new Error(`${BUNDLE_MANIFEST_PATH} is missing`))
          : resolve({ digests, manifestText }),
      );
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName.endsWith('/')) return zip.readEntry();
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return fail(streamError ?? new Error(`cannot read ${entry.fileName}`));
          const hash = createHash('sha256');
          const chunks: Buffer[] = [];
          let size = 0;
          const isManifest = entry.fileName === BUNDLE_MANIFEST_PATH;
          stream.on('data', (chunk: Buffer) => {
            hash.update(chunk);
            size += chunk.length;
            if (isManifest) chunks.push(chunk);
          });
          stream.on('error', fail);
          stream.on('end', () => {
            if (isManifest) manifestText = Buffer.concat(chunks).toString('utf8');
            else digests.set(entry.fileName, { sha256: hash.digest('hex'), size });
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}
