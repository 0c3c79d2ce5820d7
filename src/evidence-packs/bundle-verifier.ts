import { createHash, createPublicKey, verify } from 'node:crypto';
import * as yauzl from 'yauzl';
import { linkHash } from '../audit-log/audit-chain';
import { checkpointText, CheckpointView } from '../audit-log/audit-checkpoint';
import type { ExtractEntry } from '../audit-log/audit-checkpoint.service';
import { rootFromInclusionProof } from '../audit-log/merkle';
import { fingerprintOf } from '../signing/signing-keys';
import {
  BUNDLE_CHECKPOINT_PATH,
  BUNDLE_ENTRIES_PATH,
  BUNDLE_KEY_PATH,
  BUNDLE_SIGNATURE_PATH,
  BUNDLE_SUMS_PATH,
  BundleManifest,
} from './pack-bundle';
import { BUNDLE_MANIFEST_PATH, PackManifest, packHashOf } from './pack-manifest';

/** Files whose bytes the verifier reads (all are small); every other file is only hashed. */
const READ_WHOLE = new Set([
  BUNDLE_MANIFEST_PATH,
  BUNDLE_SIGNATURE_PATH,
  BUNDLE_SUMS_PATH,
  BUNDLE_KEY_PATH,
  BUNDLE_CHECKPOINT_PATH,
  BUNDLE_ENTRIES_PATH,
]);

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
 * manifest's packHash, that the zip holds nothing the manifest does not list, SHA256SUMS, manifest.sig with
 * signing-key.pem (and its fingerprint against the manifest's, and against `expectedFingerprint` when given), the
 * checkpoint's signature, and each audit-log entry's hash and inclusion proof. Never throws for a bad bundle.
 */
export async function verifyBundle(zipPath: string, expectedFingerprint?: string): Promise<BundleVerdict> {
  let digests: Map<string, EntryDigest>;
  let manifestText: string;
  let whole: Map<string, Buffer>;
  try {
    ({ digests, manifestText, whole } = await readBundle(zipPath));
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
  const bundle = manifest as Partial<BundleManifest>;
  for (const file of bundle.bundleFiles ?? [])
    expected.set(file.path, { sha256: file.sha256, sizeBytes: file.sizeBytes });
  for (const [path, want] of expected) {
    const got = digests.get(path);
    if (!got) checks.push({ path, ok: false, detail: 'listed in the manifest but missing from the bundle' });
    else if (got.sha256 !== want.sha256)
      checks.push({ path, ok: false, detail: `sha256 ${got.sha256} does not match the manifest's ${want.sha256}` });
    else if (want.sizeBytes !== undefined && got.size !== want.sizeBytes)
      checks.push({ path, ok: false, detail: `${got.size} bytes, the manifest says ${want.sizeBytes}` });
    else checks.push({ path, ok: true, detail: `sha256 ${got.sha256}` });
  }
  const unlisted = new Set([BUNDLE_MANIFEST_PATH, BUNDLE_SIGNATURE_PATH, BUNDLE_SUMS_PATH]);
  for (const path of digests.keys()) {
    if (!expected.has(path) && !unlisted.has(path))
      checks.push({ path, ok: false, detail: 'in the bundle but not listed in the manifest' });
  }
  checks.push(...signatureChecks(bundle, Buffer.from(manifestText, 'utf8'), whole, expectedFingerprint));
  checks.push(...sumsChecks(whole.get(BUNDLE_SUMS_PATH), digests));
  checks.push(...proofChecks(bundle, whole));
  // packHash covers the manifest as stored with the pack; what the bundle adds is covered by the signature.
  const { packHash, packId, generatedAt, asOf, pdf, files } = manifest;
  const body = { packId, generatedAt, asOf, pdf, files };
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

function readBundle(
  zipPath: string,
): Promise<{ digests: Map<string, EntryDigest>; manifestText: string; whole: Map<string, Buffer> }> {
  return new Promise((resolve, reject) => {
    yauzl.open(zipPath, { lazyEntries: true, validateEntrySizes: true }, (openError, zip) => {
      if (openError || !zip) return reject(openError ?? new Error('cannot open'));
      const digests = new Map<string, EntryDigest>();
      const whole = new Map<string, Buffer>();
      let manifestText: string | null = null;
      const fail = (error: Error) => {
        zip.close();
        reject(error);
      };
      zip.on('error', fail);
      zip.on('end', () =>
        manifestText === null
          ? reject(new Error(`${BUNDLE_MANIFEST_PATH} is missing`))
          : resolve({ digests, manifestText, whole }),
      );
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName.endsWith('/')) return zip.readEntry();
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return fail(streamError ?? new Error(`cannot read ${entry.fileName}`));
          const hash = createHash('sha256');
          const chunks: Buffer[] = [];
          let size = 0;
          const isManifest = entry.fileName === BUNDLE_MANIFEST_PATH;
          const keep = READ_WHOLE.has(entry.fileName);
          stream.on('data', (chunk: Buffer) => {
            hash.update(chunk);
            size += chunk.length;
            if (keep) chunks.push(chunk);
          });
          stream.on('error', fail);
          stream.on('end', () => {
            if (keep) whole.set(entry.fileName, Buffer.concat(chunks));
            if (isManifest) manifestText = Buffer.concat(chunks).toString('utf8');
            digests.set(entry.fileName, { sha256: hash.digest('hex'), size });
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}

function signatureChecks(
  manifest: Partial<BundleManifest>,
  manifestBytes: Buffer,
  whole: Map<string, Buffer>,
  expectedFingerprint?: string,
): BundleCheck[] {
  const pem = whole.get(BUNDLE_KEY_PATH);
  const signature = whole.get(BUNDLE_SIGNATURE_PATH);
  if (!pem || !signature)
    return [
      {
        path: BUNDLE_SIGNATURE_PATH,
        ok: false,
        detail: `${!pem ? BUNDLE_KEY_PATH : BUNDLE_SIGNATURE_PATH} is missing: the bundle is not signed`,
      },
    ];
  let key;
  try {
    key = createPublicKey(pem);
  } catch (error) {
    return [{ path: BUNDLE_KEY_PATH, ok: false, detail: `not a public key: ${(error as Error).message}` }];
  }
  const fingerprint = fingerprintOf(key);
  const checks: BundleCheck[] = [];
  checks.push(
    verify(null, manifestBytes, key, signature)
      ? { path: BUNDLE_SIGNATURE_PATH, ok: true, detail: `Ed25519 signature of manifest.json by key ${fingerprint}` }
      : {
          path: BUNDLE_SIGNATURE_PATH,
          ok: false,
          detail: 'the signature does not match manifest.json and signing-key.pem',
        },
  );
  if (manifest.signingKey?.fingerprint !== fingerprint)
    checks.push({
      path: BUNDLE_KEY_PATH,
      ok: false,
      detail: `fingerprint ${fingerprint} is not the manifest's ${manifest.signingKey?.fingerprint}`,
    });
  if (expectedFingerprint && expectedFingerprint.toLowerCase() !== fingerprint)
    checks.push({
      path: BUNDLE_KEY_PATH,
      ok: false,
      detail: `fingerprint ${fingerprint} is not the expected ${expectedFingerprint}`,
    });
  return checks;
}

function sumsChecks(sums: Buffer | undefined, digests: Map<string, EntryDigest>): BundleCheck[] {
  if (!sums) return [{ path: BUNDLE_SUMS_PATH, ok: false, detail: 'SHA256SUMS is missing' }];
  const listed = new Map<string, string>();
  const checks: BundleCheck[] = [];
  for (const line of sums.toString('utf8').split('\n').filter(Boolean)) {
    const match = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
    if (!match) {
      checks.push({ path: BUNDLE_SUMS_PATH, ok: false, detail: `not a sha256sum line: ${line.slice(0, 80)}` });
      continue;
    }
    listed.set(match[2], match[1]);
  }
  const actual = new Map([...digests].map(([path, digest]) => [path, digest.sha256]));
  for (const [path, hash] of listed) {
    const got = actual.get(path);
    if (got !== hash)
      checks.push({
        path: BUNDLE_SUMS_PATH,
        ok: false,
        detail: `${path}: ${got ? `sha256 ${got}, SHA256SUMS says ${hash}` : 'listed but missing'}`,
      });
  }
  for (const path of actual.keys())
    if (path !== BUNDLE_SUMS_PATH && !listed.has(path))
      checks.push({ path: BUNDLE_SUMS_PATH, ok: false, detail: `${path} is not listed` });
  if (checks.length === 0) checks.push({ path: BUNDLE_SUMS_PATH, ok: true, detail: `${listed.size} files match` });
  return checks;
}

function proofChecks(manifest: Partial<BundleManifest>, whole: Map<string, Buffer>): BundleCheck[] {
  const checkpointBytes = whole.get(BUNDLE_CHECKPOINT_PATH);
  const entriesBytes = whole.get(BUNDLE_ENTRIES_PATH);
  const pem = whole.get(BUNDLE_KEY_PATH);
  if (!checkpointBytes || !entriesBytes || !pem)
    return [{ path: BUNDLE_CHECKPOINT_PATH, ok: false, detail: 'the audit-log extract or its checkpoint is missing' }];
  let checkpoint: CheckpointView;
  let entries: ExtractEntry[];
  try {
    checkpoint = JSON.parse(checkpointBytes.toString('utf8')) as CheckpointView;
    entries = JSON.parse(entriesBytes.toString('utf8')) as ExtractEntry[];
  } catch (error) {
    return [{ path: BUNDLE_ENTRIES_PATH, ok: false, detail: `not JSON: ${(error as Error).message}` }];
  }
  const checks: BundleCheck[] = [];
  const signed = verify(
    null,
    Buffer.from(checkpointText(checkpoint)),
    createPublicKey(pem),
    Buffer.from(String(checkpoint.signature), 'base64'),
  );
  checks.push(
    signed
      ? {
          path: BUNDLE_CHECKPOINT_PATH,
          ok: true,
          detail: `tree ${checkpoint.treeSize}, root ${checkpoint.rootHash}, signed`,
        }
      : { path: BUNDLE_CHECKPOINT_PATH, ok: false, detail: 'the checkpoint signature does not match signing-key.pem' },
  );
  if (manifest.auditLog?.rootHash !== checkpoint.rootHash || manifest.auditLog?.treeSize !== checkpoint.treeSize)
    checks.push({
      path: BUNDLE_CHECKPOINT_PATH,
      ok: false,
      detail: 'the checkpoint is not the one the manifest names',
    });
  let bad = 0;
  for (const entry of entries) {
    const problem =
      createHash('sha256').update(entry.payload).digest('hex') !== entry.payloadHash
        ? 'payload does not match its payloadHash'
        : linkHash(entry) !== entry.hash
          ? 'hash does not recompute from its fields'
          : entry.leafIndex !== entry.seq - 1 ||
              rootFromInclusionProof(entry.hash, entry.leafIndex, checkpoint.treeSize, entry.proof) !==
                checkpoint.rootHash
            ? "the inclusion proof does not lead to the checkpoint's root"
            : null;
    if (problem) {
      bad++;
      checks.push({ path: BUNDLE_ENTRIES_PATH, ok: false, detail: `entry ${entry.seq}: ${problem}` });
    }
  }
  if (bad === 0)
    checks.push({
      path: BUNDLE_ENTRIES_PATH,
      ok: true,
      detail: `${entries.length} entries proven in tree ${checkpoint.treeSize}`,
    });
  return checks;
}
