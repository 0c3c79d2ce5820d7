import { TaskSweepService } from '../../src/tasks/task-sweep.service';
import { minimalSystem } from '../factories/systems';
import { bearer, startTestApp, TestApp } from '../factories/test-app';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

interface Threat {
  framework: string;
  ref: string;
  status: string;
  reason: string;
  rules: Array<{ id: string }>;
  mitigations: Array<{ ref: string; controls: Array<{ code: string; status: string; sufficient: boolean }> }>;
  latestRedTeam: { evidenceId: string; outcome: string } | null;
}

/** Threat model per system (issue 19.5): rules of policies/threats.yaml over the system's facts. */
describe('threat model (e2e)', () => {
  let t: TestApp;
  let chatbot: string;
  let tabular: string;
  const specialist = () => bearer(t.users.governance_specialist);
  const engineer = () => bearer(t.users.engineer);
  const threatsOf = async (id: string) =>
    (await t.http().get(`/api/v1/systems/${id}/threats`).set(specialist()).expect(200)).body;
  const find = (body: { threats: Threat[] }, framework: string, ref: string) =>
    body.threats.find((x) => x.framework === framework && x.ref === ref);

  beforeAll(async () => {
    t = await startTestApp();
    const create = (overrides: Record<string, unknown>) =>
      t.http().post('/api/v1/systems').set(specialist()).send(minimalSystem(overrides)).expect(201);
    chatbot = (
      await create({
        name: 'Customer help chatbot',
        purpose: 'Answers customer questions from the help centre.',
        modelKind: 'generative',
        internetFacing: true,
        usesRag: true,
        vendor: 'Example LLM Vendor',
      })
    ).body.id;
    tabular = (
      await create({ name: 'Churn score', purpose: 'Scores churn risk from account data.', modelKind: 'predictive' })
    ).body.id;
  });
  afterAll(async () => t?.close());

  it('an internet-facing LLM chatbot with RAG: prompt injection (AML.T0051, LLM01) relevant, with mitigations, controls and their status', async () => {
    const system = await t.http().get(`/api/v1/systems/${chatbot}`).set(specialist()).expect(200);
    expect(system.body).toMatchObject({ internetFacing: true, usesRag: true, agentTools: false });
    const body = await threatsOf(chatbot);
    expect(body.facts).toEqual({
      modelKind: 'generative',
      internetFacing: true,
      usesRag: true,
      agentTools: false,
      thirdParty: true,
    });
    const injection = find(body, 'mitre-atlas', 'AML.T0051')!;
    expect(injection.rules.map((r) => r.id)).toEqual(['llm-prompt-injection']);
    expect(injection.mitigations.map((m) => m.ref)).toEqual(
      expect.arrayContaining(['AML.M0020', 'AML.M0021', 'AML.M0024']),
    );
    const guidelines = injection.mitigations.find((m) => m.ref === 'AML.M0021')!;
    expect(guidelines.controls).toContainEqual(
      expect.objectContaining({ code: 'AIG-AIS-03', status: 'not_started', sufficient: true }),
    );
    expect(injection).toMatchObject({ status: 'gap', latestRedTeam: null });
    const llm01 = find(body, 'owasp-llm-top10-2025', 'LLM01:2025')!;
    expect(llm01.rules.map((r) => r.id).sort()).toEqual(['llm-prompt-injection', 'rag-indirect-injection']);
    expect(llm01.mitigations[0].controls.map((c) => c.code)).toContain('AIG-AIS-03');
    expect(find(body, 'mitre-atlas', 'AML.T0051.001')).toBeDefined();
    expect(find(body, 'owasp-llm-top10-2025', 'LLM08:2025')).toBeDefined();
    expect(find(body, 'mitre-atlas', 'AML.T0053')).toBeUndefined();
    expect(body.summary.relevant).toBe(body.threats.length);

    await t
      .http()
      .patch(`/api/v1/systems/${chatbot}/controls/AIG-AIS-03`)
      .set(specialist())
      .send({ status: 'implemented' })
      .expect(200);
    const after = await threatsOf(chatbot);
    expect(find(after, 'owasp-llm-top10-2025', 'LLM01:2025')).toMatchObject({
      status: 'mitigated',
      reason: expect.stringContaining('AIG-AIS-03'),
    });
    expect(find(after, 'mitre-atlas', 'AML.T0051')!.status).toBe('mitigated');
  });

  it('a predictive tabular model: evasion relevant, no LLM01 and no prompt injection', async () => {
    const body = await threatsOf(tabular);
    expect(find(body, 'owasp-llm-top10-2025', 'LLM01:2025')).toBeUndefined();
    expect(find(body, 'mitre-atlas', 'AML.T0051')).toBeUndefined();
    expect(find(body, 'mitre-atlas', 'AML.T0015')!.rules.map((r) => r.id)).toEqual(['predictive-evasion']);
    expect(body.threats.every((x: Threat) => x.framework === 'mitre-atlas')).toBe(true);
  });

  function redTeamUpload(system: string, techniques: string[], outcome?: string) {
    const req = t.http().post(`/api/v1/systems/${system}/evidence`).set(engineer());
    req
      .field('controlCodes[]', 'AIG-AIS-09')
      .field('title', 'Red-team exercise Q4')
      .field('kind', 'red_team_report')
      .field('collectedAt', new Date(Date.now() - 60000).toISOString());
    for (const id of techniques) req.field('atlasTechniqueIds[]', id);
    if (outcome) req.field('redTeamOutcome', outcome);
    return req.attach('file', PDF, { filename: 'red-team.pdf', contentType: 'application/pdf' });
  }

  it('refuses a red-team report naming an unknown ATLAS technique (400, nothing stored) and shows the latest result per technique', async () => {
    const before = await t.dataSource.query('SELECT COUNT(*) AS n FROM evidence');
    const refused = await redTeamUpload(chatbot, ['AML.T0051', 'AML.T9999'], 'fail').expect(400);
    expect(refused.body.message).toMatch(/atlasTechniqueIds: AML\.T9999 is not a technique of MITRE ATLAS/);
    await redTeamUpload(chatbot, ['AML.M0020'], 'fail').expect(400);
    await redTeamUpload(chatbot, ['AML.T0051']).expect(400);
    await t
      .http()
      .post(`/api/v1/systems/${chatbot}/evidence`)
      .set(engineer())
      .field('controlCodes[]', 'AIG-AIS-09')
      .field('title', 'Not a red-team report')
      .field('kind', 'document')
      .field('collectedAt', new Date(Date.now() - 60000).toISOString())
      .field('atlasTechniqueIds[]', 'AML.T0051')
      .attach('file', PDF, { filename: 'doc.pdf', contentType: 'application/pdf' })
      .expect(400);
    expect(await t.dataSource.query('SELECT COUNT(*) AS n FROM evidence')).toEqual(before);

    const stored = await redTeamUpload(chatbot, ['AML.T0051', 'AML.T0054'], 'fail').expect(201);
    expect(stored.body).toMatchObject({
      kind: 'red_team_report',
      atlasTechniqueIds: ['AML.T0051', 'AML.T0054'],
      redTeamOutcome: 'fail',
    });
    const body = await threatsOf(chatbot);
    expect(find(body, 'mitre-atlas', 'AML.T0051')!.latestRedTeam).toMatchObject({
      evidenceId: stored.body.id,
      outcome: 'fail',
    });
    // A sub-technique shows the report that tested its parent technique.
    expect(find(body, 'mitre-atlas', 'AML.T0051.000')!.latestRedTeam).toMatchObject({ evidenceId: stored.body.id });
    expect(find(body, 'mitre-atlas', 'AML.T0056')!.latestRedTeam).toBeNull();
  });

  it('the sweep opens one task per threat gap, idempotently', async () => {
    const sweep = () => t.app.get(TaskSweepService).run();
    const gaps = async () => {
      const ids = [];
      for (const id of [chatbot, tabular])
        for (const x of (await threatsOf(id)).threats as Threat[])
          if (x.status === 'gap') ids.push(`${id} ${x.framework} ${x.ref}`);
      return ids;
    };
    const expected = await gaps();
    expect(expected.length).toBeGreaterThan(5);
    const first = await sweep();
    expect(first.threatGaps).toBe(expected.length);
    const tasks = await t.http().get('/api/v1/tasks?kind=remediation&limit=500').set(specialist()).expect(200);
    const threatTasks = tasks.body.items.filter((x: { title: string }) => x.title.startsWith('Mitigate '));
    expect(threatTasks).toHaveLength(expected.length);
    expect(threatTasks.map((x: { title: string }) => x.title)).toContainEqual(
      expect.stringMatching(/^Mitigate AML\.T0015: Evade AI Model$/),
    );
    expect((await sweep()).threatGaps).toBe(0);
  });

  it('shows the threat model on the system page', async () => {
    const page = await t.http().get(`/systems/${chatbot}`).set(specialist()).expect(200);
    expect(page.text).toContain('Threat model');
    expect(page.text).toMatch(/<code>AML\.T0051<\/code> LLM Prompt Injection/);
    expect(page.text).toMatch(/<code>LLM01:2025<\/code> Prompt Injection/);
    expect(page.text).toContain('Contains MITRE ATLAS');
  });

  it('an auditor sees the threat model only of systems in their audits', async () => {
    await t.http().get(`/api/v1/systems/${chatbot}/threats`).set(bearer(t.users.auditor)).expect(404);
    await t.http().get(`/api/v1/systems/${chatbot}/threats`).expect(401);
  });
});
