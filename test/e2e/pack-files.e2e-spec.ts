import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { PDF_RENDERER, PdfRenderer, RenderedPdf } from '../../src/pdf/chromium-pdf-renderer';
import { PackManifest } from '../../src/evidence-packs/pack-manifest';
import { EVIDENCE_STORAGE } from '../../src/evidence/evidence-storage';
import { LocalDiskEvidenceStorage } from '../../src/evidence/local-disk-evidence-storage';
import { minimalSystem } from '../factories/systems';
import { bearer, startTestApp, TestApp } from '../factories/test-app';

/** Local-disk storage that can hand out an altered copy of a file: content that changes after the pre-check. */
class FlakyStorage extends LocalDiskEvidenceStorage {
  alterOnOpen = new Set<string>();

  override open(sha256: string): Readable {
    if (!this.alterOnOpen.has(sha256)) return super.open(sha256);
    const bytes = fs.readFileSync(this.pathOf(sha256));
    bytes[0] ^= 0x01;
    return Readable.from([bytes]);
  }
}

// A PDF-shaped body that differs per pack, so a tampered file cannot equal another pack's.
const renderer: PdfRenderer = {
  render: (): Promise<RenderedPdf> =>
    Promise.resolve({
      pdf: Buffer.from(`%PDF-1.4\n% ${randomUUID()}\n%%EOF\n`),
      ms: 1,
      pages: 1,
    }),
  status: () => ({ status: 'up', state: 'running', executable: null }),
};

/**
 * Pack files that went missing or changed on disk after the pack was rendered (a restore from an older copy, a
 * tampered file): the download answers 409 naming them before any byte is sent, and the process keeps serving.
 */
