import { createHash } from 'node:crypto';
import type { CheckpointView } from '../audit-log/audit-checkpoint';
import type { ExtractEntry } from '../audit-log/audit-checkpoint.service';
import { BUNDLE_MANIFEST_PATH, PackManifest } from './pack-manifest';

export const BUNDLE_SIGNATURE_PATH = 'manifest.sig';
export const BUNDLE_SUMS_PATH = 'SHA256SUMS';
export const BUNDLE_KEY_PATH = 'signing-key.pem';
export const BUNDLE_README_PATH = 'README.txt';
export const BUNDLE_ENTRIES_PATH = 'audit-log/entries.json';
export const BUNDLE_CHECKPOINT_PATH = 'audit-log/checkpoint.json';
export const BUNDLE_CHECKPOINT_TEXT_PATH = 'audit-log/checkpoint.txt';
export const BUNDLE_CHECKPOINT_SIG_PATH = 'audit-log/checkpoint.sig';

/** What the served manifest.json adds to the one stored with the pack: the files made for the bundle, signed. */
export interface BundleManifest extends PackManifest {
  bundleFiles: { path: string; sha256: string; sizeBytes: number }[];
  auditLog: { treeSize: number; rootHash: string; at: string; entries: number };
  signingKey: { algorithm: 'Ed25519'; fingerprint: string };
}

