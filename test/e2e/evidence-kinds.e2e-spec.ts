import * as fs from 'node:fs';
import * as path from 'node:path';
import { TaskSweepService } from '../../src/tasks/task-sweep.service';
import { BrowserSession, openBrowserSession } from '../factories/browser-session';
import { minimalSystem } from '../factories/systems';
import { bearer, startTestApp, TestApp } from '../factories/test-app';

const DAY = 86_400_000;
const CONTROL = 'AIG-EVL-02';

const evaluation = (accuracy: number, falsePositiveRate = 0.04) => ({
  model: { name: 'cv-rank', version: '0.9' },
  dataset: { name: 'holdout', version: '2026-11' },
  metrics: [
    { name: 'accuracy', value: accuracy, threshold: 0.9, direction: 'higher_is_better' },
    { name: 'false positive rate', value: falsePositiveRate, threshold: 0.05, direction: 'lower_is_better' },
  ],
});
const modelCard = {
  model: { name: 'cv-rank', version: '0.9' },
  intendedUse: { primaryUses: ['ranking support for recruiters'] },
  limitations: ['weaker on CVs not in English'],
  trainingData: { description: 'anonymised CVs 2019-2024' },
  evaluation: { summary: 'holdout accuracy 0.93' },
  ethicalConsiderations: ['indirect discrimination through proxy features'],
};
const aiBom = {
  bomFormat: 'CycloneDX',
  specVersion: '1.6',
  version: 1,
  components: [{ type: 'machine-learning-model', name: 'cv-rank', version: '0.9', 'bom-ref': 'model' }],
};
const redTeam = {
  techniques: [
    { id: 'AML.T0051', outcome: 'pass' },
    { id: 'AML.T0054', outcome: 'fail' },
  ],
};

interface TestRow {
  result: string;
  procedure: string;
  evidenceIds: string[];
  tester: { id: string };
  automatedFromEvidenceId: string | null;
}