describe('pack PDFs and bundles whose files are missing or altered on disk (e2e)', () => {
  let t: TestApp;
  let storage: FlakyStorage;
  const specialist = () => bearer(t.users.governance_specialist);

  beforeAll(async () => {
    t = await startTestApp({
      override: (builder) =>
        builder
          .overrideProvider(PDF_RENDERER)
          .useValue(renderer)
          .overrideProvider(LocalDiskEvidenceStorage)
          .useClass(FlakyStorage),
    });
    storage = t.app.get(EVIDENCE_STORAGE);
  });
  afterAll(async () => t?.close());

  async function readyPackWithEvidence(): Promise<{
    packId: string;
    systemId: string;
    manifest: PackManifest;
    evidence: { id: string; sha256: string }[];
  }> {
    const systemId = (
      await t
        .http()
        .post('/api/v1/systems')
        .set(specialist())
        .send(minimalSystem({ name: `Pack files ${randomUUID()}` }))
        .expect(201)
    ).body.id;
    const code = (await t.http().get(`/api/v1/systems/${systemId}/controls`).set(specialist()).expect(200)).body[0]
      .controlCode;
    const evidence: { id: string; sha256: string }[] = [];
    for (const name of ['first', 'second']) {
      const res = await t
        .http()
        .post(`/api/v1/systems/${systemId}/evidence`)
        .set(bearer(t.users.engineer))
        .field('controlCodes[]', code)
        .field('title', `Evidence ${name}`)
        .field('kind', 'test_report')
        .field('collectedAt', new Date(Date.now() - 60_000).toISOString())
        .attach('file', Buffer.from(`${name} ${randomUUID()}\n`), {
          filename: `${name}.txt`,
          contentType: 'text/plain',
        })
        .expect(201);
      await t
        .http()
        .post(`/api/v1/evidence/${res.body.id}/review`)
        .set(specialist())
        .send({ decision: 'accepted' })
        .expect(200);
      evidence.push({ id: res.body.id, sha256: res.body.sha256 });
    }
    const packId = (await t.http().post('/api/v1/packs').set(specialist()).send({ systemId }).expect(202)).body.id;
    const deadline = Date.now() + 30_000;
    for (;;) {
      const pack = await t.http().get(`/api/v1/packs/${packId}`).set(specialist()).expect(200);
      if (pack.body.status === 'ready') break;
      if (pack.body.status === 'failed') throw new Error(`pack failed: ${pack.body.error}`);
      if (Date.now() > deadline) throw new Error(`pack still ${pack.body.status}`);
      await new Promise((resolve) => setImmediate(resolve));
    }
    const rows: { manifest: string }[] = await t.dataSource.query(
      `SELECT "manifest" FROM "evidence_packs" WHERE "id" = ${t.database.kind === 'postgres' ? '$1' : '?'}`,
      [packId],
    );
    return { packId, systemId, manifest: JSON.parse(rows[0].manifest) as PackManifest, evidence };
  }

  const packDir = () => path.join(t.config.dataDir, 'packs');
  const evidenceFile = (sha256: string) => storage.pathOf(sha256);

  /** Overwrites a read-only file the way an intruder or a bad restore would. */
  function tamper(file: string): void {
    fs.chmodSync(file, 0o600);
    const bytes = fs.readFileSync(file);
    bytes[bytes.length - 2] ^= 0x01;
    fs.writeFileSync(file, bytes);
  }

  it('answers 409 naming every missing file, and /health still answers', async () => {
    const { packId, systemId, manifest, evidence } = await readyPackWithEvidence();
    fs.rmSync(evidenceFile(evidence[0].sha256));
    fs.rmSync(path.join(packDir(), packId, `assessment-results-${systemId}.json`));

    const res = await t.http().get(`/api/v1/packs/${packId}/bundle`).set(specialist()).expect(409);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const missingEvidence = manifest.files.find((f) => f.evidenceId === evidence[0].id)!.path;
    expect(res.body.message).toContain(missingEvidence);
    expect(res.body.message).toContain(`oscal/assessment-results-${systemId}.json`);
    expect(res.body.message).not.toContain(t.config.dataDir);
    expect(res.body.details).toEqual({
      missing: [missingEvidence, `oscal/assessment-results-${systemId}.json`].sort(),
      altered: [],
    });

    await t.http().get('/health').expect(200);
    // The PDF itself is intact and still served.
    await t.http().get(`/api/v1/packs/${packId}/pdf`).set(specialist()).expect(200);
  });

  it('answers 409 for a missing pack PDF, and for a tampered PDF or evidence file', async () => {
    const missing = await readyPackWithEvidence();
    fs.rmSync(path.join(packDir(), `${missing.packId}.pdf`));
    const gone = await t.http().get(`/api/v1/packs/${missing.packId}/pdf`).set(specialist()).expect(409);
    expect(gone.body.message).toMatch(/pack\.pdf.*missing/);
    await t.http().get(`/api/v1/packs/${missing.packId}/bundle`).set(specialist()).expect(409);

    const pdfTampered = await readyPackWithEvidence();
    tamper(path.join(packDir(), `${pdfTampered.packId}.pdf`));
    const pdf = await t.http().get(`/api/v1/packs/${pdfTampered.packId}/pdf`).set(specialist()).expect(409);
    expect(pdf.body.message).toMatch(/pack\.pdf.*altered/);
    const bundle = await t.http().get(`/api/v1/packs/${pdfTampered.packId}/bundle`).set(specialist()).expect(409);
    expect(bundle.body.details).toEqual({ missing: [], altered: ['pack.pdf'] });

    const evidenceTampered = await readyPackWithEvidence();
    tamper(evidenceFile(evidenceTampered.evidence[1].sha256));
    const res = await t.http().get(`/api/v1/packs/${evidenceTampered.packId}/bundle`).set(specialist()).expect(409);
    expect(res.body.details).toEqual({
      missing: [],
      altered: [evidenceTampered.manifest.files.find((f) => f.evidenceId === evidenceTampered.evidence[1].id)!.path],
    });
    await t.http().get(`/api/v1/packs/${evidenceTampered.packId}/pdf`).set(specialist()).expect(200);
    await t.http().get('/health').expect(200);
  });

  it('breaks the transfer instead of finishing a 200 when a file changes while the bundle streams', async () => {
    const { packId, evidence } = await readyPackWithEvidence();
    storage.alterOnOpen.add(evidence[1].sha256);
    try {
      const outcome = await t
        .http()
        .get(`/api/v1/packs/${packId}/bundle`)
        .set(specialist())
        .buffer(true)
        .parse((res, done) => {
          let settled = false;
          const settle = (error: Error | null) => {
            if (!settled) done(error, error ? null : 'complete');
            settled = true;
          };
          res.on('data', () => undefined);
          res.on('end', () => settle(null));
          res.on('error', settle);
        })
        .then(
          (res) => `status ${res.status}, ${String(res.body)}`,
          (error: Error) => `broken: ${error.message}`,
        );
      expect(outcome).toMatch(/^broken: /);
    } finally {
      storage.alterOnOpen.clear();
    }
    await t.http().get('/health').expect(200);
    await t.http().get(`/api/v1/packs/${packId}/bundle`).set(specialist()).expect(200);
  });

  it('stores pack files read-only', async () => {
    const { packId, systemId } = await readyPackWithEvidence();
    expect(fs.statSync(path.join(packDir(), `${packId}.pdf`)).mode & 0o777).toBe(0o400);
    expect(fs.statSync(path.join(packDir(), packId, `assessment-results-${systemId}.json`)).mode & 0o777).toBe(0o400);
  });
});
