import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openBrowserSession } from '../factories/browser-session';
import { allFrameworksSystem } from '../factories/systems';
import { bearer, startTestApp, TestApp } from '../factories/test-app';

const CLI = path.join(__dirname, '..', '..', 'bin', 'workbench-evidence.js');
const CONTROL = 'AIG-EVL-03';
// AIG-EVL-03 is equivalent-to NIST AI RMF MEASURE 2.11 at strength 10 (policies/controls/evaluation.yaml): sufficient.
const FRAMEWORK = 'nist-ai-rmf-1.0';
const REF = 'MEASURE 2.11';

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: Record<string, string>): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 60_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

/**
 * Issue 20 "Done when": a pipeline proves a control. A specialist makes a token for one system; the CLI pushes an
 * evaluation that passes its thresholds; coverage moves as the coverage rule says (only once the evidence is
 * accepted); a repeated Idempotency-Key stores nothing; another system is 404; a revoked token is 401.
 */
describe('a pipeline pushes an evaluation with an API token (e2e)', () => {
  let t: TestApp;
  let url: string;
  let dir: string;
  let pipelineSystemId: string;
  beforeAll(async () => {
    t = await startTestApp({ listen: true });
    url = await t.app.getUrl();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipeline-'));
  });
  afterAll(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    await t?.close();
  });

  const specialist = () => bearer(t.users.governance_specialist);
  const count = async (table: string) =>
    Number((await t.dataSource.query(`SELECT COUNT(*) AS n FROM "${table}"`))[0].n);
  const statusOf = async (systemId: string): Promise<string> => {
    const res = await t.http().get(`/api/v1/systems/${systemId}/coverage`).set(specialist()).expect(200);
    const framework = (
      res.body.frameworks as Array<{ framework: string; requirements: Array<{ ref: string; status: string }> }>
    ).find((f) => f.framework === FRAMEWORK)!;
    return framework.requirements.find((r) => r.ref === REF)!.status;
  };

  it('plays the pipeline from token to covered requirement', async () => {
    const newSystem = async (name: string) =>
      (await t.http().post('/api/v1/systems').set(specialist()).send(allFrameworksSystem({ name })).expect(201)).body
        .id as string;
    const systemId = await newSystem('Fraud scoring');
    pipelineSystemId = systemId;
    const otherSystemId = await newSystem('Unrelated system');
    await t
      .http()
      .patch(`/api/v1/systems/${systemId}/controls/${CONTROL}`)
      .set(specialist())
      .send({ status: 'implemented', statement: 'Fairness evaluation runs on every release' })
      .expect(200);
    // Implemented without evidence: partial (DESIGN "Compliance semantics": covered needs current accepted evidence).
    expect(await statusOf(systemId)).toBe('partial');

    const created = await t
      .http()
      .post('/api/v1/tokens')
      .set(specialist())
      .send({ name: 'CI fairness evaluation', permissions: ['evidence:upload'], systemIds: [systemId] })
      .expect(201);
    const token: string = created.body.token;
    expect(token).toMatch(/^wbt_/);

    const file = path.join(dir, 'fairness.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        model: { name: 'fraud-scorer', version: '1.0.0' },
        dataset: { name: 'holdout', version: '2026-11' },
        metrics: [
          { name: 'demographic parity difference', value: 0.03, threshold: 0.05, direction: 'lower_is_better' },
          { name: 'accuracy', value: 0.94, threshold: 0.9, direction: 'higher_is_better' },
        ],
      }),
    );
    const env = {
      WORKBENCH_TOKEN: token,
      GITHUB_ACTIONS: 'true',
      GITHUB_REPOSITORY: 'acme/fraud',
      GITHUB_WORKFLOW: 'fairness',
      GITHUB_RUN_ID: '9001',
      GITHUB_SHA: 'c0ffee'.repeat(6) + 'c0ff',
    };
    const args = (systemIdToPush: string) => [
      'push',
      '--url',
      url,
      '--system',
      systemIdToPush,
      '--control',
      CONTROL,
      '--kind',
      'evaluation',
      '--title',
      'Fairness evaluation 1.0.0',
      // The system's model version: evidence of another version is stale (DESIGN, "Coverage rule": current).
      '--model-version',
      '1.0.0',
      '--idempotency-key',
      'gh-9001-1-fairness',
      file,
    ];

    const pushed = await cli(args(systemId), env);
    expect(pushed.stderr).toBe('');
    expect(pushed.code).toBe(0);
    expect(pushed.stdout).toMatch(
      /^stored \| evidence [0-9a-f-]{36} \| .* \| review submitted \| coverage: no change\n$/,
    );
    expect(pushed.stdout).not.toContain(token);
    const evidenceId = /evidence ([0-9a-f-]{36})/.exec(pushed.stdout)![1];

    // The evaluation passed its thresholds: one passing control test per metric, from the evidence.
    const tests = await t
      .http()
      .get(`/api/v1/systems/${systemId}/controls/${CONTROL}/tests`)
      .set(specialist())
      .expect(200);
    const fromPush = (tests.body.items as Array<{ result: string; evidenceIds: string[] }>).filter((i) =>
      i.evidenceIds.includes(evidenceId),
    );
    expect(fromPush.map((i) => i.result)).toEqual(['pass', 'pass']);

    // Attributed to the token and its creator.
    const param = t.database.kind === 'postgres' ? '$1' : '?';
    const [entry] = await t.dataSource.query(
      `SELECT actor, payload FROM "audit_log" WHERE "entityId" = ${param} AND action = 'evidence.upload'`,
      [evidenceId],
    );
    expect(entry.actor).toBe(t.users.governance_specialist.email);
    expect(JSON.parse(entry.payload)).toMatchObject({
      viaToken: { id: created.body.id },
      provenance: { source: 'github-actions', runUrl: 'https://github.com/acme/fraud/actions/runs/9001' },
    });

    // Submitted evidence changes nothing; accepted by a reviewer (not the token's creator) it covers MEASURE 2.11.
    expect(await statusOf(systemId)).toBe('partial');
    await t
      .http()
      .post(`/api/v1/evidence/${evidenceId}/review`)
      .set(bearer(t.users.admin))
      .send({ decision: 'accepted' })
      .expect(200);
    expect(await statusOf(systemId)).toBe('covered');

    // The job retried: the same key and file store nothing and answer with the first receipt.
    const before = [await count('evidence'), await count('audit_log'), await count('control_tests')];
    const retried = await cli(args(systemId), env);
    expect(retried.code).toBe(0);
    expect(retried.stdout).toMatch(new RegExp(`^replayed \\| evidence ${evidenceId} \\|`));
    expect([await count('evidence'), await count('audit_log'), await count('control_tests')]).toEqual(before);

    // A system outside the token's scope does not exist for it.
    const elsewhere = await cli([...args(otherSystemId).slice(0, -3), '--idempotency-key', randomUUID(), file], env);
    expect(elsewhere.code).toBe(4);
    expect(elsewhere.stderr).toMatch(/Refused \(HTTP 404 not_found\)/);
    expect([await count('evidence'), await count('audit_log'), await count('control_tests')]).toEqual(before);

    // Revoked: 401 at once.
    await t.http().delete(`/api/v1/tokens/${created.body.id}`).set(specialist()).expect(204);
    const revoked = await cli([...args(systemId).slice(0, -3), '--idempotency-key', randomUUID(), file], env);
    expect(revoked.code).toBe(4);
    expect(revoked.stderr).toMatch(/Refused \(HTTP 401 unauthenticated\)/);
    expect(revoked.stdout + revoked.stderr).not.toContain(token);
    // (the revocation itself is audited; the refused push stores nothing)
    expect([await count('evidence'), await count('control_tests')]).toEqual([before[0], before[2]]);
  });

  it('an Idempotency-Key belongs to the token that sent it: two pipelines of one creator do not collide', async () => {
    const systemId = (
      await t
        .http()
        .post('/api/v1/systems')
        .set(specialist())
        .send(allFrameworksSystem({ name: 'Two pipelines' }))
        .expect(201)
    ).body.id as string;
    const makeToken = async (name: string) =>
      (
        await t
          .http()
          .post('/api/v1/tokens')
          .set(specialist())
          .send({ name, permissions: ['evidence:upload'], systemIds: [systemId] })
          .expect(201)
      ).body.token as string;
    const file = path.join(dir, 'report.txt');
    fs.writeFileSync(file, `nightly report ${randomUUID()}\n`);
    const push = (token: string) =>
      cli(
        [
          'push',
          '--url',
          url,
          '--system',
          systemId,
          '--control',
          CONTROL,
          '--kind',
          'test_report',
          '--idempotency-key',
          'nightly',
          file,
        ],
        { WORKBENCH_TOKEN: token },
      );
    const first = await push(await makeToken('nightly A'));
    const second = await push(await makeToken('nightly B'));
    expect([first.code, second.code]).toEqual([0, 0]);
    expect([first.stdout, second.stdout].map((out) => out.split(' | ')[0])).toEqual(['stored', 'stored']);
    const ids = [first, second].map((run) => /evidence ([0-9a-f-]{36})/.exec(run.stdout)![1]);
    expect(ids[0]).not.toBe(ids[1]);
  });

  it('the system page shows where the pushed evidence came from, with a link to the run', async () => {
    const browser = await openBrowserSession(t);
    try {
      const page = await browser.openPage();
      await browser.signIn(page, t.users.governance_specialist, `/systems/${pipelineSystemId}`);
      const row = await page.$eval('#evidence-table .provenance', (el) => ({
        text: (el.textContent ?? '').replace(/\s+/g, ' ').trim(),
        run: el.querySelector('a')?.getAttribute('href'),
      }));
      expect(row.text).toBe('pushed by github-actions (acme/fraud/fairness), commit c0ffeec0ffee, model 1.0.0, run');
      expect(row.run).toBe('https://github.com/acme/fraud/actions/runs/9001');
      const table = await page.$('#evidence');
      await table!.screenshot({ path: path.join('test-artifacts', 'screenshots', 'pipeline-provenance.png') });
      browser.assertClean();
    } finally {
      await browser.close();
    }
  });
});
