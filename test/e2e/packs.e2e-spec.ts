import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as yauzl from 'yauzl';
import { loadConfig } from '../../src/config/app.config';
import { ChromiumPdfRenderer, PDF_RENDERER, PdfRenderer, RenderedPdf } from '../../src/pdf/chromium-pdf-renderer';
import { verifyBundle } from '../../src/evidence-packs/bundle-verifier';
import { BundleManifest } from '../../src/evidence-packs/pack-bundle';
import { PackManifest, packHashOf } from '../../src/evidence-packs/pack-manifest';
import { minimalSystem } from '../factories/systems';
import { bearer, startTestApp, TestApp, TestUser } from '../factories/test-app';
import { instantBetween, waitFor } from '../factories/wait-for';

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
// supertest buffers binary bodies only for types it knows; this keeps a PDF or a zip byte for byte.
const binary = (res: unknown, done: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  const stream = res as NodeJS.ReadableStream;
  stream.on('data', (chunk: Buffer) => chunks.push(Buffer.from(chunk)));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
};

function unzip(buffer: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error ?? new Error('yauzl gave no zip file'));
      const files = new Map<string, Buffer>();
      zip.on('entry', (entry: yauzl.Entry) =>
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream)
            return reject(streamError ?? new Error(`yauzl gave no stream for ${entry.fileName}`));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            files.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        }),
      );
      zip.on('end', () => resolve(files));
      zip.readEntry();
    });
  });
}

