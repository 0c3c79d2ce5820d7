import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { CLOCK, Clock } from '../../src/common/time';
import { bearer, startTestApp, TestApp } from '../factories/test-app';
import { minimalSystem } from '../factories/systems';

interface Expected {
  from: string;
  rule?: string;
  status?: string;
  dateBasis?: string;
  refs?: string[];
  includes?: string[];
  excludes?: string[];
}

interface Profile {
  name: string;
  system: Record<string, unknown>;
  tier: string;
  reason: string[];
  applies?: boolean;
  scopeRule?: string;
  obligations?: Record<string, string | Expected>;
  absent?: string[];
  assumed?: Record<string, string[]>;
}

interface Obligation {
  article: string;
  appliesFrom: string;
  appliesToday: boolean;
  status: string;
  kind: string;
  rule: { id: string; basis: string; dateBasis: string | null; assumed: string[] };
  requirements: Array<{ ref: string; appliesFrom: string; appliesToday: boolean }>;
}

const FIXTURE = path.join(__dirname, '..', 'fixtures', 'ai-act-profiles.yaml');
const PROFILES: Profile[] = parse(fs.readFileSync(FIXTURE, 'utf8')).profiles;
const TODAY = '2026-09-01';

// The base of every profile: an EU-established provider puts an internal rules-based tool into service in the Union,
// screened clear of Art. 5, no Annex I product, no Annex III area, no Art. 50 trigger, no general-purpose model.
const base = (over: Record<string, unknown>) =>
  minimalSystem({
    aiActEuNexus: true,
    aiActRole: 'provider',
    aiActEstablishedInEu: true,
    prohibitedPractices: [],
    annexIProduct: false,
    transparencyTriggers: [],
    gpaiModel: 'none',
    ...over,
  });

