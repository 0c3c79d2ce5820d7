import { DEMO_SYSTEMS } from '../../scripts/demo-data';
import { bearer, startTestApp, TEST_PASSWORD, TestApp } from '../factories/test-app';
import { minimalSystem } from '../factories/systems';

/** The applicability facts over the API: validation, the deprecated soc2InScope, the review flag and its audit trail. */
describe('applicability facts (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  const specialist = () => bearer(t.users.governance_specialist);
  const systemCount = async () => Number((await t.dataSource.query('SELECT COUNT(*) AS n FROM ai_systems'))[0].n);

  it.each([
    [{ soc2Categories: ['availability'] }, /soc2Categories must include security whenever it names a category/],
    [{ soc2Categories: ['security', 'security'] }, /soc2Categories must not repeat a category/],
    [
      { soc2Categories: ['security', 'uptime'] },
      /each of soc2Categories must be one of security, availability, confidentiality, processing_integrity, privacy/,
    ],
    [{ soc2Categories: null }, /soc2Categories must be an array/],
    [
      { hipaaRole: 'vendor' },
      /hipaaRole must be one of covered_entity, business_associate, none \(or null: not answered yet\)/,
    ],
    [{ gdprRole: 'owner' }, /gdprRole must be one of controller, processor, joint_controller/],
    [{ gdprEstablishment: 'yes' }, /gdprEstablishment must be true, false or null/],
    [{ soc2InScope: false, soc2Categories: ['security'] }, /soc2InScope contradicts soc2Categories/],
  ])('refuses %j with a 400 naming the rule, storing nothing', async (fields, message) => {
    const before = await systemCount();
    const res = await t
      .http()
      .post('/api/v1/systems')
      .set(specialist())
      .send(minimalSystem(fields as object))
      .expect(400);
    expect(JSON.stringify(res.body)).toMatch(message);
    expect(await systemCount()).toBe(before);
  });

  it('answers the questions and clears the review flag fact by fact, each change in the audit log', async () => {
    const created = await t
      .http()
      .post('/api/v1/systems')
      .set(specialist())
      .send(
        minimalSystem({
          name: 'Patient intake bot',
          personalData: true,
          phi: true,
          jurisdictions: ['US'],
          soc2InScope: true,
        }),
      )
      .expect(201);
    const id = created.body.id;
    // The deprecated flag presumes every category (privacy with personal data) and asks for a review.
    expect(created.body.soc2Categories).toEqual([
      'security',
      'availability',
      'confidentiality',
      'processing_integrity',
      'privacy',
    ]);
    expect(created.body.soc2InScope).toBe(true);
    expect(created.body.applicabilityNeedsReview).toBe(true);
    expect(created.body.applicabilityReviewFacts).toEqual(
      expect.arrayContaining(['hipaaRole', 'gdprEstablishment', 'soc2Categories']),
    );

    const before = await t.http().get(`/api/v1/systems/${id}/applicability`).set(specialist()).expect(200);
    expect(before.body.applicabilityNeedsReview).toBe(true);
    expect(before.body.reviewFacts.find((f: { fact: string }) => f.fact === 'hipaaRole')).toMatchObject({
      question: expect.stringMatching(/covered entity/),
      basis: '45 CFR 160.103, 164.302',
    });
    const hipaa = before.body.frameworks.find((f: { framework: string }) => f.framework === 'hipaa-security');
    expect(hipaa.rules).toEqual([expect.objectContaining({ id: 'hipaa-role-unanswered', assumed: ['hipaaRole'] })]);

    const partly = await t
      .http()
      .patch(`/api/v1/systems/${id}`)
      .set(specialist())
      .send({ hipaaRole: 'business_associate', soc2Categories: ['security', 'availability'] })
      .expect(200);
    expect(partly.body.applicabilityReviewFacts).not.toContain('hipaaRole');
    expect(partly.body.applicabilityReviewFacts).not.toContain('soc2Categories');
    expect(partly.body.applicabilityNeedsReview).toBe(true);

    // Outside Art. 3 (no EU establishment, offering or monitoring): the GDPR duty questions no longer matter.
    const done = await t
      .http()
      .patch(`/api/v1/systems/${id}`)
      .set(specialist())
      .send({ gdprEstablishment: false, gdprOffersToEu: false, gdprMonitorsEu: false })
      .expect(200);
    expect(done.body).toMatchObject({ applicabilityNeedsReview: false, applicabilityReviewFacts: [] });

    const after = await t.http().get(`/api/v1/systems/${id}/applicability`).set(specialist()).expect(200);
    const applies = Object.fromEntries(
      after.body.frameworks.map((f: { framework: string; applies: boolean }) => [f.framework, f.applies]),
    );
    expect(applies).toMatchObject({ 'hipaa-security': true, gdpr: false, 'soc2-tsc-2017': true });
    expect(after.body.frameworks.find((f: { framework: string }) => f.framework === 'hipaa-security').rules).toEqual([
      expect.objectContaining({
        id: 'hipaa-business-associate',
        basis: '45 CFR 164.302; 160.103 (business associate)',
        assumed: [],
      }),
    ]);
    expect(after.body.requirements.some((r: { ref: string }) => r.ref.startsWith('C1'))).toBe(false);

    const log = await t.dataSource.query(
      `SELECT "action", "payload" FROM "audit_log" WHERE "entityId" = '${id}' ORDER BY "seq"`,
    );
    expect(log.map((e: { action: string }) => e.action)).toEqual(['system.create', 'system.update', 'system.update']);
    expect(JSON.parse(log[2].payload).changes).toMatchObject({
      gdprEstablishment: false,
      applicabilityReviewFacts: [],
    });
  });

  it('the demo systems answer every question that matters to them, with sensible applicability', async () => {
    const expected: Record<string, Record<string, boolean>> = {
      // A US hospital's triage assistant: HIPAA as a covered entity, outside GDPR Art. 3, in the SOC 2 report; the
      // AI Act as the provider placing it on the EU market (Art. 2(1)(a)).
      'Clinical triage assistant': { 'hipaa-security': true, gdpr: false, 'soc2-tsc-2017': true, 'eu-ai-act': true },
      // An EU employer's CV screening: GDPR by Art. 3(1), no PHI, outside the SOC 2 report; the AI Act (Art. 2(1)(a)).
      'CV screening model': { 'hipaa-security': false, gdpr: true, 'soc2-tsc-2017': false, 'eu-ai-act': true },
      // A US retailer's chatbot for US, UK and Irish customers: GDPR by Art. 3(2)(a), SOC 2, the AI Act (Art. 2(1)(a)).
      'Customer support chatbot': { 'hipaa-security': false, gdpr: true, 'soc2-tsc-2017': true, 'eu-ai-act': true },
    };
    for (const { system } of DEMO_SYSTEMS) {
      const created = await t
        .http()
        .post('/api/v1/systems')
        .set(specialist())
        .send({ ...system, name: `Demo check: ${system.name}` })
        .expect(201);
      expect({ name: system.name, review: created.body.applicabilityReviewFacts }).toEqual({
        name: system.name,
        review: [],
      });
      const res = await t.http().get(`/api/v1/systems/${created.body.id}/applicability`).set(specialist()).expect(200);
      const applies = Object.fromEntries(
        res.body.frameworks.map((f: { framework: string; applies: boolean }) => [f.framework, f.applies]),
      );
      expect({ name: system.name, applies }).toMatchObject({
        name: system.name,
        applies: { 'nist-ai-rmf-1.0': true, ...expected[system.name] },
      });
    }
  });

  it('the system form asks each question in words, keeps the answers and shows the review flag on the system page', async () => {
    const login = await t
      .http()
      .post('/api/v1/auth/login')
      .send({ email: t.users.governance_specialist.email, password: TEST_PASSWORD })
      .expect(200);
    const cookie = String(login.headers['set-cookie']).split(';')[0];
    const page = async (url: string) => (await t.http().get(url).set('Cookie', cookie).expect(200)).text;
    const csrf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1];
    const post = (url: string, html: string, fields: Array<[string, string]>) =>
      t
        .http()
        .post(url)
        .set('Cookie', cookie)
        .type('form')
        .send(new URLSearchParams([['_csrf', csrf(html)], ...fields]).toString());
    const base: Array<[string, string]> = [
      ['name', 'Form-made triage tool'],
      ['purpose', 'Suggests triage levels.'],
      ['owner', 'Clinical AI team'],
      ['lifecycleStage', 'deployed'],
      ['modelKind', 'predictive'],
      ['useCaseDomain', 'healthcare'],
      ['autonomy', 'human_in_the_loop'],
      ['personalData', 'on'],
      ['phi', 'on'],
      ['jurisdictions', 'US, DE'],
      // The AI Act's questions answered (a deployer in the EU, screened clear, no Annex I or III use, no Art. 50 trigger).
      ['aiActEuNexus', 'yes'],
      ['aiActRole', 'deployer'],
      ...['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((p): [string, string] => [`art5${p}`, 'no']),
      ['annexIProduct', 'no'],
      ['transparencyTriggers', 'none'],
      ['gpaiModel', 'none'],
    ];

    const form = await page('/systems/new');
    expect(form).toContain(
      'Is your organisation a HIPAA covered entity (a health plan, a health care clearinghouse, or a health care provider that bills or sends health information electronically) or a business associate of one',
    );
    expect(form).toMatch(
      /<label for="gdprEstablishment">Is the organisation that runs this processing [^<]*<span class="basis">\(GDPR Art\. 3\(1\)\)/,
    );
    expect(form).toContain('name="soc2Categories" type="checkbox" value="processing_integrity"');

    const refused = await post('/systems', form, [
      ...base,
      ['hipaaRole', 'covered_entity'],
      ['soc2Categories', 'availability'],
    ]).expect(400);
    expect(refused.text).toContain('SOC 2 categories: must include security whenever it names a category');
    expect(refused.text).toMatch(/<option value="covered_entity" selected>/);

    const created = await post('/systems', form, [
      ...base,
      ['hipaaRole', 'covered_entity'],
      ['gdprEstablishment', 'yes'],
      ['soc2Categories', 'security'],
      ['soc2Categories', 'availability'],
    ]).expect(303);
    const id = /\/systems\/([0-9a-f-]{36})$/.exec(created.headers.location)![1];
    const stored = await t.http().get(`/api/v1/systems/${id}`).set(specialist()).expect(200);
    expect(stored.body).toMatchObject({
      hipaaRole: 'covered_entity',
      gdprEstablishment: true,
      gdprOffersToEu: null,
      soc2Categories: ['security', 'availability'],
      applicabilityNeedsReview: true,
    });

    const detail = await page(`/systems/${id}`);
    expect(detail).toMatch(
      /id="applicability-review"[\s\S]*Is the consent of the people concerned a legal basis for any of this processing\?/,
    );
    expect(detail).toContain('45 CFR 164.302; 160.103 (covered entity)');
    expect(await page('/systems?q=Form-made')).toMatch(
      /Form-made triage tool<\/a> <span class="warn">applicability needs review<\/span>/,
    );

    const edit = await page(`/systems/${id}/edit`);
    expect(edit).toMatch(/<option value="yes" selected>Yes<\/option>/);
    expect(edit).toContain('id="gdprRole-review"');
    const duties: Array<[string, string]> = [
      ['gdprRole', 'controller'],
      ...[
        'gdprConsentBasis',
        'gdprCriminalData',
        'gdprPublicBody',
        'gdprLargeScaleMonitoring',
        'gdprThirdCountryTransfers',
        'gdprArchivingOrResearch',
      ].map((f): [string, string] => [f, 'no']),
      ['gdprLargeScaleSensitiveData', 'yes'],
    ];
    await post(`/systems/${id}`, edit, [
      ...base,
      ['hipaaRole', 'covered_entity'],
      ['gdprEstablishment', 'yes'],
      ['soc2Categories', 'security'],
      ...duties,
    ]).expect(303);
    const answered = await page(`/systems/${id}`);
    expect(answered).not.toContain('id="applicability-review"');
    expect(await page('/systems?q=Form-made')).not.toContain('applicability needs review');
    expect(answered).toMatch(/<dt>Large-scale special-category or criminal data as a core activity<\/dt><dd>yes/);
  });

  it('documents the facts, their questions and the applicability response in OpenAPI', async () => {
    const doc = (await t.http().get('/api/docs/openapi.json').expect(200)).body;
    const create = doc.components.schemas.CreateAiSystemDto.properties;
    expect(create.hipaaRole).toMatchObject({
      enum: ['covered_entity', 'business_associate', 'none'],
      nullable: true,
      description: expect.stringContaining('(45 CFR 160.103, 164.302)'),
    });
    expect(create.gdprMonitorsEu.description).toContain('(GDPR Art. 3(2)(b))');
    expect(create.soc2InScope.deprecated).toBe(true);
    const ok = (path: string, method: string, status = '200') =>
      doc.paths[path][method].responses[status].content['application/json'].schema;
    expect(ok('/api/v1/systems/{id}', 'get')).toEqual({ $ref: '#/components/schemas/AiSystemResponseDto' });
    expect(ok('/api/v1/systems', 'post', '201')).toEqual({ $ref: '#/components/schemas/AiSystemResponseDto' });
    expect(ok('/api/v1/systems/{id}/applicability', 'get')).toEqual({
      $ref: '#/components/schemas/ApplicabilityResponseDto',
    });
    expect(Object.keys(doc.components.schemas.AiSystemResponseDto.properties)).toEqual(
      expect.arrayContaining(['soc2Categories', 'applicabilityNeedsReview', 'applicabilityReviewFacts']),
    );
  });

  it('setting an answer back to null (not answered) flags it again', async () => {
    const created = await t
      .http()
      .post('/api/v1/systems')
      .set(specialist())
      .send(minimalSystem({ name: 'Claims helper', phi: true, hipaaRole: 'covered_entity' }))
      .expect(201);
    expect(created.body.applicabilityReviewFacts).not.toContain('hipaaRole');
    const reset = await t
      .http()
      .patch(`/api/v1/systems/${created.body.id}`)
      .set(specialist())
      .send({ hipaaRole: null })
      .expect(200);
    expect(reset.body.applicabilityReviewFacts).toContain('hipaaRole');
  });
});