export interface BundleText {
  path: string;
  content: Buffer;
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/**
 * The files a bundle carries besides the PDF and evidence: the audit-log extract with proofs, the checkpoint (JSON,
 * and its signed text with a raw signature for openssl), the public key, README.txt, manifest.json (the stored
 * manifest plus those files' hashes), manifest.sig (raw Ed25519 over the exact manifest bytes) and SHA256SUMS over
 * every other file. `members` are the files already in the zip (path, sha256).
 */
export function bundleTexts(
  manifest: PackManifest,
  members: { path: string; sha256: string }[],
  extract: { checkpoint: CheckpointView; entries: ExtractEntry[]; publicKeyPem: string; keyFingerprint: string },
  sign: (bytes: Buffer) => Buffer,
): BundleText[] {
  const { checkpoint } = extract;
  const made: BundleText[] = [
    { path: BUNDLE_ENTRIES_PATH, content: Buffer.from(`${JSON.stringify(extract.entries, null, 2)}\n`) },
    { path: BUNDLE_CHECKPOINT_PATH, content: Buffer.from(`${JSON.stringify(checkpoint, null, 2)}\n`) },
    { path: BUNDLE_CHECKPOINT_TEXT_PATH, content: Buffer.from(checkpoint.signedText) },
    { path: BUNDLE_CHECKPOINT_SIG_PATH, content: Buffer.from(checkpoint.signature, 'base64') },
    { path: BUNDLE_KEY_PATH, content: Buffer.from(extract.publicKeyPem) },
    { path: BUNDLE_README_PATH, content: Buffer.from(readme(manifest.packId, extract.keyFingerprint, checkpoint)) },
  ];
  const full: BundleManifest = {
    ...manifest,
    bundleFiles: made.map((file) => ({
      path: file.path,
      sha256: sha256(file.content),
      sizeBytes: file.content.length,
    })),
    auditLog: {
      treeSize: checkpoint.treeSize,
      rootHash: checkpoint.rootHash,
      at: checkpoint.at,
      entries: extract.entries.length,
    },
    signingKey: { algorithm: 'Ed25519', fingerprint: extract.keyFingerprint },
  };
  const manifestBytes = Buffer.from(`${JSON.stringify(full, null, 2)}\n`);
  made.push({ path: BUNDLE_MANIFEST_PATH, content: manifestBytes });
  made.push({ path: BUNDLE_SIGNATURE_PATH, content: sign(manifestBytes) });
  const sums = new Map<string, string>();
  for (const member of members) sums.set(member.path, member.sha256);
  for (const file of made) sums.set(file.path, sha256(file.content));
  const lines = [...sums].sort(([a], [b]) => a.localeCompare(b)).map(([path, hash]) => `${hash}  ${path}\n`);
  made.push({ path: BUNDLE_SUMS_PATH, content: Buffer.from(lines.join('')) });
  return made;
}

function readme(packId: string, fingerprint: string, checkpoint: CheckpointView): string {
  return `Evidence bundle of pack ${packId}

Every check below uses standard tools (coreutils sha256sum, OpenSSL 3, Node.js 18+) and none of our code.
Run them in the directory you unzipped the bundle into.

1. Every file is intact (SHA256SUMS lists every file but itself):
     sha256sum -c SHA256SUMS

2. The manifest was signed by the workbench's key (manifest.sig is the raw 64-byte Ed25519 signature over the exact
   bytes of manifest.json; -rawin: Ed25519 signs the message itself, not a digest):
     openssl pkeyutl -verify -pubin -inkey signing-key.pem -rawin -in manifest.json -sigfile manifest.sig

3. The key is the workbench's: its fingerprint must be ${fingerprint}, the one printed on the pack's cover and served
   by GET /api/v1/signing-key (which also lists earlier keys with their validity):
     openssl pkey -pubin -in signing-key.pem -outform DER | sha256sum

4. SHA256SUMS says what the signed manifest says (the manifest lists pdf, files and bundleFiles with their SHA-256):
     jq -r '.pdf, .files[], .bundleFiles[] | "\\(.sha256)  \\(.path)"' manifest.json | sort -u | sha256sum -c -

5. The audit-log checkpoint (tree size ${checkpoint.treeSize}, root ${checkpoint.rootHash}) was signed by the same key:
     openssl pkeyutl -verify -pubin -inkey signing-key.pem -rawin -in audit-log/checkpoint.txt -sigfile audit-log/checkpoint.sig

6. Every audit-log entry in audit-log/entries.json is in that checkpoint:
     node verify-proof.mjs audit-log/entries.json audit-log/checkpoint.json signing-key.pem
   (scripts/verify-proof.mjs of the workbench, 30 lines of Node built-ins; or write it in any language as below).

Files
  pack.pdf                    the evidence pack
  evidence/<sha256>-<name>    every evidence file the pack cites, named by its SHA-256
  assessment-results-*.json   OSCAL assessment results of each system
  audit-log/entries.json      audit-log entries about the audit, its systems, evidence and packs within its period,
                              each with its chain hash, leafIndex and inclusion proof
  audit-log/checkpoint.json   the signed checkpoint (tree size, Merkle root, time, key fingerprint, signature)
  audit-log/checkpoint.txt    the exact bytes the checkpoint signature covers; checkpoint.sig: that raw signature
  signing-key.pem             the Ed25519 public key
  manifest.json               every file with its SHA-256 and size, the checkpoint and the key fingerprint
  manifest.sig                Ed25519 signature of manifest.json (raw, 64 bytes)
  SHA256SUMS                  sha256sum -c format over every file but itself

How an inclusion proof is checked (RFC 9162, section 2.1.3.2)
  The checkpoint's root is a Merkle tree over the chain hashes of entries 1..tree_size in seq order. A leaf is
  SHA-256(0x00 || the 32 bytes of an entry's hash); an inner node is SHA-256(0x01 || left || right); a tree of n
  leaves splits at the largest power of two below n. To check an entry: let fn = leafIndex (seq - 1),
  sn = tree_size - 1 and r = its leaf hash. For each proof hash p in order: if sn is 0, the proof is bad; if fn is
  odd or fn equals sn, set r = SHA-256(0x01 || p || r) and, while fn is even and not 0, halve fn and sn (integer
  division); otherwise set r = SHA-256(0x01 || r || p). Then halve fn and sn once. At the end sn must be 0 and r must
  equal the checkpoint's root. The checkpoint's signature covers the text of audit-log/checkpoint.txt:
  "workbench audit-log checkpoint v1", "tree_size N", "root HEX", "time ISO", one per line, each ending in a newline.
  An entry's own hash is SHA-256 of its prevHash, seq, at, actor, action, entityType, entityId and payloadHash joined
  by newlines (payloadHash = SHA-256 of payload), so an entry's fields are bound to the hash the proof covers.
`;
}
