// Checks audit-log inclusion proofs against a signed checkpoint with Node built-ins only (RFC 9162 2.1.3.2):
//   node verify-proof.mjs audit-log/entries.json audit-log/checkpoint.json signing-key.pem
// entries.json: one entry {seq, hash, leafIndex, proof: [hex]} or an array of them. Exit 1 naming each failure.
import { createHash, createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';

const [entriesFile, checkpointFile, keyFile] = process.argv.slice(2);
const read = (file) => JSON.parse(readFileSync(file, 'utf8'));
const sha = (...parts) => createHash('sha256').update(Buffer.concat(parts)).digest();
const cp = read(checkpointFile);
const text = `workbench audit-log checkpoint v1\ntree_size ${cp.treeSize}\nroot ${cp.rootHash}\ntime ${cp.at}\n`;
const failures = [];
if (!verify(null, Buffer.from(text), createPublicKey(readFileSync(keyFile)), Buffer.from(cp.signature, 'base64')))
  failures.push('checkpoint: the signature does not match signing-key.pem');
function rootOf(entry) {
  let fn = entry.leafIndex,
    sn = cp.treeSize - 1;
  let r = sha(Buffer.from([0]), Buffer.from(entry.hash, 'hex'));
  if (!(fn >= 0 && fn <= sn) || fn !== entry.seq - 1) return null;
  for (const hex of entry.proof) {
    const p = Buffer.from(hex, 'hex');
    if (sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = sha(Buffer.from([1]), p, r);
      while (fn % 2 === 0 && fn !== 0) [fn, sn] = [fn >> 1, sn >> 1];
    } else r = sha(Buffer.from([1]), r, p);
    [fn, sn] = [fn >> 1, sn >> 1];
  }
  return sn === 0 ? r.toString('hex') : null;
}
const entries = [read(entriesFile)].flat();
for (const entry of entries)
  if (rootOf(entry) !== cp.rootHash)
    failures.push(`entry ${entry.seq}: the proof does not lead to the checkpoint's root`);
for (const failure of failures) console.log(`FAIL ${failure}`);
console.log(
  failures.length
    ? `INVALID: ${failures.length} failure(s)`
    : `VALID: ${entries.length} entries in tree ${cp.treeSize}`,
);
process.exit(failures.length ? 1 : 0);
