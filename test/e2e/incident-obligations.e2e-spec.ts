import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { minimalSystem } from '../factories/systems';
import { bearer, startTestApp, TestApp } from '../factories/test-app';

interface Expected {
  required: boolean;
  dueAt?: string | null;
  legalBasis?: string;
  reason?: string;
  timing?: string;
  recipient?: string;
  state?: string;
  assumptions?: string[];
}

interface GoldenCase {
  name: string;
  basis: string;
  systems: Array<Record<string, unknown>>;
  incident: Record<string, unknown>;
  expect: Record<string, Expected>;
}

interface Obligation {
  key: string;
  legalBasis: string;
  required: boolean;
  notRequiredReason: string | null;
  dueAt: string | null;
  timing: string;
  recipient: string;
  state: string;
  assumptions: string[];
}

const CASES: GoldenCase[] = parse(
  fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'incident-obligations.yaml'), 'utf8'),
).cases;

/** The golden incident cases of test/fixtures/incident-obligations.yaml, through the API on the configured database. */
describe('incident obligations: golden cases (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('has at least twelve cases, each citing its basis', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(12);
    for (const c of CASES) expect(c.basis).toMatch(/GDPR|CFR|AI Act/);
  });

  it.each(CASES.map((c) => [`${c.name} (${c.basis})`, c] as const))('%s', async (_, golden) => {
    const specialist = bearer(t.users.governance_specialist);
    const systemIds: string[] = [];
    for (const [i, fields] of golden.systems.entries()) {
      const created = await t
        .http()
        .post('/api/v1/systems')
        .set(specialist)
        .send(minimalSystem({ name: `${golden.name.slice(0, 150)} ${i}`, ...fields }))
        .expect(201);
      systemIds.push(created.body.id);
    }
    const res = await t
      .http()
      .post('/api/v1/incidents')
      .set(specialist)
      .send({
        systemIds,
        title: golden.name.slice(0, 200),
        reporter: 'Golden test',
        severity: 'high',
        ...golden.incident,
      });
    expect(res.status).toBe(201);
    const obligations: Obligation[] = res.body.obligations;
    expect(obligations.map((o) => o.key).sort()).toEqual(Object.keys(golden.expect).sort());
    for (const [key, want] of Object.entries(golden.expect)) {
      const got = obligations.find((o) => o.key === key)!;
      const context = `${golden.name}: ${key}`;
      expect({ context, required: got.required }).toEqual({ context, required: want.required });
      if (want.dueAt !== undefined) expect({ context, dueAt: got.dueAt }).toEqual({ context, dueAt: want.dueAt });
      if (want.legalBasis) expect(got.legalBasis).toContain(want.legalBasis);
      if (want.reason) expect(got.notRequiredReason ?? '').toContain(want.reason);
      if (want.timing) expect(got.timing).toContain(want.timing);
      if (want.recipient) expect(got.recipient).toContain(want.recipient);
      if (want.state) expect({ context, state: got.state }).toEqual({ context, state: want.state });
      if (want.assumptions) {
        for (const words of want.assumptions) expect(got.assumptions.join(' | ')).toContain(words);
      } else if (want.required) {
        expect({ context, assumptions: got.assumptions }).toEqual({ context, assumptions: [] });
      }
      if (!want.required) expect(got.state).toBe('not_required');
    }
    // The same obligations are what GET returns: they were stored, not only computed for the response.
    const stored = await t.http().get(`/api/v1/incidents/${res.body.id}`).set(specialist).expect(200);
    expect(stored.body.obligations.map((o: Obligation) => [o.key, o.required, o.dueAt])).toEqual(
      obligations.map((o) => [o.key, o.required, o.dueAt]),
    );
  });
});
