import { discoverRoutes } from '../factories/routes';
import { allFrameworksSystem, minimalSystem } from '../factories/systems';
import { bearer, startTestApp, TestApp, TestUser } from '../factories/test-app';

/**
 * Every list that pages: whatever the filter, `total` counts the whole filtered list and walking it page by page
 * (any page size) yields exactly the items of one big page, in the same order. And paging parameters outside
 * their bounds are a 400 naming the parameter, never a 500 from the database.
 */

const FRAMEWORKS = ['nist-ai-rmf-1.0', 'gdpr', 'hipaa-security', 'soc2-tsc-2017'];
type Query = Record<string, string>;
type Item = { id?: string; seq?: number };

describe('list filters and paging (e2e)', () => {
  let t: TestApp;
  let specialist: TestUser;
  let engineer: TestUser;
  const systemIds: string[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    specialist = t.users.governance_specialist;
    engineer = t.users.engineer;
    // Names interleave the two shapes, so a filter applied after paging would leave holes in the pages.
    const shapes = [
      minimalSystem({ name: 'Alpha helper' }),
      allFrameworksSystem({ name: 'Bravo triage' }),
      minimalSystem({ name: 'Charlie helper', lifecycleStage: 'deployed' }),
      allFrameworksSystem({ name: 'Delta triage', lifecycleStage: 'validation' }),
      minimalSystem({ name: 'Echo helper' }),
      allFrameworksSystem({ name: 'Foxtrot triage' }),
      minimalSystem({
        name: 'Golf helper',
        riskTierOverride: 'high',
        riskTierOverrideJustification: 'Decided by the AI board in review 7',
      }),
      allFrameworksSystem({ name: 'Hotel triage' }),
    ];
    for (const shape of shapes) {
      const created = await t.http().post('/api/v1/systems').set(bearer(specialist)).send(shape).expect(201);
      systemIds.push(created.body.id);
    }
    await t
      .http()
      .patch(`/api/v1/systems/${systemIds[4]}`)
      .set(bearer(specialist))
      .send({ archived: true })
      .expect(200);
    const past = new Date(Date.now() - 3 * 86_400_000).toISOString();
    const future = new Date(Date.now() + 30 * 86_400_000).toISOString();
    for (const [i, systemId] of systemIds.entries()) {
      if (i === 4) continue;
      for (const [j, kind] of ['remediation', 'evidence_request', 'review'].entries()) {
        await t
          .http()
          .post('/api/v1/tasks')
          .set(bearer(specialist))
          .send({
            systemId,
            kind,
            title: `Task ${i}.${j}`,
            assigneeRole: j === 1 ? 'engineer' : 'governance_specialist',
            ...(j === 1 ? { assigneeUserId: engineer.id } : {}),
            dueDate: (i + j) % 2 ? past : future,
          })
          .expect(201);
      }
    }
  });
  afterAll(async () => t?.close());

  /** Walks a paged list with limit/offset and checks it against one page holding everything. */
  async function expectConsistentPages(url: string, query: Query, as: TestUser): Promise<string[]> {
    const all = await t
      .http()
      .get(url)
      .query({ ...query, limit: '500' })
      .set(bearer(as))
      .expect(200);
    const ids = (all.body.items as Item[]).map((i) => i.id!);
    expect(all.body.total).toBe(ids.length);
    for (const size of [1, 2, 3]) {
      const walked: string[] = [];
      for (let offset = 0; offset < ids.length + size; offset += size) {
        const page = await t
          .http()
          .get(url)
          .query({ ...query, limit: String(size), offset: String(offset) })
          .set(bearer(as))
          .expect(200);
        expect({ query, size, offset, total: page.body.total }).toEqual({ query, size, offset, total: ids.length });
        expect(page.body.items.length).toBe(Math.max(0, Math.min(size, ids.length - offset)));
        walked.push(...(page.body.items as Item[]).map((i) => i.id!));
      }
      expect({ query, size, walked }).toEqual({ query, size, walked: ids });
    }
    return ids;
  }

  it('systems: total and items agree for every filter and page, the framework filter included', async () => {
    const applying = new Map<string, Set<string>>(FRAMEWORKS.map((f) => [f, new Set()]));
    for (const id of systemIds) {
      const result = await t.http().get(`/api/v1/systems/${id}/applicability`).set(bearer(specialist)).expect(200);
      for (const f of result.body.frameworks as Array<{ framework: string; applies: boolean }>)
        if (f.applies) applying.get(f.framework)?.add(id);
    }
    const active = systemIds.filter((_, i) => i !== 4);
    // The fixture must make the framework filter select: some frameworks apply to some systems only.
    expect(FRAMEWORKS.some((f) => applying.get(f)!.size > 0 && applying.get(f)!.size < systemIds.length)).toBe(true);

    const queries: Query[] = [
      {},
      { includeArchived: 'true' },
      { lifecycleStage: 'deployed' },
      { riskTier: 'high' },
      { q: 'helper' },
      { q: 'triage', lifecycleStage: 'deployed' },
      ...FRAMEWORKS.map((framework) => ({ framework })),
      ...FRAMEWORKS.map((framework) => ({ framework, includeArchived: 'true' })),
      ...FRAMEWORKS.map((framework) => ({ framework, q: 'a' })),
    ];
    for (const query of queries) {
      const ids = await expectConsistentPages('/api/v1/systems', query, specialist);
      if (query.framework && Object.keys(query).length === 1) {
        expect(new Set(ids)).toEqual(new Set(active.filter((id) => applying.get(query.framework)!.has(id))));
      }
    }
    // An auditor sees only the systems of their audits (none here): the filtered total is 0 too, not a count of others'.
    for (const framework of FRAMEWORKS) {
      const page = await t
        .http()
        .get('/api/v1/systems')
        .query({ framework, limit: '1' })
        .set(bearer(t.users.auditor))
        .expect(200);
      expect(page.body).toEqual({ total: 0, items: [] });
    }
  });

  it('tasks: total and items agree for every filter and page', async () => {
    const queries: Query[] = [
      {},
      { status: 'open' },
      { kind: 'evidence_request' },
      { kind: 'review', overdue: 'true' },
      { overdue: 'true' },
      { systemId: systemIds[1] },
      { systemId: systemIds[2], kind: 'remediation' },
    ];
    for (const query of queries)
      expect((await expectConsistentPages('/api/v1/tasks', query, specialist)).length).toBeGreaterThan(0);
    expect((await expectConsistentPages('/api/v1/tasks', { assignee: 'me' }, engineer)).length).toBeGreaterThan(0);
    expect(await expectConsistentPages('/api/v1/tasks', { status: 'done' }, specialist)).toEqual([]);
  });

  it('audit log: walking it with limit and beforeSeq yields the whole filtered log', async () => {
    for (const query of [
      {},
      { entityType: 'ai_system' },
      { entityType: 'ai_system', entityId: systemIds[4] },
      { entityType: 'task' },
    ] as Query[]) {
      const all = (
        await t
          .http()
          .get('/api/v1/audit-log')
          .query({ ...query, limit: '500' })
          .set(bearer(specialist))
          .expect(200)
      ).body as Item[];
      expect(all.length).toBeGreaterThan(0);
      for (const size of [1, 3]) {
        const walked: number[] = [];
        let before: number | undefined;
        for (;;) {
          const page = (
            await t
              .http()
              .get('/api/v1/audit-log')
              .query({ ...query, limit: String(size), ...(before ? { beforeSeq: String(before) } : {}) })
              .set(bearer(specialist))
              .expect(200)
          ).body as Item[];
          if (page.length === 0) break;
          walked.push(...page.map((e) => e.seq!));
          before = page[page.length - 1].seq;
        }
        expect({ query, size, walked }).toEqual({ query, size, walked: all.map((e) => e.seq) });
      }
    }
  });

  it('refuses paging parameters outside their bounds on every list route with a 400 naming them', async () => {
    const huge = [
      '99999999999999999999999',
      '9223372036854775807',
      '9223372036854775808',
      '2147483648',
      '1e3',
      '0x10',
      '1.5',
      '-1',
      'abc',
      '',
    ];
    const paged: Record<string, string[]> = {
      '/api/v1/systems': ['limit', 'offset'],
      '/api/v1/tasks': ['limit', 'offset'],
      '/api/v1/audit-log': ['limit', 'beforeSeq'],
    };
    for (const [url, params] of Object.entries(paged)) {
      for (const param of params) {
        for (const value of huge) {
          const response = await t
            .http()
            .get(url)
            .query({ [param]: value })
            .set(bearer(specialist));
          expect({ url, param, value, status: response.status }).toEqual({ url, param, value, status: 400 });
          expect(response.body.message).toContain(param);
          expect(response.body.message).toMatch(/integer from \d+ to \d+/);
        }
      }
      // The bounds themselves are fine.
      await t
        .http()
        .get(url)
        .query({ limit: '500', [params[1]]: '2147483647' })
        .set(bearer(specialist))
        .expect(200);
      await t.http().get(url).query({ limit: '501' }).set(bearer(specialist)).expect(400);
      await t.http().get(url).query({ limit: '0' }).set(bearer(specialist)).expect(400);
    }
    // Text filters take no control characters (PostgreSQL cannot even compare a NUL).
    for (const [url, param] of [
      ['/api/v1/systems', 'q'],
      ['/api/v1/audit-log', 'entityType'],
      ['/api/v1/audit-log', 'entityId'],
    ]) {
      for (const value of ['a\u0000b', 'a\u001b[31m', 'a\r\nb']) {
        const response = await t
          .http()
          .get(url)
          .query({ [param]: value })
          .set(bearer(specialist));
        expect({ url, param, value, status: response.status }).toEqual({ url, param, value, status: 400 });
        expect(response.body.message).toContain(param);
      }
    }
    // Lists that do not page refuse or ignore the parameters; none answers 5xx.
    const lists = discoverRoutes(t.app).filter(
      (r) => r.method === 'GET' && r.path.startsWith('/api/') && !/\/:[A-Za-z]+$/.test(r.path),
    );
    expect(lists.length).toBeGreaterThan(8);
    for (const route of lists) {
      const url = route.path.replace(/:id\b/, systemIds[0]).replace(/:key\b/, 'gdpr');
      for (const value of huge.slice(0, 3)) {
        const response = await t
          .http()
          .get(url)
          .query({ limit: value, offset: value, beforeSeq: value })
          .set(bearer(t.users.admin));
        expect({ url, value, status: response.status < 500 }).toEqual({ url, value, status: true });
      }
    }
  });
});