describe('evidence packs and bundles (e2e, real Chromium)', () => {
  let t: TestApp;
  let dir: string;
  const specialist = () => bearer(t.users.governance_specialist);
  const param = (n: number) => (t.database.kind === 'postgres' ? `$${n}` : '?');

  beforeAll(async () => {
    t = await startTestApp();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'packs-e2e-'));
  });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function createSystem(name: string): Promise<{ id: string; code: string }> {
    const id = (await t.http().post('/api/v1/systems').set(specialist()).send(minimalSystem({ name })).expect(201)).body
      .id;
    const controls = await t.http().get(`/api/v1/systems/${id}/controls`).set(specialist()).expect(200);
    return { id, code: controls.body[0].controlCode };
  }

  async function uploadAccepted(
    systemId: string,
    code: string,
    title: string,
  ): Promise<{ id: string; sha256: string; content: Buffer }> {
    const content = Buffer.from(`${title}\nreviewed ${randomUUID()}\n`);
    const res = await t
      .http()
      .post(`/api/v1/systems/${systemId}/evidence`)
      .set(bearer(t.users.engineer))
      .field('controlCodes[]', code)
      .field('title', title)
      .field('kind', 'test_report')
      .field('collectedAt', new Date(Date.now() - 60000).toISOString())
      .attach('file', content, { filename: `${title.replace(/\W+/g, '-')}.txt`, contentType: 'text/plain' })
      .expect(201);
    await t
      .http()
      .post(`/api/v1/evidence/${res.body.id}/review`)
      .set(specialist())
      .send({ decision: 'accepted' })
      .expect(200);
    return { id: res.body.id, sha256: res.body.sha256, content };
  }

  async function requestReady(body: object, who: TestUser = t.users.governance_specialist) {
    const created = await t.http().post('/api/v1/packs').set(bearer(who)).send(body).expect(202);
    expect(created.body).toEqual({ id: expect.any(String), status: 'queued' });
    return waitFor(
      async () => {
        const res = await t.http().get(`/api/v1/packs/${created.body.id}`).set(bearer(who)).expect(200);
        if (res.body.status === 'failed') throw new Error(`pack failed: ${res.body.error}`);
        return res.body.status === 'ready' && res.body;
      },
      { timeoutMs: 60000, intervalMs: 150, what: `pack ${created.body.id} to be ready` },
    );
  }

  function pdfText(pdf: Buffer, name: string): string {
    const file = path.join(dir, `${name}.pdf`);
    fs.writeFileSync(file, pdf);
    return execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', file, '-']).toString('utf8').replace(/\s+/g, '');
  }

  function pdfPages(pdf: Buffer, name: string): number {
    const file = path.join(dir, `${name}.pdf`);
    fs.writeFileSync(file, pdf);
    return Number(/^Pages:\s+(\d+)/m.exec(execFileSync('pdfinfo', [file]).toString())![1]);
  }

  describe('a system pack', () => {
    let system: { id: string; code: string };
    let early: { id: string; sha256: string; content: Buffer };
    let late: { id: string; sha256: string; content: Buffer };
    let between: string;
    let pack: { id: string; pdfSha256: string; pageCount: number };

    beforeAll(async () => {
      system = await createSystem('Pack subject <b>assistant</b>');
      early = await uploadAccepted(system.id, system.code, 'Bias test report');
      await t
        .http()
        .patch(`/api/v1/systems/${system.id}/controls/${system.code}`)
        .set(specialist())
        .send({ status: 'implemented', statement: 'Done' })
        .expect(200);
      between = await instantBetween();
      late = await uploadAccepted(system.id, system.code, 'Later red-team report');
      pack = await requestReady({ systemId: system.id });
    });

    it('renders a PDF showing the system, requirement refs, control code and evidence hashes', async () => {
      const res = await t
        .http()
        .get(`/api/v1/packs/${pack.id}/pdf`)
        .set(specialist())
        .buffer(true)
        .parse(binary)
        .expect(200);
      expect(res.headers['content-type']).toBe('application/pdf');
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename="evidence-pack-/);
      const pdf = res.body as Buffer;
      expect(sha256(pdf)).toBe(pack.pdfSha256);
      const text = pdfText(pdf, 'system');
      for (const expected of ['Packsubject<b>assistant</b>', 'GOVERN1.1', system.code, early.sha256, late.sha256])
        expect(text).toContain(expected);
      expect(pdfPages(pdf, 'system')).toBeGreaterThanOrEqual(2);
      expect(pack.pageCount).toBe(pdfPages(pdf, 'system'));
    });

    it('streams a bundle whose manifest matches every file, and the verifier catches one flipped byte', async () => {
      const res = await t
        .http()
        .get(`/api/v1/packs/${pack.id}/bundle`)
        .set(specialist())
        .buffer(true)
        .parse(binary)
        .expect(200);
      expect(res.headers['content-type']).toBe('application/zip');
      const zip = res.body as Buffer;
      const files = await unzip(zip);
      const manifest = JSON.parse(files.get('manifest.json')!.toString('utf8')) as PackManifest;
      expect(manifest.packId).toBe(pack.id);
      expect(sha256(files.get('pack.pdf')!)).toBe(manifest.pdf.sha256);
      expect(manifest.pdf.sha256).toBe(pack.pdfSha256);
      const evidenceFiles = manifest.files.filter((f) => f.evidenceId);
      expect(evidenceFiles.map((f) => f.evidenceId).sort()).toEqual([early.id, late.id].sort());
      for (const file of manifest.files) {
        expect(sha256(files.get(file.path)!)).toBe(file.sha256);
        expect(files.get(file.path)!.length).toBe(file.sizeBytes);
      }
      for (const file of evidenceFiles) expect(file.path).toMatch(new RegExp(`^evidence/${file.sha256}-`));
      // The system's OSCAL assessment results travel with the bundle, hashed like everything else.
      const oscal = manifest.files.filter((f) => f.document === 'oscal-assessment-results');
      expect(oscal.map((f) => [f.path, f.systemId])).toEqual([
        [`oscal/assessment-results-${system.id}.json`, system.id],
      ]);
      const assessment = JSON.parse(files.get(oscal[0].path)!.toString('utf8'));
      expect(assessment['assessment-results'].metadata['oscal-version']).toBe('1.2.1');
      // packHash covers the manifest stored with the pack; the bundle's additions are signed (manifest.sig).
      const { packHash, packId, generatedAt, asOf, pdf, files: listed } = manifest;
      expect(packHashOf({ packId, generatedAt, asOf, pdf, files: listed })).toBe(packHash);
      const bundled = (manifest as unknown as BundleManifest).bundleFiles.map((f) => f.path);
      expect(bundled).toEqual(expect.arrayContaining(['README.txt', 'signing-key.pem', 'audit-log/entries.json']));
      expect([...files.keys()].sort()).toEqual(
        [
          'manifest.json',
          'manifest.sig',
          'SHA256SUMS',
          'pack.pdf',
          ...bundled,
          ...new Set(manifest.files.map((f) => f.path)),
        ].sort(),
      );
      const entries = JSON.parse(files.get('audit-log/entries.json')!.toString('utf8')) as { action: string }[];
      expect(entries.map((e) => e.action)).toEqual(expect.arrayContaining(['evidence.upload', 'pack.request']));

      const good = path.join(dir, 'good.zip');
      fs.writeFileSync(good, zip);
      const key = (await t.http().get('/api/v1/signing-key').expect(200)).body as { fingerprint: string };
      const verdict = await verifyBundle(good, key.fingerprint);
      expect(verdict.checks.filter((c) => !c.ok)).toEqual([]);
      expect(verdict).toMatchObject({ valid: true, packId: pack.id });

      const tampered = Buffer.from(zip);
      const at = tampered.indexOf(early.content);
      expect(at).toBeGreaterThan(0);
      tampered[at] ^= 0x01;
      const bad = path.join(dir, 'bad.zip');
      fs.writeFileSync(bad, tampered);
      const broken = await verifyBundle(bad);
      expect(broken.valid).toBe(false);
      const earlyPath = manifest.files.find((f) => f.evidenceId === early.id)!.path;
      expect(broken.checks.filter((c) => !c.ok).map((c) => [c.path, c.detail.startsWith(earlyPath)])).toEqual([
        [earlyPath, false],
        ['SHA256SUMS', true],
      ]);
    });

    it('verifies with the exact commands of its README.txt, standard tools only, and they catch tampering', async () => {
      const zip = (
        await t.http().get(`/api/v1/packs/${pack.id}/bundle`).set(specialist()).buffer(true).parse(binary).expect(200)
      ).body as Buffer;
      const out = path.join(dir, 'unzipped');
      for (const [name, content] of await unzip(zip)) {
        fs.mkdirSync(path.dirname(path.join(out, name)), { recursive: true });
        fs.writeFileSync(path.join(out, name), content);
      }
      // Step 6 of the README runs the workbench's 30-line proof checker (Node built-ins only), which is not in the bundle.
      fs.copyFileSync(path.resolve(__dirname, '../../scripts/verify-proof.mjs'), path.join(out, 'verify-proof.mjs'));
      const readme = fs.readFileSync(path.join(out, 'README.txt'), 'utf8');
      const commands = readme
        .split('\n')
        .filter((line) => /^ {5}\S/.test(line))
        .map((line) => line.trim());
      expect(commands.length).toBeGreaterThanOrEqual(5);
      const hasJq = spawnSync('sh', ['-c', 'command -v jq']).status === 0;
      const run = (command: string) =>
        spawnSync('bash', ['-o', 'pipefail', '-c', command], { cwd: out, encoding: 'utf8' });
      const key = (await t.http().get('/api/v1/signing-key').expect(200)).body as { fingerprint: string };
      for (const command of commands) {
        if (command.startsWith('jq ') && !hasJq) continue;
        const result = run(command);
        expect({ command, status: result.status, stderr: result.stderr }).toEqual({
          command,
          status: 0,
          stderr: expect.any(String),
        });
        if (command.startsWith('openssl pkey ')) expect(result.stdout).toContain(key.fingerprint);
      }
      const sums = commands.find((c) => c.startsWith('sha256sum -c'))!;
      const signature = commands.find((c) => c.includes('-in manifest.json'))!;
      // A flipped byte in a file: sha256sum names it.
      const pdfFile = path.join(out, 'pack.pdf');
      const original = fs.readFileSync(pdfFile);
      const flipped = Buffer.from(original);
      flipped[flipped.length - 10] ^= 0x01;
      fs.writeFileSync(pdfFile, flipped);
      const broken = run(sums);
      expect(broken.status).not.toBe(0);
      expect(broken.stdout).toContain('pack.pdf: FAILED');
      fs.writeFileSync(pdfFile, original);
      // An edited manifest (even with SHA256SUMS recomputed to match): the signature no longer verifies.
      const manifestFile = path.join(out, 'manifest.json');
      const manifestBytes = fs.readFileSync(manifestFile, 'utf8');
      fs.writeFileSync(manifestFile, manifestBytes.replace(pack.id, randomUUID()));
      expect(run(signature).status).not.toBe(0);
      fs.writeFileSync(manifestFile, manifestBytes);
      // A forged signature: refused too.
      const sigFile = path.join(out, 'manifest.sig');
      const sig = fs.readFileSync(sigFile);
      sig[0] ^= 0x01;
      fs.writeFileSync(sigFile, sig);
      expect(run(signature).status).not.toBe(0);
    });

    it('leaves out evidence uploaded after asOf', async () => {
      const past = await requestReady({ systemId: system.id, asOf: between });
      expect(past.asOf).toBe(between);
      const pdf = (
        await t.http().get(`/api/v1/packs/${past.id}/pdf`).set(specialist()).buffer(true).parse(binary).expect(200)
      ).body as Buffer;
      const text = pdfText(pdf, 'past');
      expect(text).toContain(early.sha256);
      expect(text).not.toContain(late.sha256);
    });

    it('records every job state change in the audit log', async () => {
      const rows: Array<{ action: string }> = await t.dataSource.query(
        `SELECT action FROM audit_log WHERE "entityId" = ${param(1)} ORDER BY seq`,
        [pack.id],
      );
      expect(rows.map((r) => r.action)).toEqual(['pack.request', 'pack.render.start', 'pack.render.ready']);
    });
  });

  describe('a pack of an internet-facing RAG LLM with a recorded incident', () => {
    const squeeze = (text: string) => text.replace(/\s+/g, '');
    let system: string;
    let beforeIncident: string;
    let authority: { legalBasis: string; title: string };
    let text: string;

    beforeAll(async () => {
      system = (
        await t
          .http()
          .post('/api/v1/systems')
          .set(specialist())
          .send(
            minimalSystem({
              name: 'Help centre chatbot',
              modelKind: 'generative',
              internetFacing: true,
              usesRag: true,
              personalData: true,
              gdprEstablishment: true,
              gdprRole: 'controller',
            }),
          )
          .expect(201)
      ).body.id;
      beforeIncident = await instantBetween();
      const ago = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString();
      await t
        .http()
        .post(`/api/v1/systems/${system}/evidence`)
        .set(bearer(t.users.engineer))
        .field('controlCodes[]', 'AIG-AIS-09')
        .field('title', 'Prompt injection red team Q4')
        .field('kind', 'red_team_report')
        .field('collectedAt', ago(1))
        .field('atlasTechniqueIds[]', 'AML.T0051')
        .field('redTeamOutcome', 'fail')
        .attach('file', Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n'), {
          filename: 'red-team.pdf',
          contentType: 'application/pdf',
        })
        .expect(201);
      const incident = await t
        .http()
        .post('/api/v1/incidents')
        .set(specialist())
        .send({
          systemIds: [system],
          title: 'Chatbot echoed other customers addresses',
          detectedAt: ago(3),
          becameAwareAt: ago(2),
          reporter: 'SOC',
          severity: 'high',
          categories: ['personal_data_breach'],
          gdprRisk: 'risk',
        })
        .expect(201);
      const obligation = incident.body.obligations.find((o: { key: string }) => o.key === 'gdpr-art-33-1-authority');
      authority = obligation;
      await t
        .http()
        .post(`/api/v1/incidents/${incident.body.id}/notifications`)
        .set(specialist())
        .send({ obligationId: obligation.id, recipient: 'BfDI', sentAt: ago(1), channel: 'portal' })
        .expect(201);
      const pack = await requestReady({ systemId: system });
      text = pdfText(
        (await t.http().get(`/api/v1/packs/${pack.id}/pdf`).set(specialist()).buffer(true).parse(binary).expect(200))
          .body as Buffer,
        'threats',
      );
    });

    it('shows the threat coverage section with prompt injection (AML.T0051, LLM01), the rule that made it relevant and its mitigations', () => {
      // The last occurrence is the section's heading, the first is its line on the contents page.
      const start = text.lastIndexOf('10.Threatcoverage');
      const section = text.slice(start, text.indexOf('11.Incidentsoftheperiod', start));
      for (const expected of [
        'HelpcentrechatbotFacts:generativemodel,internet-facing,usingretrieval(RAG)',
        'AML.T0051',
        'LLM01',
        'Relevantbyllm-prompt-injection',
        'AML.M0020',
      ])
        expect(section).toContain(expected);
      expect(section).toMatch(/AML\.T0051.*·(gap|partial|mitigated)/);
      expect(section).toContain('Latestredteam:PromptinjectionredteamQ4');
    });

    it('lists the incident with its obligation, due time, state and notification in the incidents section', () => {
      const start = text.lastIndexOf('11.Incidentsoftheperiod');
      const section = text.slice(start, text.indexOf('12.Audit-logextract', start));
      expect(section).toContain('Chatbotechoedothercustomersaddresses');
      expect(section).toContain('Severityhigh·personaldatabreach·open(statusnow)');
      expect(section).toContain(squeeze(`${authority.legalBasis} ${authority.title}`));
      expect(section).toMatch(/due\d{4}-\d\d-\d\d\d\d:\d\d[^·]*·done·notified[^·]*viaportaltoBfDI/);
    });

    it('in an audit pack, lists the incidents that became known in the audit period only', async () => {
      const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
      const auditOver = async (start: string, end: string) => {
        const auditId = randomUUID();
        await t.dataSource.query(
          `INSERT INTO audits (id, name, frameworks, "periodStart", "periodEnd", "createdBy", "createdAt") VALUES (${[1, 2, 3, 4, 5, 6, 7].map(param).join(', ')})`,
          [
            auditId,
            `Audit ${start}`,
            JSON.stringify(['owasp-llm-top10-2025']),
            `${start}T00:00:00.000Z`,
            `${end}T00:00:00.000Z`,
            t.users.admin.id,
            new Date().toISOString(),
          ],
        );
        await t.dataSource.query(
          `INSERT INTO audit_systems ("auditId", "systemId") VALUES (${param(1)}, ${param(2)})`,
          [auditId, system],
        );
        const pack = await requestReady({ auditId }, t.users.admin);
        const pdf = (
          await t.http().get(`/api/v1/packs/${pack.id}/pdf`).set(specialist()).buffer(true).parse(binary).expect(200)
        ).body as Buffer;
        const all = pdfText(pdf, `audit-${start}`);
        const from = all.lastIndexOf('11.Incidentsoftheperiod');
        return all.slice(from, all.indexOf('12.Audit-logextract', from));
      };
      const covering = await auditOver(day(-30), day(1));
      expect(covering).toContain(`Period${day(-30)}to${day(1)};1incidents`);
      expect(covering).toContain('Chatbotechoedothercustomersaddresses');
      const before = await auditOver(day(-30), day(-2));
      expect(before).not.toContain('Chatbotechoedothercustomersaddresses');
      expect(before).toContain('Noincidenttouchingthesesystemsbecameknownintheauditperiod.');
    });

    it('leaves out an incident and a red-team report recorded after the as-of time', async () => {
      const past = await requestReady({ systemId: system, asOf: beforeIncident });
      const pastText = pdfText(
        (await t.http().get(`/api/v1/packs/${past.id}/pdf`).set(specialist()).buffer(true).parse(binary).expect(200))
          .body as Buffer,
        'threats-past',
      );
      expect(pastText).not.toContain('Chatbotechoedothercustomersaddresses');
      expect(pastText).toContain('Noincidenttouchingthesesystemsbecameknownuptotheas-oftime.');
      expect(pastText).not.toContain('PromptinjectionredteamQ4');
      expect(pastText).toContain('Nored-teamreportnamesit.');
    });
  });

  it('scopes auditors to the packs of their audits', async () => {
    const inAudit = await createSystem('Audited system');
    const outside = await createSystem('Unaudited system');
    const auditId = randomUUID();
    const now = new Date().toISOString();
    await t.dataSource.query(
      `INSERT INTO audits (id, name, frameworks, "periodStart", "periodEnd", "createdBy", "createdAt") VALUES (${[1, 2, 3, 4, 5, 6, 7].map(param).join(', ')})`,
      [
        auditId,
        'FY2026 audit',
        JSON.stringify(['nist-ai-rmf-1.0']),
        '2026-01-01T00:00:00.000Z',
        '2026-12-31T00:00:00.000Z',
        t.users.admin.id,
        now,
      ],
    );
    await t.dataSource.query(`INSERT INTO audit_systems ("auditId", "systemId") VALUES (${param(1)}, ${param(2)})`, [
      auditId,
      inAudit.id,
    ]);
    await t.dataSource.query(`INSERT INTO audit_auditors ("auditId", "userId") VALUES (${param(1)}, ${param(2)})`, [
      auditId,
      t.users.auditor.id,
    ]);

    const auditPack = await requestReady({ auditId }, t.users.admin);
    expect(auditPack.frameworks).toEqual(['nist-ai-rmf-1.0']);
    const other = await t.http().post('/api/v1/packs').set(specialist()).send({ systemId: outside.id }).expect(202);
    const auditor = bearer(t.users.auditor);
    await t.http().get(`/api/v1/packs/${auditPack.id}`).set(auditor).expect(200);
    await t.http().get(`/api/v1/packs/${auditPack.id}/pdf`).set(auditor).expect(200);
    await t.http().get(`/api/v1/packs/${other.body.id}`).set(auditor).expect(404);
    await t.http().get(`/api/v1/packs/${other.body.id}/bundle`).set(auditor).expect(404);
    const list = await t.http().get('/api/v1/packs').set(auditor).expect(200);
    expect(list.body.items.map((p: { id: string }) => p.id)).toEqual([auditPack.id]);
    await t.http().post('/api/v1/packs').set(auditor).send({ auditId }).expect(403);
  });

  it('refuses requests that are not valid', async () => {
    const { id } = await createSystem('Validation target');
    const post = (body: object) => t.http().post('/api/v1/packs').set(specialist()).send(body);
    await post({}).expect(400);
    await post({ systemId: id, auditId: randomUUID() }).expect(400);
    await post({ systemId: id, asOf: new Date(Date.now() + 3600000).toISOString() }).expect(400);
    await post({ systemId: id, frameworks: ['no-such-framework'] }).expect(400);
    await post({ systemId: randomUUID() }).expect(404);
    await post({ auditId: randomUUID() }).expect(404);
    await t.http().post('/api/v1/packs').set(bearer(t.users.engineer)).send({ systemId: id }).expect(403);
    await t.http().get(`/api/v1/packs/${randomUUID()}`).set(specialist()).expect(404);
  });
});

