import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { CLOCK, Clock } from '../../src/common/time';
import { EvidencePackAssembler } from '../../src/evidence-packs/evidence-pack-assembler';
import { PackHtmlBuilder } from '../../src/evidence-packs/pack-html';
import { TaskSweepService } from '../../src/tasks/task-sweep.service';
import { bearer, startTestApp, TEST_PASSWORD, TestApp } from '../factories/test-app';
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
    for (const profile of PROFILES)
      expect(text).toMatch(
        new RegExp(
          `#[^\\n]*\\n(?:\\s*#[^\\n]*\\n)*\\s*- name: ${profile.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n`,
        ),
      );
  });

  it.each(PROFILES.map((p) => [p.name, p] as const))('%s', async (_name, profile) => {
    const created = await t
      .http()
      .post('/api/v1/systems')
      .set(specialist())
      .send(base({ name: profile.name, ...profile.system }))
      .expect(201);
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
      expect({ article: o.article, today: o.appliesToday }).toEqual({
        article: o.article,
        today: o.appliesFrom <= TODAY,
      });
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
      if (expected.dateBasis)
        expect({ article, dateBasis: actual!.rule.dateBasis }).toEqual({ article, dateBasis: expected.dateBasis });
      const refs = actual!.requirements.map((r) => r.ref);
      if (expected.refs)
        expect({ article, refs: [...refs].sort() }).toEqual({ article, refs: [...expected.refs].sort() });
      for (const ref of expected.includes ?? [])
        expect({ article, refs }).toEqual({ article, refs: expect.arrayContaining([ref]) });
      for (const ref of expected.excludes ?? [])
        expect({ article, ref, included: refs.includes(ref) }).toEqual({ article, ref, included: false });
    }
    for (const article of profile.absent ?? [])
      expect({ article, present: byArticle.has(article) }).toEqual({ article, present: false });
    for (const [article, facts] of Object.entries(profile.assumed ?? {}))
      expect({ article, assumed: byArticle.get(article)?.rule.assumed }).toEqual({ article, assumed: facts });
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
      [
        { transparencyTriggers: ['chatbot'] },
        /each of transparencyTriggers must be one of interacts_with_people, synthetic_content/,
      ],
      [{ aiActRole: 'manufacturer' }, /aiActRole must be one of provider, deployer, importer, distributor/],
    ];
    for (const [answers, message] of cases) {
      const res = await t
        .http()
        .post('/api/v1/systems')
        .set(specialist())
        .send(base({ name: 'Refused system', ...answers }))
        .expect(400);
      expect(JSON.stringify(res.body)).toMatch(message);
    }
    // A PATCH is judged on the facts as they will stand: a point outside the stored area is refused, nothing changes.
    const created = await t
      .http()
      .post('/api/v1/systems')
      .set(specialist())
      .send(base({ name: 'Stored area', annexIIIArea: '4', annexIIIPoint: '4(a)' }))
      .expect(201);
    const patched = await t
      .http()
      .patch(`/api/v1/systems/${created.body.id}`)
      .set(specialist())
      .send({ annexIIIPoint: '6(a)' })
      .expect(400);
    expect(JSON.stringify(patched.body)).toMatch(/annexIIIPoint must be one of 4\(a\), 4\(b\) for annexIIIArea 4/);
    const cleared = await t
      .http()
      .patch(`/api/v1/systems/${created.body.id}`)
      .set(specialist())
      .send({ annexIIIArea: null })
      .expect(400);
    expect(JSON.stringify(cleared.body)).toMatch(/annexIIIPoint must be null when annexIIIArea is null/);
    expect((await t.http().get(`/api/v1/systems/${created.body.id}`).set(specialist()).expect(200)).body).toMatchObject(
      { annexIIIArea: '4', annexIIIPoint: '4(a)', computedRiskTier: 'high' },
    );
    const log = await t.dataSource.query(`SELECT "action" FROM "audit_log" WHERE "entityId" = '${created.body.id}'`);
    expect(log.map((e: { action: string }) => e.action)).toEqual(['system.create']);
    const after = await t.http().get('/api/v1/systems?limit=500').set(specialist()).expect(200);
    expect(after.body.total).toBe(before.body.total + 1);
  });

  it('reads an Annex III area given as a JSON number as the area it names', async () => {
    const res = await t
      .http()
      .post('/api/v1/systems')
      .set(specialist())
      .send(base({ name: 'Numeric area', annexIIIArea: 4, annexIIIPoint: '4(b)' }))
      .expect(201);
    expect(res.body).toMatchObject({ annexIIIArea: '4', computedRiskTier: 'high' });
  });

  it('scopes the obligations like the other system routes: auditors outside their audits get 404, engineers may read', async () => {
    const created = await t
      .http()
      .post('/api/v1/systems')
      .set(specialist())
      .send(base({ name: 'Scoped obligations' }))
      .expect(201);
    await t.http().get(`/api/v1/systems/${created.body.id}/obligations`).set(bearer(t.users.auditor)).expect(404);
    await t.http().get(`/api/v1/systems/${created.body.id}/obligations`).set(bearer(t.users.engineer)).expect(200);
    await t.http().get(`/api/v1/systems/${created.body.id}/obligations`).expect(401);
    await t
      .http()
      .get('/api/v1/systems/00000000-0000-4000-8000-000000000000/obligations')
      .set(specialist())
      .expect(404);
  });

  it('documents the obligations response in OpenAPI', async () => {
    const doc = (await t.http().get('/api/docs/openapi.json').expect(200)).body;
    expect(
      doc.paths['/api/v1/systems/{id}/obligations'].get.responses['200'].content['application/json'].schema,
    ).toEqual({ $ref: '#/components/schemas/SystemObligationsResponseDto' });
    expect(doc.components.schemas.CreateAiSystemDto.properties.prohibitedPractices).toMatchObject({
      type: 'array',
      description: expect.stringContaining('Art. 5(1)(a)-(h)'),
    });
  });

  describe('obligations shown and acted on', () => {
    let cv: string;
    let ranker: string;
    let machinery: string;
    let scoring: string;
    let outside: string;
    beforeAll(async () => {
      const make = async (name: string, over: Record<string, unknown>) =>
        (
          await t
            .http()
            .post('/api/v1/systems')
            .set(specialist())
            .send(base({ name, ...over }))
            .expect(201)
        ).body.id as string;
      cv = await make('Shown CV ranker', { annexIIIArea: '4', annexIIIPoint: '4(a)', profilesPeople: true });
      ranker = await make('Swept CV ranker', { annexIIIArea: '4', annexIIIPoint: '4(a)', profilesPeople: true });
      machinery = await make('Swept machinery component', { annexIProduct: true });
      scoring = await make('Swept social scoring', { prohibitedPractices: ['c'] });
      outside = await make('Shown tool outside the Union', { aiActEuNexus: false });
    });

    it('shows each obligation on the system page with its date, rule and controls', async () => {
      const login = await t
        .http()
        .post('/api/v1/auth/login')
        .send({ email: t.users.governance_specialist.email, password: TEST_PASSWORD })
        .expect(200);
      const cookie = String(login.headers['set-cookie']).split(';')[0];
      const page = async (id: string) => (await t.http().get(`/systems/${id}`).set('Cookie', cookie).expect(200)).text;
      const html = await page(cv);
      expect(html).toMatch(
        /<tr id="obligation-Art\. 9">\s*<td><strong>Art\. 9<\/strong> Risk management system<\/td>\s*<td>2026-08-02 <span class="warn">applies now<\/span>/,
      );
      expect(html).toContain('(AI Act Art. 6(2), 8-22, 43, 47-49, 72, 73)');
      expect(html).toMatch(/obligation-Art\. 4"[\s\S]*?2025-02-02/);
      expect(html).not.toContain('id="obligation-Art. 26"');
      expect(await page(outside)).toContain('id="obligations-none"');
      // The system form asks the eight Art. 5 screening questions in words.
      const form = (await t.http().get(`/systems/${cv}/edit`).set('Cookie', cookie).expect(200)).text;
      for (const letter of ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'])
        expect(form).toContain(`<select id="art5${letter}" name="art5${letter}"`);
      expect(form).toMatch(
        /Does it evaluate or classify people over time by their social behaviour[^<]*<span class="basis">\(AI Act Art\. 5\(1\)\(c\)/,
      );
      expect(form).toMatch(/<option value="4" selected>4\. employment and worker management<\/option>/);

      // Posting the form: a yes to one screening question makes the system prohibited under that point; "none of
      // these" beside a trigger is refused naming the field.
      const csrf = /name="_csrf" value="([^"]+)"/.exec(form)![1];
      const fields: Array<[string, string]> = [
        ['_csrf', csrf],
        ['name', 'Form-screened scorer'],
        ['purpose', 'Scores citizens.'],
        ['owner', 'Civic team'],
        ['lifecycleStage', 'design'],
        ['modelKind', 'predictive'],
        ['useCaseDomain', 'other'],
        ['autonomy', 'human_in_the_loop'],
        ['aiActEuNexus', 'yes'],
        ['aiActRole', 'provider'],
        ...['a', 'b', 'd', 'e', 'f', 'g', 'h'].map((p): [string, string] => [`art5${p}`, 'no']),
        ['art5c', 'yes'],
        ['annexIProduct', 'no'],
        ['gpaiModel', 'none'],
      ];
      const post = (extra: Array<[string, string]>) =>
        t
          .http()
          .post('/systems')
          .set('Cookie', cookie)
          .type('form')
          .send(new URLSearchParams([...fields, ...extra]).toString());
      const refused = await post([
        ['transparencyTriggers', 'none'],
        ['transparencyTriggers', 'deepfake'],
      ]).expect(400);
      // "None" with a trigger is refused in words beside the field (issue 17.8: labels, not DTO property names).
      expect(refused.text).toContain(
        '<p class="field-error" id="transparencyTriggers-error">choose one of the offered answers</p>',
      );
      const created = await post([['transparencyTriggers', 'none']]).expect(303);
      const id = /\/systems\/([0-9a-f-]{36})$/.exec(created.headers.location)![1];
      expect((await t.http().get(`/api/v1/systems/${id}`).set(specialist()).expect(200)).body).toMatchObject({
        prohibitedPractices: ['c'],
        transparencyTriggers: [],
        computedRiskTier: 'prohibited',
      });
      expect(await page(id)).toMatch(/<tr id="obligation-Art\. 5">[\s\S]*?prohibited<\/span>/);
    });

    it('lists the obligations in the evidence pack, judged as of the pack', async () => {
      const model = await t.app.get(EvidencePackAssembler).assemble({
        packId: '00000000-0000-4000-8000-0000000000aa',
        systemId: cv,
        auditId: null,
        frameworks: ['eu-ai-act'],
        asOf: '2026-07-01T00:00:00.000Z',
        generatedAt: '2026-07-01T00:00:00.000Z',
        requestedBy: 'test',
      });
      expect(model.scope.systems[0].aiAct?.obligations).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            article: 'Art. 9',
            appliesFrom: '2026-08-02',
            appliesAsOf: false,
            rule: 'high-risk-provider',
            basis: 'AI Act Art. 6(2), 8-22, 43, 47-49, 72, 73',
          }),
        ]),
      );
      const html = t.app.get(PackHtmlBuilder).build(model);
      // The applicability section lists each system's obligations in one line: article, title, from when, state.
      expect(html).toMatch(/<b>EU AI Act, [^<]+:<\/b> Art\. 4 /);
      expect(html).toContain('Art. 9 Risk management system (from 2026-08-02, not yet applying, open)');
    });

    it('opens a review task per open obligation and per banned practice, idempotently, and none once a control is in place', async () => {
      await t.app.get(TaskSweepService).run();
      const tasksOf = async (id: string) =>
        (await t.http().get(`/api/v1/tasks?systemId=${id}&kind=review&limit=500`).set(specialist()).expect(200)).body
          .items as Array<{ title: string; dueDate: string; priority: string; description: string }>;
      const cvTasks = await tasksOf(ranker);
      const art9 = cvTasks.find((task) => task.title === 'AI Act Art. 9: Risk management system')!;
      expect(art9).toMatchObject({ priority: 'high', dueDate: '2026-10-01T12:00:00.000Z' });
      expect(art9.description).toContain('AIG-GOV-12');
      expect(cvTasks.some((task) => task.title.startsWith('AI Act Art. 26'))).toBe(false);
      // The Annex I route applies from 2027-08-02 (Art. 113(c)): due then, not yet urgent.
      expect(
        (await tasksOf(machinery)).find((task) => task.title === 'AI Act Art. 9: Risk management system'),
      ).toMatchObject({ priority: 'medium', dueDate: '2027-08-02T00:00:00.000Z' });
      const banned = (await tasksOf(scoring)).find(
        (task) => task.title === 'Stop or redesign: Art. 5 bans what this system does',
      )!;
      expect(banned).toMatchObject({ priority: 'high', dueDate: '2026-09-08T12:00:00.000Z' });
      expect(banned.description).toContain('must not be placed on the market');
      expect(await t.app.get(TaskSweepService).run()).toMatchObject({ created: 0 });

      // An implemented control meeting Art. 4 (AI literacy) closes that obligation for a system swept afterwards.
      const trained = (
        await t
          .http()
          .post('/api/v1/systems')
          .set(specialist())
          .send(base({ name: 'Swept trained spam filter' }))
          .expect(201)
      ).body.id;
      await t
        .http()
        .patch(`/api/v1/systems/${trained}/controls/AIG-GOV-07`)
        .set(specialist())
        .send({ status: 'implemented', statement: 'Role-based AI training for all staff' })
        .expect(200);
      await t.app.get(TaskSweepService).run();
      const titles = (await tasksOf(trained)).map((task) => task.title);
      expect(titles).toContain('AI Act Art. 5: Banned AI practices');
      expect(titles.some((title) => title.startsWith('AI Act Art. 4'))).toBe(false);
    });
  });
});