/** The golden AI Act profiles (tier and obligations with dates), the obligations route and its bad input. */
describe('EU AI Act: risk tier and obligations (e2e)', () => {
  let t: TestApp;
  // Every judgment of "applies today" is made on the app's clock; the profiles are dated against this day.
  const clock: Clock = { now: () => new Date(`${TODAY}T12:00:00.000Z`) };

  beforeAll(async () => {
    t = await startTestApp({ override: (b) => b.overrideProvider(CLOCK).useValue(clock) });
  });
  afterAll(async () => t?.close());
  const specialist = () => bearer(t.users.governance_specialist);

  it('has at least 25 profiles, each with a legal basis comment in the fixture', () => {
    expect(PROFILES.length).toBeGreaterThanOrEqual(25);
    const text = fs.readFileSync(FIXTURE, 'utf8');
    for (const profile of PROFILES) expect(text).toMatch(new RegExp(`#[^\\n]*\\n(?:\\s*#[^\\n]*\\n)*\\s*- name: ${profile.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n`));
  });

  it.each(PROFILES.map((p) => [p.name, p] as const))('%s', async (_name, profile) => {
    const created = await t.http().post('/api/v1/systems').set(specialist()).send(base({ name: profile.name, ...profile.system })).expect(201);
    expect({ tier: created.body.computedRiskTier }).toEqual({ tier: profile.tier });
    for (const cited of profile.reason) expect(created.body.riskTierReason).toContain(cited);

    const res = await t.http().get(`/api/v1/systems/${created.body.id}/obligations`).set(specialist()).expect(200);
    expect(res.body.today).toBe(TODAY);
    expect(res.body.aiActApplies).toBe(profile.applies ?? true);
    if (profile.applies === false) {
      expect(res.body.obligations).toEqual([]);
      return;
    }
    expect(res.body.scope.map((r: { id: string }) => r.id)).toContain(profile.scopeRule ?? 'ai-act-eu-nexus');
    const byArticle = new Map<string, Obligation>(res.body.obligations.map((o: Obligation) => [o.article, o]));
    for (const o of byArticle.values()) {
      // Today is judged against the date of each provision and of the whole article.
      expect({ article: o.article, today: o.appliesToday }).toEqual({ article: o.article, today: o.appliesFrom <= TODAY });
      for (const r of o.requirements) expect(r.appliesToday).toBe(r.appliesFrom <= TODAY);
      expect(o.rule.basis).toMatch(/^AI Act Art\. /);
    }
    for (const [article, raw] of Object.entries(profile.obligations ?? {})) {
      const expected: Expected = typeof raw === 'string' ? { from: raw } : raw;
      const actual = byArticle.get(article);
      expect({ article, present: actual !== undefined }).toEqual({ article, present: true });
      expect({ article, from: actual!.appliesFrom }).toEqual({ article, from: expected.from });
      if (expected.rule) expect({ article, rule: actual!.rule.id }).toEqual({ article, rule: expected.rule });
      if (expected.status) expect({ article, status: actual!.status }).toEqual({ article, status: expected.status });
      if (expected.dateBasis) expect({ article, dateBasis: actual!.rule.dateBasis }).toEqual({ article, dateBasis: expected.dateBasis });
      const refs = actual!.requirements.map((r) => r.ref);
      if (expected.refs) expect({ article, refs: [...refs].sort() }).toEqual({ article, refs: [...expected.refs].sort() });
      for (const ref of expected.includes ?? []) expect({ article, refs }).toEqual({ article, refs: expect.arrayContaining([ref]) });
      for (const ref of expected.excludes ?? []) expect({ article, ref, included: refs.includes(ref) }).toEqual({ article, ref, included: false });
    }
    for (const article of profile.absent ?? []) expect({ article, present: byArticle.has(article) }).toEqual({ article, present: false });
    for (const [article, facts] of Object.entries(profile.assumed ?? {})) expect({ article, assumed: byArticle.get(article)?.rule.assumed }).toEqual({ article, assumed: facts });
  });

  it('refuses bad AI Act answers with a 400 naming the field and the allowed values, and stores nothing', async () => {
    const before = await t.http().get('/api/v1/systems?limit=500').set(specialist()).expect(200);
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ prohibitedPractices: ['c', 'z'] }, /each of prohibitedPractices must be one of a, b, c, d, e, f, g, h/],
      [{ annexIIIArea: '4', annexIIIPoint: '5(b)' }, /annexIIIPoint must be one of 4\(a\), 4\(b\) for annexIIIArea 4/],
      [{ annexIIIArea: '2', annexIIIPoint: '2(a)' }, /annexIIIPoint must be one of 1\(a\)/],
      [{ annexIIIPoint: '4(a)' }, /annexIIIPoint must be null when annexIIIArea is null/],
      [{ annexIIIArea: '9' }, /annexIIIArea must be one of 1, 2, 3, 4, 5, 6, 7, 8/],
      [{ art6Derogation: 'a' }, /art6Derogation must be null unless annexIIIArea is one of 1-8/],
      [{ annexIIIArea: '4', art6Derogation: 'e' }, /art6Derogation must be one of a, b, c, d/],
      [{ gpaiModel: 'frontier' }, /gpaiModel must be one of none, gpai, gpai_systemic_risk/],
      [{ transparencyTriggers: ['chatbot'] }, /each of transparencyTriggers must be one of interacts_with_people, synthetic_content/],
      [{ aiActRole: 'manufacturer' }, /aiActRole must be one of provider, deployer, importer, distributor/],
    ];
    for (const [answers, message] of cases) {
      const res = await t.http().post('/api/v1/systems').set(specialist()).send(base({ name: 'Refused system', ...answers })).expect(400);
      expect(JSON.stringify(res.body)).toMatch(message);
    }
    // A PATCH is judged on the facts as they will stand: a point outside the stored area is refused, nothing changes.
    const created = await t.http().post('/api/v1/systems').set(specialist()).send(base({ name: 'Stored area', annexIIIArea: '4', annexIIIPoint: '4(a)' })).expect(201);
    const patched = await t.http().patch(`/api/v1/systems/${created.body.id}`).set(specialist()).send({ annexIIIPoint: '6(a)' }).expect(400);
    expect(JSON.stringify(patched.body)).toMatch(/annexIIIPoint must be one of 4\(a\), 4\(b\) for annexIIIArea 4/);
    const cleared = await t.http().patch(`/api/v1/systems/${created.body.id}`).set(specialist()).send({ annexIIIArea: null }).expect(400);
    expect(JSON.stringify(cleared.body)).toMatch(/annexIIIPoint must be null when annexIIIArea is null/);
    expect((await t.http().get(`/api/v1/systems/${created.body.id}`).set(specialist()).expect(200)).body).toMatchObject({ annexIIIArea: '4', annexIIIPoint: '4(a)', computedRiskTier: 'high' });
    const log = await t.dataSource.query(`SELECT "action" FROM "audit_log" WHERE "entityId" = '${created.body.id}'`);
    expect(log.map((e: { action: string }) => e.action)).toEqual(['system.create']);
    const after = await t.http().get('/api/v1/systems?limit=500').set(specialist()).expect(200);
    expect(after.body.total).toBe(before.body.total + 1);
  });

  it('reads an Annex III area given as a JSON number as the area it names', async () => {
    const res = await t.http().post('/api/v1/systems').set(specialist()).send(base({ name: 'Numeric area', annexIIIArea: 4, annexIIIPoint: '4(b)' })).expect(201);
    expect(res.body).toMatchObject({ annexIIIArea: '4', computedRiskTier: 'high' });
  });

  it('scopes the obligations like the other system routes: auditors outside their audits get 404, engineers may read', async () => {
    const created = await t.http().post('/api/v1/systems').set(specialist()).send(base({ name: 'Scoped obligations' })).expect(201);
    await t.http().get(`/api/v1/systems/${created.body.id}/obligations`).set(bearer(t.users.auditor)).expect(404);
    await t.http().get(`/api/v1/systems/${created.body.id}/obligations`).set(bearer(t.users.engineer)).expect(200);
    await t.http().get(`/api/v1/systems/${created.body.id}/obligations`).expect(401);
    await t.http().get('/api/v1/systems/00000000-0000-4000-8000-000000000000/obligations').set(specialist()).expect(404);
  });

  it('documents the obligations response in OpenAPI', async () => {
    const doc = (await t.http().get('/api/docs/openapi.json').expect(200)).body;
    expect(doc.paths['/api/v1/systems/{id}/obligations'].get.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/SystemObligationsResponseDto' });
    expect(doc.components.schemas.CreateAiSystemDto.properties.prohibitedPractices).toMatchObject({ type: 'array', description: expect.stringContaining('Art. 5(1)(a)-(h)') });
  });
});