describe('evidence pack queue limit (e2e, renderer double)', () => {
  let t: TestApp;
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  // Holds every job until released, so the first pack is still active when the second request arrives.
  const slowRenderer: PdfRenderer = {
    render: async (): Promise<RenderedPdf> => {
      await gate;
      return { pdf: Buffer.from('%PDF-1.4\n%%EOF\n'), ms: 1, pages: 1 };
    },
    status: () => ({ status: 'up', state: 'running', executable: null }),
  };

  beforeAll(async () => {
    t = await startTestApp({
      env: { WORKBENCH_PACK_QUEUE_LIMIT: '1' },
      override: (builder) => builder.overrideProvider(PDF_RENDERER).useValue(slowRenderer),
    });
  });
  afterAll(async () => {
    release();
    await t?.close();
  });

  it('answers 429 with Retry-After once queued + rendering packs reach the limit, and accepts again after', async () => {
    const specialist = bearer(t.users.governance_specialist);
    const id = (await t.http().post('/api/v1/systems').set(specialist).send(minimalSystem()).expect(201)).body.id;
    const first = await t.http().post('/api/v1/packs').set(specialist).send({ systemId: id }).expect(202);
    const refused = await t.http().post('/api/v1/packs').set(specialist).send({ systemId: id }).expect(429);
    expect(refused.headers['retry-after']).toBe('10');
    release();
    await waitFor(
      async () => (await t.http().get(`/api/v1/packs/${first.body.id}`).set(specialist)).body.status === 'ready',
      { timeoutMs: 20000, intervalMs: 100, what: 'the first pack to finish' },
    );
    await t.http().post('/api/v1/packs').set(specialist).send({ systemId: id }).expect(202);
  });
});

