import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadPolicySet } from '../../src/catalog/policy-files';
import { PolicyLoader } from '../../src/catalog/policy-loader.service';
import { CLOCK, Clock } from '../../src/common/time';
import { TaskSweepService } from '../../src/tasks/task-sweep.service';
import { allFrameworksSystem } from '../factories/systems';
import { bearer, startTestApp, TestApp } from '../factories/test-app';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const DAY_MS = 86_400_000;

/**
 * The idempotent sweep skips systems whose inputs did not change since their last sweep (issue 18.5), and every kind
 * of change to an input makes the next sweep look at that system again (or at all of them, for policies and time).
 */
describe('task sweep: skipping unchanged systems (e2e)', () => {
  let t: TestApp;
  let offset = 0;
  const clock: Clock = { now: () => new Date(Date.parse('2026-11-20T10:00:00.000Z') + offset) };
  let a: string;
  let b: string;

  beforeAll(async () => {
    t = await startTestApp({
      env: { WORKBENCH_SWEEP_INTERVAL_MINUTES: '0' },
      override: (builder) => builder.overrideProvider(CLOCK).useValue(clock),
    });
    a = (
      await t
        .http()
        .post('/api/v1/systems')
        .set(specialist())
        .send(allFrameworksSystem({ name: 'A' }))
        .expect(201)
    ).body.id;
    b = (
      await t
        .http()
        .post('/api/v1/systems')
        .set(specialist())
        .send(allFrameworksSystem({ name: 'B' }))
        .expect(201)
    ).body.id;
  });
  afterAll(async () => t?.close());

  const specialist = () => bearer(t.users.governance_specialist);
  const engineer = () => bearer(t.users.engineer);
  const sweep = () => t.app.get(TaskSweepService).run();
  const tick = () => (offset += 60_000);

  async function firstControl(systemId: string): Promise<string> {
    const controls = await t.http().get(`/api/v1/systems/${systemId}/controls`).set(specialist()).expect(200);
    return (controls.body as Array<{ controlCode: string }>)[0].controlCode;
  }

  async function upload(systemId: string, controlCode: string): Promise<string> {
    const res = await t
      .http()
      .post(`/api/v1/systems/${systemId}/evidence`)
      .set(engineer())
      .field('controlCodes[]', controlCode)
      .field('title', `Evidence for ${controlCode}`)
      .field('kind', 'document')
      .field('collectedAt', new Date(clock.now().getTime() - 60_000).toISOString())
      .attach('file', PDF, { filename: 'report.pdf', contentType: 'application/pdf' })
      .expect(201);
    return (res.body as { id: string }).id;
  }

  it('looks at every system once, then skips them while nothing changed', async () => {
    const first = await sweep();
    expect(first).toMatchObject({ systems: 2, unchanged: 0 });
    expect(first.created).toBeGreaterThan(0);
    expect(await sweep()).toMatchObject({ systems: 0, unchanged: 2, created: 0 });
  });

  it('looks at the one system again after each kind of change to its inputs', async () => {
    const code = await firstControl(a);
    const changes: Array<[string, () => Promise<unknown>]> = [
      [
        'control status',
        () => t.http().patch(`/api/v1/systems/${a}/controls/${code}`).set(specialist()).send({ status: 'in_progress' }),
      ],
      ['system facts', () => t.http().patch(`/api/v1/systems/${a}`).set(specialist()).send({ internetFacing: false })],
      ['evidence upload', () => upload(a, code)],
      [
        'evidence review',
        async () => {
          const id = await upload(a, code);
          await sweep();
          tick();
          await t
            .http()
            .post(`/api/v1/evidence/${id}/review`)
            .set(specialist())
            .send({ decision: 'accepted' })
            .expect(200);
        },
      ],
      [
        'requirement decision',
        async () => {
          const coverage = await t.http().get(`/api/v1/systems/${a}/coverage`).set(specialist()).expect(200);
          const gdpr = (coverage.body.frameworks as Array<{ framework: string; requirements: Array<{ ref: string }> }>)
            .find((f) => f.framework === 'gdpr')!
            .requirements.at(-1)!;
          await t
            .http()
            .put(`/api/v1/systems/${a}/requirements/decision`)
            .set(specialist())
            .send({ framework: 'gdpr', ref: gdpr.ref, decision: 'excluded', rationale: 'Handled by the group DPO.' })
            .expect(200);
        },
      ],
      [
        'task moved',
        async () => {
          const tasks = await t.http().get(`/api/v1/tasks?systemId=${a}&status=open`).set(engineer()).expect(200);
          const task = (tasks.body.items as Array<{ id: string }>)[0];
          await t
            .http()
            .post(`/api/v1/tasks/${task.id}/transitions`)
            .set(engineer())
            .send({ to: 'in_progress' })
            .expect(200);
        },
      ],
    ];
    for (const [kind, change] of changes) {
      tick();
      await change();
      tick();
      expect([kind, await sweep()]).toEqual([kind, expect.objectContaining({ systems: 1, unchanged: 1 })]);
      expect([kind, await sweep()]).toEqual([kind, expect.objectContaining({ systems: 0, unchanged: 2 })]);
    }
    // The other system was never looked at again: its last state is from the first sweep.
    const [state] = await t.dataSource.query<{ sweptAt: string }[]>(
      `SELECT "sweptAt" FROM "task_sweep_states" WHERE "systemId" = '${b}'`,
    );
    expect(state.sweptAt).toBe('2026-11-20T10:00:00.000Z');
  });

  it('looks at every system again once time passes its recheck instant (the next day, an expiry)', async () => {
    offset += DAY_MS;
    expect(await sweep()).toMatchObject({ systems: 2, unchanged: 0 });
    expect(await sweep()).toMatchObject({ systems: 0, unchanged: 2 });
  });

  it('looks at every system again after a policy reload that changes the catalog', async () => {
    const root = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wb-policies-')), 'policies');
    fs.cpSync(path.join(process.cwd(), 'policies'), root, { recursive: true });
    const file = path.join(root, 'frameworks', 'nist-ai-rmf-1.0.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('version: "1.0"', 'version: "1.0 (errata 1)"'));
    const loader = t.app.get(PolicyLoader);
    expect((await loader.load(loadPolicySet(root))).changed).toBe(true);
    try {
      expect(await sweep()).toMatchObject({ systems: 2, unchanged: 0 });
      expect(await sweep()).toMatchObject({ systems: 0, unchanged: 2 });
    } finally {
      await loader.load();
    }
  });
});
