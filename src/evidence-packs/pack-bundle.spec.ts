import { spawnSync } from 'node:child_process';
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { GENESIS_HASH, linkHash } from '../audit-log/audit-chain';
import { checkpointText } from '../audit-log/audit-checkpoint';
import { MerkleTree } from '../audit-log/merkle';
import { sha256Hex } from '../common/canonical-json';
import { fingerprintOf } from '../signing/signing-keys';
import { verifyBundle } from './bundle-verifier';
import { bundleTexts } from './pack-bundle';
import { streamZip } from './pack-bundle-stream';
import { buildManifest } from './pack-manifest';

/**
 * A bundle as PackBundleService builds it, checked by our verifier and by the standard tools its README names
 * (sha256sum, openssl, jq, scripts/verify-proof.mjs), then tampered with one part at a time.
 */
describe('signed evidence bundle', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bundle-spec-'));
  const { privateKey } = generateKeyPairSync('ed25519');
  const publicKeyPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
  const fingerprint = fingerprintOf(createPublicKey(privateKey));
  const pdf = Buffer.from('%PDF-1.7 pack');
  const evidence = Buffer.from('evidence file');
  let files: Map<string, Buffer>;

  const run = (cmd: string, args: string[], cwd: string) => spawnSync(cmd, args, { cwd, encoding: 'utf8' });
  const zipOf = async (name: string, contents: Map<string, Buffer>) => {
    const file = path.join(work, name);
    const zip = streamZip(
      [],
      [...contents].map(([p, content]) => ({ path: p, content })),
    );
    await pipeline(zip, fs.createWriteStream(file));
    return file;
  };
  const extract = (zip: string) => {
    const dir = fs.mkdtempSync(path.join(work, 'x-'));
    expect(run('unzip', ['-q', zip, '-d', dir], work).status).toBe(0);
    return dir;
  };
  const tools = (dir: string) => ({
    sums: run('sha256sum', ['-c', '--quiet', 'SHA256SUMS'], dir).status,
    manifest: run(
      'openssl',
      [
        'pkeyutl',
        '-verify',
        '-pubin',
        '-inkey',
        'signing-key.pem',
        '-rawin',
        '-in',
        'manifest.json',
        '-sigfile',
        'manifest.sig',
      ],
      dir,
    ).status,
    checkpoint: run(
      'openssl',
      [
        'pkeyutl',
        '-verify',
        '-pubin',
        '-inkey',
        'signing-key.pem',
        '-rawin',
        '-in',
        'audit-log/checkpoint.txt',
        '-sigfile',
        'audit-log/checkpoint.sig',
      ],
      dir,
    ).status,
    proofs: run(
      'node',
      [
        path.resolve(__dirname, '../../scripts/verify-proof.mjs'),
        'audit-log/entries.json',
        'audit-log/checkpoint.json',
        'signing-key.pem',
      ],
      dir,
    ).status,
    fingerprint: run(
      'sh',
      ['-c', 'openssl pkey -pubin -in signing-key.pem -outform DER | sha256sum'],
      dir,
    ).stdout.split(' ')[0],
    listed: run(
      'sh',
      [
        '-c',
        `jq -r '.pdf, .files[], .bundleFiles[] | "\\(.sha256)  \\(.path)"' manifest.json | sort -u | sha256sum -c --quiet -`,
      ],
      dir,
    ).status,
  });

  beforeAll(() => {
    // A chain of 6 entries; entries 2, 4 and 5 are the pack's extract.
    const links = [];
    let prevHash = GENESIS_HASH;
    for (let seq = 1; seq <= 6; seq++) {
      const payload = JSON.stringify({ n: seq });
      const link = {
        seq,
        at: `2026-11-0${seq}T00:00:00.000Z`,
        actor: 'a@example.test',
        action: 'evidence.upload',
        entityType: 'evidence',
        entityId: `e${seq}`,
        payload,
        payloadHash: sha256Hex(payload),
        prevHash,
      };
      const hash = linkHash(link);
      links.push({ ...link, hash });
      prevHash = hash;
    }
    const tree = new MerkleTree(links.map((l) => l.hash));
    const at = '2026-11-30T00:00:00.000Z';
    const signedText = checkpointText({ treeSize: 6, rootHash: tree.root(), at });
    const checkpoint = {
      treeSize: 6,
      rootHash: tree.root(),
      at,
      algorithm: 'Ed25519' as const,
      keyFingerprint: fingerprint,
      signature: sign(null, Buffer.from(signedText), privateKey).toString('base64'),
      signedText,
    };
    const entries = [links[1], links[3], links[4]].map((l) => ({
      ...l,
      leafIndex: l.seq - 1,
      proof: tree.inclusionProof(l.seq - 1),
    }));
    const manifest = buildManifest({ packId: 'pack-1', generatedAt: at, asOf: at, pdfSha256: sha256Hex(pdf) }, [
      { id: 'ev-1', sha256: sha256Hex(evidence), fileName: 'report.txt', sizeBytes: evidence.length } as never,
    ]);
    const members = [
      { path: 'pack.pdf', sha256: sha256Hex(pdf), content: pdf },
      { path: manifest.files[0].path, sha256: sha256Hex(evidence), content: evidence },
    ];
    const texts = bundleTexts(
      manifest,
      members,
      { checkpoint, entries, publicKeyPem, keyFingerprint: fingerprint },
      (bytes) => sign(null, bytes, createPrivateKey(privateKey.export({ type: 'pkcs8', format: 'pem' }))),
    );
    files = new Map([
      ...members.map((m) => [m.path, m.content] as const),
      ...texts.map((t) => [t.path, t.content] as const),
    ]);
  });
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  it('verifies with our verifier and with sha256sum, openssl, jq and verify-proof.mjs exactly as README.txt says', async () => {
    const zip = await zipOf('good.zip', files);
    const verdict = await verifyBundle(zip, fingerprint);
    expect(verdict.checks.filter((c) => !c.ok)).toEqual([]);
    expect(verdict.valid).toBe(true);
    const dir = extract(zip);
    expect(tools(dir)).toEqual({ sums: 0, manifest: 0, checkpoint: 0, proofs: 0, fingerprint, listed: 0 });
    const readme = fs.readFileSync(path.join(dir, 'README.txt'), 'utf8');
    expect(readme).toContain(
      'openssl pkeyutl -verify -pubin -inkey signing-key.pem -rawin -in manifest.json -sigfile manifest.sig',
    );
    expect(readme).toContain('sha256sum -c SHA256SUMS');
    expect(readme).toContain(fingerprint);
  });

  const tamper = (name: string, file: string, change: (bytes: Buffer) => Buffer) => async () => {
    const changed = new Map(files);
    changed.set(file, change(files.get(file)!));
    const zip = await zipOf(`${name}.zip`, changed);
    const verdict = await verifyBundle(zip);
    expect(verdict.valid).toBe(false);
    return { failed: verdict.checks.filter((c) => !c.ok), tools: tools(extract(zip)) };
  };
  const flipByte = (bytes: Buffer) => {
    const copy = Buffer.from(bytes);
    copy[copy.length - 2] ^= 1;
    return copy;
  };

  it('catches an altered evidence file: our verifier and sha256sum -c', async () => {
    const result = await tamper(
      'file',
      [...files.keys()].find((p) => p.startsWith('evidence/'))!,
      flipByte,
    )();
    expect(result.failed.map((c) => c.path)).toContain([...files.keys()].find((p) => p.startsWith('evidence/')));
    expect(result.tools).toMatchObject({ sums: 1, manifest: 0, listed: 1 });
  });

  it('catches an edited manifest: our verifier, openssl and sha256sum -c', async () => {
    const result = await tamper('manifest', 'manifest.json', (bytes) =>
      Buffer.from(bytes.toString('utf8').replace('"asOf": "2026-11-30', '"asOf": "2026-12-30')),
    )();
    expect(result.failed.map((c) => c.detail)).toContain(
      'the signature does not match manifest.json and signing-key.pem',
    );
    expect(result.tools).toMatchObject({ sums: 1, manifest: 1 });
  });

  it('catches an altered signature: our verifier and openssl', async () => {
    const result = await tamper('signature', 'manifest.sig', flipByte)();
    expect(result.failed.map((c) => c.path)).toContain('manifest.sig');
    expect(result.tools).toMatchObject({ sums: 1, manifest: 1, checkpoint: 0 });
  });

  it('catches an altered proof: our verifier, verify-proof.mjs and sha256sum -c', async () => {
    const result = await tamper('proof', 'audit-log/entries.json', (bytes) => {
      const entries = JSON.parse(bytes.toString('utf8')) as { proof: string[] }[];
      entries[1].proof[0] = entries[1].proof[0].replace(/^./, (c) => (c === 'a' ? 'b' : 'a'));
      return Buffer.from(JSON.stringify(entries, null, 2));
    })();
    expect(result.failed.map((c) => c.detail)).toContain(
      "entry 4: the inclusion proof does not lead to the checkpoint's root",
    );
    expect(result.tools).toMatchObject({ sums: 1, proofs: 1, manifest: 0 });
  });
});
