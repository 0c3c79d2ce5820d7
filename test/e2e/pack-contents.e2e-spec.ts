import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { minimalSystem } from '../factories/systems';
import { bearer, startTestApp, TestApp, TestUser } from '../factories/test-app';

// An audit pack as an auditor reads it: rendered by the real worker and Chromium, read back with pdftotext, one
// check per section (issue 16.4), INTERIM before the period ends, and the status of a control as of an instant.

const binary = (res: unknown, done: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  const stream = res as NodeJS.ReadableStream;
  stream.on('data', (chunk: Buffer) => chunks.push(Buffer.from(chunk)));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
};
const squeeze = (text: string) => text.replace(/\s+/g, '');
const DAY = 86400000;

describe('audit evidence pack contents (e2e, real Chromium, read back with pdftotext)', () => {
  let t: TestApp;
  let dir: string;
  let systemId: string;
  let changed: string;
  let tested: string;
  let beforeChange: string;
  let auditId: string;
  const specialist = () => bearer(t.users.governance_specialist);
  const admin = () => bearer(t.users.admin);
  const ASSERTION =
    'Management asserts that the controls of the CV screening system operated effectively in the period.';

  async function requestReady(body: object, who: TestUser = t.users.governance_specialist) {
    const created = await t.http().post('/api/v1/packs').set(bearer(who)).send(body).expect(202);
    const deadline = Date.now() + 60000;
    for (;;) {
      const res = await t.http().get(`/api/v1/packs/${created.body.id}`).set(bearer(who)).expect(200);
      if (res.body.status === 'ready') return res.body as { id: string; asOf: string };
      if (res.body.status === 'failed') throw new Error(`pack failed: ${res.body.error}`);
      if (Date.now() > deadline) throw new Error(`pack still ${res.body.status} after 60 s`);
      // Poll until the worker reports the pack ready or failed.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  async function packText(packId: string): Promise<{ text: string; pages: string[] }> {
    const pdf = (
      await t.http().get(`/api/v1/packs/${packId}/pdf`).set(specialist()).buffer(true).parse(binary).expect(200)
    ).body as Buffer;
    const file = path.join(dir, `${packId}.pdf`);
    fs.writeFileSync(file, pdf);
    const raw = execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', file, '-']).toString('utf8');
    return { text: squeeze(raw), pages: raw.split('\f').map(squeeze) };
  }

  /** The text of one section: from its heading (the last occurrence: the first is the contents page) to the next. */
  function section(text: string, heading: string, next: string): string {
    const start = text.lastIndexOf(squeeze(heading));
    expect(start).toBeGreaterThan(-1);
    const end = text.indexOf(squeeze(next), start);
    return text.slice(start, end === -1 ? undefined : end);
  }

  async function upload(code: string, title: string): Promise<string> {
    const res = await t
      .http()
      .post(`/api/v1/systems/${systemId}/evidence`)
      .set(bearer(t.users.engineer))
      .field('controlCodes[]', code)
      .field('title', title)
      .field('kind', 'document')
      .field('collectedAt', new Date(Date.now() - 60000).toISOString())
      .attach('file', Buffer.from(`${title} ${randomUUID()}`), { filename: 'e.txt', contentType: 'text/plain' })
      .expect(201);
    return res.body.id as string;
  }

  beforeAll(async () => {
    t = await startTestApp();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pack-contents-'));
    systemId = (
      await t
        .http()
        .post('/api/v1/systems')
        .set(specialist())
        .send(minimalSystem({ name: 'CV screening system', purpose: 'Ranks job applications for recruiters.' }))
        .expect(201)
    ).body.id;
    // Two controls the NIST AI RMF maps to, so that the audit below has them in scope.
    [changed, tested] = ['AIG-GOV-01', 'AIG-OPS-04'];
    const patch = (code: string, body: object) =>
      t.http().patch(`/api/v1/systems/${systemId}/controls/${code}`).set(specialist()).send(body).expect(200);
    await patch(changed, { status: 'implemented' });
    await patch(tested, { status: 'implemented', ownerUserId: t.users.governance_specialist.id });
    beforeChange = new Date().toISOString();
    // The change below must be recorded after `beforeChange`: wait until the clock has moved on.
    while (new Date().toISOString() <= beforeChange) await new Promise((resolve) => setImmediate(resolve));
    await patch(changed, { status: 'in_progress' });

    const rejected = await upload(tested, 'Access review export (wrong quarter)');
    await t
      .http()
      .post(`/api/v1/evidence/${rejected}/review`)
      .set(specialist())
      .send({ decision: 'rejected', comment: 'Wrong quarter' })
      .expect(200);
    const tests = `/api/v1/systems/${systemId}/controls/${tested}/tests`;
    const testBody = (result: string, notes: string) => ({
      testedAt: new Date(Date.now() - DAY).toISOString(),
      procedure: 'Re-performed the quarterly access review for a sample of accounts.',
      populationSize: 120,
      sampleSize: 25,
      result,
      notes,
    });
    await t.http().post(tests).set(admin()).send(testBody('pass', 'No deviations.')).expect(201);
    await t
      .http()
      .post(tests)
      .set(admin())
      .send(testBody('exception', 'Two of 25 accounts lacked approval.'))
      .expect(201);

    auditId = (
      await t
        .http()
        .post('/api/v1/audits')
        .set(specialist())
        .send({
          name: 'FY SOC 2 Type II readiness',
          type: 'period',
          systemIds: [systemId],
          frameworks: ['nist-ai-rmf-1.0'],
          periodStart: new Date(Date.now() - 30 * DAY).toISOString(),
          periodEnd: new Date(Date.now() + 30 * DAY).toISOString(),
          auditorIds: [t.users.auditor.id],
        })
        .expect(201)
    ).body.id;
    await t.http().patch(`/api/v1/audits/${auditId}`).set(specialist()).send({ assertion: ASSERTION }).expect(200);
    await t.http().post(`/api/v1/audits/${auditId}/assertion/sign-off`).set(specialist()).expect(200);
  });

  afterAll(async () => {
    await t?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('a pack of a period that has not ended', () => {
    let text: string;
    let pages: string[];
    let asOf: string;

    beforeAll(async () => {
      const pack = await requestReady({ auditId });
      asOf = pack.asOf;
      ({ text, pages } = await packText(pack.id));
    });

    it('looks at now (the period end is still ahead) and says INTERIM on the cover and on every page', () => {
      expect(Date.parse(asOf)).toBeGreaterThan(Date.parse(beforeChange));
      expect(pages[0]).toContain('INTERIM');
      const printed = pages.filter((page) => page.length > 0);
      expect(printed.length).toBeGreaterThan(3);
      expect(printed.filter((page) => !page.includes('INTERIM·Evidencepack'))).toEqual([]);
    });

    it('prints on the cover the fingerprint of the key that signs the bundle, as GET /api/v1/signing-key gives it', async () => {
      const key = await t.http().get('/api/v1/signing-key').expect(200);
      const fingerprint = String(key.body.fingerprint);
      expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
      // Long hashes wrap on the cover; squeezed text joins the lines again.
      expect(pages[0]).toContain(fingerprint);
      expect(pages[0]).not.toContain(squeeze('No signing key is configured'));
    });

    it('has every section in the auditor order', () => {
      const headings = [
        '1. Management assertion',
        '2. System description',
        '3. Applicability',
        '4. Coverage summary',
        '5. Control matrix',
        '6. Requirement, control and evidence traceability',
        '7. Evidence register',
        '8. Exceptions and deviations',
        '9. Open remediation',
        '10. Threat coverage',
        '11. Incidents of the period',
        '12. Audit-log extract',
        '13. Sign-off',
      ].map((heading) => text.lastIndexOf(squeeze(heading)));
      expect(headings.every((at) => at > 0)).toBe(true);
      expect([...headings].sort((a, b) => a - b)).toEqual(headings);
    });

    it('prints the management assertion with its sign-off', () => {
      const part = section(text, '1. Management assertion', '2. System description');
      expect(part).toContain(squeeze(ASSERTION));
      expect(part).toMatch(/Signedoffby.+on\d{4}-\d\d-\d\d/);
    });

    it('describes the system and the applicability with reasons, the excluded requirements listed once', () => {
      expect(section(text, '2. System description', '3. Applicability')).toContain(
        squeeze('Ranks job applications for recruiters.'),
      );
      const applicability = section(text, '3. Applicability', '4. Coverage summary');
      expect(applicability).toContain('NISTAIRiskManagementFramework');
      expect(applicability).toContain('Requirementsexcluded,withreasons');
    });

    it('shows the control matrix with objective, named owner, test procedure, tests of the period and status', () => {
      const part = section(text, '5. Control matrix', '6. Requirement, control and evidence traceability');
      expect(part).toContain(changed);
      expect(part).toMatch(new RegExp(`${changed}.*?inprogresssince`));
      expect(part).toContain('Objective:');
      expect(part).toContain('Testprocedure:');
      expect(part).toContain(squeeze(`owner ${t.users.governance_specialist.email}`).slice(0, 5));
      expect(part).toContain('EXCEPTION,sample25of120');
      expect(part).toContain('PASS,sample25of120');
    });

    it('traces requirements to controls and lists gaps', () => {
      const part = section(text, '6. Requirement, control and evidence traceability', '7. Evidence register');
      expect(part).toContain('NISTAIRiskManagementFramework');
      expect(part).toMatch(/Gaps\(\d+\)/);
    });

    it('shows rejected evidence as rejected in the register, not as stale', () => {
      const part = section(text, '7. Evidence register', '8. Exceptions and deviations');
      expect(part).toContain(squeeze('Access review export (wrong quarter)'));
      const entry = part.slice(part.indexOf(squeeze('Access review export (wrong quarter)')));
      expect(entry).toMatch(/·rejectedby.+·rejected/);
      expect(entry).not.toContain('stale');
      expect(part).toContain('inperiod');
    });

    it('lists the test exception and the rejected evidence under exceptions and deviations', () => {
      const part = section(text, '8. Exceptions and deviations', '9. Open remediation');
      expect(part).toContain('Testswithexceptions(1)');
      expect(part).toContain(squeeze('Two of 25 accounts lacked approval.'));
      expect(part).toContain('Rejectedevidence(1)');
    });

    it('has the open remediation, the audit-log summary and the sign-off', () => {
      expect(section(text, '9. Open remediation', '10. Threat coverage')).toContain('Remediationtasks');
      expect(section(text, '12. Audit-log extract', '13. Sign-off')).toContain('Headhash');
      expect(section(text, '13. Sign-off', 'no heading follows the sign-off')).toContain('Governancelead');
    });
  });

  it('as of an instant before a status change, shows the status as it was then', async () => {
    const pack = await requestReady({ auditId, asOf: beforeChange });
    expect(pack.asOf).toBe(beforeChange);
    const { text } = await packText(pack.id);
    const part = section(text, '5. Control matrix', '6. Requirement, control and evidence traceability');
    expect(part).toMatch(new RegExp(`${changed}.*?·implementedsince`));
    expect(part).not.toMatch(new RegExp(`${changed}[^·]*·[^·]*·inprogress`));
  });

  it('for a period that has ended, looks at the period end and is not INTERIM', async () => {
    const ended = (
      await t
        .http()
        .post('/api/v1/audits')
        .set(specialist())
        .send({
          name: 'Closed period',
          type: 'period',
          systemIds: [systemId],
          frameworks: ['nist-ai-rmf-1.0'],
          periodStart: new Date(Date.now() - 30 * DAY).toISOString(),
          periodEnd: beforeChange,
          auditorIds: [t.users.auditor.id],
        })
        .expect(201)
    ).body.id as string;
    const pack = await requestReady({ auditId: ended });
    expect(pack.asOf).toBe(beforeChange);
    const { text } = await packText(pack.id);
    expect(text).not.toContain('INTERIM');
    // No assertion was entered: the pack is allowed, with a warning.
    expect(section(text, '1. Management assertion', '2. System description')).toContain(
      'Warning:managementhasenterednoassertion',
    );
  });
});