describe('structured evidence kinds, evaluation tests and freshness (e2e)', () => {
  let t: TestApp;
  let browser: BrowserSession;
  let systemId: string;

  const engineer = () => bearer(t.users.engineer);
  const specialist = () => bearer(t.users.governance_specialist);

  function upload(
    kind: string,
    content: unknown,
    options: { collectedAt?: Date; validUntil?: Date; fileName?: string; fields?: Record<string, string> } = {},
  ) {
    const request = t
      .http()
      .post(`/api/v1/systems/${systemId}/evidence`)
      .set(engineer())
      .field('controlCodes[]', CONTROL)
      .field('title', `${kind} upload`)
      .field('kind', kind)
      .field('collectedAt', (options.collectedAt ?? new Date(Date.now() - 60_000)).toISOString());
    if (options.validUntil) request.field('validUntil', options.validUntil.toISOString());
    for (const [name, value] of Object.entries(options.fields ?? {})) request.field(name, value);
    const body = Buffer.from(typeof content === 'string' ? content : JSON.stringify(content));
    return request.attach('file', body, {
      filename: options.fileName ?? `${kind}.json`,
      contentType: 'application/json',
    });
  }

  async function counts() {
    const one = async (table: string) =>
      Number((await t.dataSource.query(`SELECT COUNT(*) AS n FROM "${table}"`))[0].n);
    return {
      evidence: await one('evidence'),
      tests: await one('control_tests'),
      metrics: await one('evaluation_metrics'),
      audit: await one('audit_log'),
      files: filesUnder(t.config.evidenceDir),
    };
  }

  beforeAll(async () => {
    t = await startTestApp({ listen: true });
    browser = await openBrowserSession(t);
    systemId = (await t.http().post('/api/v1/systems').set(specialist()).send(minimalSystem()).expect(201)).body.id;
    const controls = (await t.http().get(`/api/v1/systems/${systemId}/controls`).set(specialist()).expect(200))
      .body as Array<{ controlCode: string }>;
    expect(controls.map((c) => c.controlCode)).toContain(CONTROL);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('an evaluation records a control test per threshold, linked to it, in the upload transaction', async () => {
    const before = await counts();
    const res = await upload('evaluation', evaluation(0.93, 0.08)).expect(201);
    const testsRes = await t.http().get(`/api/v1/systems/${systemId}/controls/${CONTROL}/tests`).set(specialist());
    const tests = (testsRes.body as { items: TestRow[] }).items.filter((i) => i.evidenceIds.includes(res.body.id));
    expect(tests.map((i) => i.result).sort()).toEqual(['fail', 'pass']);
    expect(tests.find((i) => i.result === 'fail')!.procedure).toMatch(/false positive rate .* at most 0\.05/);
    expect(tests.every((i) => i.tester.id === t.users.engineer.id)).toBe(true);
    expect(tests.map((i) => i.automatedFromEvidenceId)).toEqual([res.body.id, res.body.id]);
    const after = await counts();
    // One evidence row, two tests, two metric rows, one file; audit: the upload and one entry per test.
    expect(after).toEqual({
      evidence: before.evidence + 1,
      tests: before.tests + 2,
      metrics: before.metrics + 2,
      audit: before.audit + 3,
      files: before.files + 1,
    });
    const entries = (await t.http().get('/api/v1/audit-log?limit=10').set(bearer(t.users.admin)).expect(200))
      .body as Array<{ action: string; entityType: string }>;
    expect(entries.filter((e) => e.action === 'control.test')).toHaveLength(2);
  });

  it('evidence without a valid-until gets the policy default and says where it came from', async () => {
    const collectedAt = new Date(Date.now() - 60_000);
    const res = await upload('evaluation', evaluation(0.95), { collectedAt }).expect(201);
    // evaluation evidence lasts 90 days (kinds.yaml); AIG-EVL-02 is reviewed semiannually (182): the kind wins.
    expect(res.body.validUntil).toBe(new Date(collectedAt.getTime() + 90 * DAY).toISOString());
    expect(res.body.validUntilBasis).toBe('policy: evaluation evidence 90 days');
    const given = new Date(Date.now() + 10 * DAY);
    const own = await upload('evaluation', evaluation(0.95), { validUntil: given }).expect(201);
    expect(own.body).toMatchObject({ validUntil: given.toISOString(), validUntilBasis: null });
    // A kind without a validity in policy takes the control's review interval.
    const doc = await upload('document', 'plain notes', { fileName: 'notes.txt', collectedAt }).expect(201);
    expect(doc.body.validUntilBasis).toBe(`policy: ${CONTROL} reviewed semiannual, 182 days`);
  });

  it.each([
    [
      'evaluation',
      '/metrics/0/threshold',
      { ...evaluation(0.9), metrics: [{ ...evaluation(0.9).metrics[0], threshold: '0.9' }] },
    ],
    ['evaluation', '/model/version', { model: { name: 'm' }, dataset: { name: 'd', version: '1' }, metrics: [] }],
    ['model_card', '/intendedUse/primaryUses', { ...modelCard, intendedUse: {} }],
    ['ai_bom', '/components', { ...aiBom, components: [{ type: 'library', name: 'torch' }] }],
    ['ai_bom', '/version', { ...aiBom, version: 'v1' }],
    ['red_team_report', '/techniques/0/id', { techniques: [{ id: 'AML.T9999', outcome: 'pass' }] }],
  ])('refuses an invalid %s with 400 naming %s, storing nothing', async (kind, jsonPath, content) => {
    const before = await counts();
    const res = await upload(kind, content).expect(400);
    expect(res.body.message).toContain(jsonPath);
    expect(res.body.details).toMatchObject({ field: 'file', path: jsonPath });
    expect(await counts()).toEqual(before);
  });

  it('refuses an evaluation that would record more than 500 tests, storing nothing', async () => {
    const controls = (await t.http().get(`/api/v1/systems/${systemId}/controls`).set(specialist()).expect(200))
      .body as Array<{ controlCode: string }>;
    const metrics = Array.from({ length: 200 }, (_, i) => ({
      name: `metric ${i}`,
      value: 1,
      threshold: 0.5,
      direction: 'higher_is_better',
    }));
    const before = await counts();
    const request = t.http().post(`/api/v1/systems/${systemId}/evidence`).set(engineer());
    for (const c of controls.slice(0, 3)) request.field('controlCodes[]', c.controlCode);
    const res = await request
      .field('title', 'too many thresholds')
      .field('kind', 'evaluation')
      .field('collectedAt', new Date(Date.now() - 60_000).toISOString())
      .attach('file', Buffer.from(JSON.stringify({ ...evaluation(0.9), metrics })), {
        filename: 'evaluation.json',
        contentType: 'application/json',
      })
      .expect(400);
    expect(res.body).toMatchObject({ details: { field: 'controlCodes' }, message: expect.stringContaining('600') });
    expect(await counts()).toEqual(before);
  });

  it('refuses an evaluation that is not JSON, storing nothing', async () => {
    const before = await counts();
    const res = await upload('evaluation', 'accuracy=0.93', { fileName: 'eval.txt' }).expect(400);
    expect(res.body.message).toMatch(/JSON file/);
    expect(await counts()).toEqual(before);
  });

  it('accepts a valid file of each kind', async () => {
    await upload('model_card', modelCard).expect(201);
    // A model card that is a document stays accepted without the schema.
    await upload('model_card', 'Model card: cv-rank 0.9', { fileName: 'card.md' }).expect(201);
    await upload('ai_bom', aiBom).expect(201);
    const report = await upload('red_team_report', redTeam).expect(201);
    expect(report.body).toMatchObject({ atlasTechniqueIds: ['AML.T0051', 'AML.T0054'], redTeamOutcome: 'fail' });
    const disagree = await upload('red_team_report', redTeam, { fields: { redTeamOutcome: 'pass' } }).expect(400);
    expect(disagree.body.details).toMatchObject({ field: 'redTeamOutcome' });
  });

  it('the sweep asks for fresh evidence 14 days before a policy valid-until, not earlier', async () => {
    const sweep = t.app.get(TaskSweepService);
    const soon = await upload('evaluation', evaluation(0.91), { collectedAt: new Date(Date.now() - 80 * DAY) }).expect(
      201,
    );
    const later = await upload('evaluation', evaluation(0.92), { collectedAt: new Date(Date.now() - 70 * DAY) }).expect(
      201,
    );
    for (const id of [soon.body.id, later.body.id])
      await t.http().post(`/api/v1/evidence/${id}/review`).set(specialist()).send({ decision: 'accepted' }).expect(200);
    await sweep.run();
    const tasks = (await t.http().get('/api/v1/tasks?limit=200').set(specialist()).expect(200)).body.items as Array<{
      kind: string;
      title: string;
      description: string;
    }>;
    const requests = tasks.filter((x) => x.kind === 'evidence_request');
    const expiring = requests.filter((x) => x.description.includes(soon.body.validUntil.slice(0, 10)));
    expect(expiring).toHaveLength(1);
    expect(expiring[0].description).toContain('policy: evaluation evidence 90 days');
    expect(requests.some((x) => x.description.includes(later.body.validUntil.slice(0, 10)))).toBe(false);
  });

  it('the system page shows the latest metrics per control with pass/fail and a history chart', async () => {
    const page = await browser.openPage();
    await browser.signIn(page, t.users.governance_specialist, `/systems/${systemId}`);
    const rows = await page.$$eval('#metrics-table tbody tr', (trs) => trs.map((tr) => tr.textContent ?? ''));
    expect(rows).toHaveLength(2);
    const accuracy = rows.find((r) => r.includes('accuracy'))!;
    // The latest evaluation by collectedAt is the one collected a minute ago.
    expect(accuracy).toMatch(/pass/);
    expect(await page.$$eval('#metrics-table svg', (svgs) => svgs.length)).toBe(2);
    const dots = await page.$$eval('#metrics-table tr:first-child svg circle', (cs) => cs.length);
    expect(dots).toBeGreaterThanOrEqual(4);
    expect(await browser.text(page, '#evidence-table')).toContain('policy: evaluation evidence 90 days');
    // The section adds a few KB to the page, however many evaluations there are (12 points per chart at most).
    const sectionHtml = await page.$eval('#metrics', (el) => el.outerHTML);
    expect(Buffer.byteLength(sectionHtml)).toBeLessThan(8 * 1024);
    const section = await page.$('#metrics');
    fs.mkdirSync(path.join('test-artifacts', 'screenshots'), { recursive: true });
    await section!.screenshot({ path: path.join('test-artifacts', 'screenshots', 'evidence-kinds-metrics.png') });
    browser.assertClean();
  });
});

function filesUnder(dir: string): number {
  if (!fs.existsSync(dir)) return 0;
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true }).filter((entry) => entry.isFile()).length;
}
