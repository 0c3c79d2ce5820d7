import { allFrameworksSystem } from '../factories/systems';
import { bearer, startTestApp, TestApp } from '../factories/test-app';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

/**
 * The lists people take to a spreadsheet answer ?format=csv (DESIGN.md, HTTP contract additions v2): the same
 * records as the JSON answer, RFC 4180 text with a header line, a download name, and cells that a spreadsheet would
 * run as formulas neutralised.
 */

/** A small RFC 4180 reader for the assertions: quoted fields, doubled quotes, CRLF rows. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted && ch === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (quoted && ch === '"') {
      quoted = false;
    } else if (quoted) {
      field += ch;
    } else if (ch === '"') {
      quoted = true;
    } else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else {
      field += ch;
    }
  }
  return rows;
}

describe('CSV exports (e2e)', () => {
  let t: TestApp;
  let systemId: string;
  let evidenceId: string;
  const auth = () => bearer(t.users.governance_specialist);

  beforeAll(async () => {
    t = await startTestApp();
    systemId = (await t.http().post('/api/v1/systems').set(auth()).send(allFrameworksSystem()).expect(201)).body.id;
    const evidence = await t
      .http()
      .post(`/api/v1/systems/${systemId}/evidence`)
      .set(bearer(t.users.engineer))
      .field('title', '=HYPERLINK("http://example.test","Quarterly, "bias" review")')
      .field('kind', 'test_report')
      .field('controlCodes', 'AIG-GOV-01')
      .field('collectedAt', new Date(Date.now() - 60_000).toISOString())
      .attach('file', PDF, { filename: 'review.pdf', contentType: 'application/pdf' })
      .expect(201);
    evidenceId = evidence.body.id;
  });
  afterAll(async () => t?.close());

  it('answers the control matrix as CSV with the same rows as the JSON answer', async () => {
    const json = await t.http().get(`/api/v1/systems/${systemId}/controls`).set(auth()).expect(200);
    const csv = await t.http().get(`/api/v1/systems/${systemId}/controls?format=csv`).set(auth()).expect(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toMatch(
      new RegExp(`^attachment; filename="controls-${systemId.slice(0, 8)}-\\d{4}-\\d{2}-\\d{2}\\.csv"$`),
    );
    const rows = parseCsv(csv.text);
    expect(rows[0].slice(0, 4)).toEqual(['control', 'title', 'domain', 'status']);
    const body = json.body as { controlCode: string; status: string; evidenceCount: number }[];
    expect(rows.slice(1).map((r) => r[0])).toEqual(body.map((c) => c.controlCode));
    const gov01 = rows.find((r) => r[0] === 'AIG-GOV-01')!;
    const evidenceColumn = rows[0].indexOf('evidence');
    expect(gov01[evidenceColumn]).toBe(String(body.find((c) => c.controlCode === 'AIG-GOV-01')!.evidenceCount));
    expect(gov01[evidenceColumn]).toBe('1');
  });

  it('neutralises a formula in a cell and keeps commas and quotes inside it', async () => {
    const csv = await t.http().get(`/api/v1/systems/${systemId}/evidence?format=csv`).set(auth()).expect(200);
    const rows = parseCsv(csv.text);
    const item = rows.find((r) => r[0] === evidenceId)!;
    expect(item[rows[0].indexOf('title')]).toBe(`'=HYPERLINK("http://example.test","Quarterly, "bias" review")`);
    expect(item[rows[0].indexOf('controls')]).toBe('AIG-GOV-01');
    expect(item[rows[0].indexOf('review')]).toBe('submitted');
  });

  it('answers coverage as a row per requirement with the rule that decided it', async () => {
    const json = await t.http().get(`/api/v1/systems/${systemId}/coverage?framework=gdpr`).set(auth()).expect(200);
    const csv = await t
      .http()
      .get(`/api/v1/systems/${systemId}/coverage?framework=gdpr&format=csv`)
      .set(auth())
      .expect(200);
    const rows = parseCsv(csv.text);
    const requirements = (json.body as { frameworks: { requirements: { ref: string; status: string }[] }[] })
      .frameworks[0].requirements;
    expect(rows).toHaveLength(requirements.length + 1);
    expect(rows.slice(1).map((r) => [r[0], r[1], r[3]])).toEqual(requirements.map((r) => ['gdpr', r.ref, r.status]));
    expect(rows.slice(1).every((r) => r[rows[0].indexOf('rule')] !== '')).toBe(true);
  });

  it('answers tasks as CSV under the same filter, and refuses an unknown format', async () => {
    await t
      .http()
      .post('/api/v1/tasks')
      .set(auth())
      .send({ systemId, kind: 'remediation', title: 'Fix, then "verify"', assigneeRole: 'engineer', priority: 'high' })
      .expect(201);
    const json = await t.http().get(`/api/v1/tasks?systemId=${systemId}`).set(auth()).expect(200);
    const csv = await t.http().get(`/api/v1/tasks?systemId=${systemId}&format=csv`).set(auth()).expect(200);
    const rows = parseCsv(csv.text);
    expect(rows.slice(1).map((r) => r[0])).toEqual((json.body as { items: { id: string }[] }).items.map((i) => i.id));
    expect(rows.some((r) => r[1] === 'Fix, then "verify"')).toBe(true);
    const bad = await t.http().get(`/api/v1/tasks?format=xlsx`).set(auth()).expect(400);
    expect(JSON.stringify(bad.body)).toContain('format');
    await t.http().get(`/api/v1/systems/${systemId}/controls?format=xml`).set(auth()).expect(400);
  });

  it('keeps record-level scope: an auditor outside the system gets 404, not a CSV', async () => {
    await t.http().get(`/api/v1/systems/${systemId}/evidence?format=csv`).set(bearer(t.users.auditor)).expect(404);
  });
});