describe('ChromiumPdfRenderer under overlapping jobs (real Chromium)', () => {
  const html = (n: number) =>
    `<!DOCTYPE html><html><body><h1>Job ${n}</h1><p>${'text '.repeat(4000)}</p></body></html>`;
  const options = { timeoutMs: 30000, footer: 'test', outline: false };

  it('recycles the browser only after its in-flight jobs finish', async () => {
    const renderer = new ChromiumPdfRenderer(loadConfig({ LOG_LEVEL: 'silent', WORKBENCH_BROWSER_RECYCLE_AFTER: '1' }));
    try {
      const results = await Promise.all([1, 2, 3, 4].map((n) => renderer.render(html(n), options)));
      for (const result of results) {
        expect(result.pdf.subarray(0, 5).toString()).toBe('%PDF-');
        expect(result.pages).toBeGreaterThanOrEqual(2);
      }
    } finally {
      await renderer.close();
    }
  });

  it('starts no browser once closed, so shutdown leaves no Chromium behind', async () => {
    const renderer = new ChromiumPdfRenderer(loadConfig({ LOG_LEVEL: 'silent' }));
    await renderer.render(html(1), options);
    await renderer.close();
    await expect(renderer.render(html(2), options)).rejects.toThrow(/shutting down/);
    expect(renderer.status()).toMatchObject({ status: 'down', state: 'closed' });
  });

  it('fails a job whose PDF has more pages than WORKBENCH_PACK_MAX_PAGES', async () => {
    const renderer = new ChromiumPdfRenderer(loadConfig({ LOG_LEVEL: 'silent', WORKBENCH_PACK_MAX_PAGES: '1' }));
    try {
      await expect(renderer.render(html(1), options)).rejects.toThrow(/more than the limit of 1/);
    } finally {
      await renderer.close();
    }
  });
});
