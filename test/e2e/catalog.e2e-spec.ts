import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadPolicySet } from '../../src/catalog/policy-files';
import { CatalogRepository } from '../../src/catalog/catalog.repository';
import { PolicyLoader } from '../../src/catalog/policy-loader.service';
import { RELATIONSHIPS } from '../../src/catalog/catalog-defs';
import { bearer, startTestApp, TestApp } from '../factories/test-app';
import { allFrameworksSystem } from '../factories/systems';

const KEYS = ['nist-ai-rmf-1.0', 'gdpr', 'hipaa-security', 'soc2-tsc-2017'];

describe('catalog, crosswalk and policy loading (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());
  const reader = () => bearer(t.users.auditor);

  it('lists the frameworks with their leaf counts', async () => {
    const res = await t.http().get('/api/v1/frameworks').set(reader()).expect(200);
    const leaves = Object.fromEntries(res.body.map((f: { key: string; leafCount: number }) => [f.key, f.leafCount]));
    expect(leaves).toMatchObject({
      'nist-ai-rmf-1.0': 72,
      gdpr: 195,
      'hipaa-security': 60,
      'soc2-tsc-2017': 61,
      'eu-ai-act': 241,
    });
  });

  it('stores every mapping of policies/ against the requirement it names', async () => {
    const policies = loadPolicySet();
    const expected = policies.controls
      .flatMap((c) => c.mappings.map((m) => `${c.code} ${m.relationship} ${m.framework} ${m.ref} ${m.strength}`))
      .sort();
    const stored = (await t.app.get(CatalogRepository).findMappingRows())
      .map((m) => `${m.controlCode} ${m.relationship} ${m.frameworkKey} ${m.ref} ${m.strength}`)
      .sort();
    expect(stored).toEqual(expected);
  });

  it('answers the requirement tree and a control with its mappings', async () => {
    const tree = await t.http().get('/api/v1/frameworks/hipaa-security/requirements').set(reader()).expect(200);
    expect(tree.body.requirements.map((r: { ref: string }) => r.ref)).toEqual([
      '164.306',
      '164.308',
      '164.310',
      '164.312',
      '164.314',
      '164.316',
    ]);
    const spec = tree.body.requirements[1].children[0].children[0];
    expect(spec).toMatchObject({
      ref: '164.308(a)(1)(ii)(A)',
      attributes: { implementation: 'required' },
      isLeaf: true,
    });
    const control = await t.http().get('/api/v1/controls/AIG-GOV-01').set(reader()).expect(200);
    expect(control.body.mappings.length).toBeGreaterThan(0);
    for (const m of control.body.mappings) expect(RELATIONSHIPS).toContain(m.relationship);
  });

  it.each(KEYS.flatMap((from) => KEYS.filter((to) => to !== from).map((to) => [from, to])))(
    'derives a crosswalk from %s to %s',
    async (from, to) => {
      const res = await t.http().get(`/api/v1/crosswalk?from=${from}&to=${to}`).set(reader()).expect(200);
      expect(res.body.linkCount).toBeGreaterThan(0);
      for (const link of res.body.links.slice(0, 50)) {
        // overlaps and related are the crosswalk's own terms for what the OSCAL vocabulary cannot say; they export as null.
        expect([...RELATIONSHIPS, 'overlaps', 'related']).toContain(link.relationship);
        expect(link.oscalRelationship).toBe(
          (RELATIONSHIPS as readonly string[]).includes(link.relationship) ? link.relationship : null,
        );
        expect(link.via.length).toBeGreaterThan(0);
      }
    },
  );

  it('refuses a crosswalk to the same or an unknown framework', async () => {
    await t.http().get('/api/v1/crosswalk?from=gdpr&to=gdpr').set(reader()).expect(400);
    await t.http().get('/api/v1/crosswalk?from=gdpr&to=iso-42001').set(reader()).expect(404);
  });

  it('reloads unchanged policies without writing anything', async () => {
    const before = (await t.http().get('/api/v1/audit-log/verify').set(reader())).body.entries;
    const result = await t.app.get(PolicyLoader).load();
    expect(result.changed).toBe(false);
    expect((await t.http().get('/api/v1/audit-log/verify').set(reader())).body.entries).toBe(before);
  });

  it('updates a changed catalog in place, keeping ids and evidence links', async () => {
    const specialist = bearer(t.users.governance_specialist);
    const system = await t.http().post('/api/v1/systems').set(specialist).send(allFrameworksSystem()).expect(201);
    const evidence = await t
      .http()
      .post(`/api/v1/systems/${system.body.id}/evidence`)
      .set(bearer(t.users.engineer))
      .field('controlCodes[]', 'AIG-GOV-01')
      .field('title', 'Policy')
      .field('kind', 'document')
      .field('collectedAt', new Date().toISOString())
      .attach('file', Buffer.from('policy text'), 'policy.txt')
      .expect(201);
    const idsQuery = `SELECT id, ref FROM requirements WHERE "frameworkKey" = 'nist-ai-rmf-1.0' ORDER BY ref`;
    const idsBefore = await t.dataSource.query(idsQuery);

    const root = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wb-policies-')), 'policies');
    fs.cpSync(path.join(process.cwd(), 'policies'), root, { recursive: true });
    const file = path.join(root, 'frameworks', 'nist-ai-rmf-1.0.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('version: "1.0"', 'version: "1.0 (errata 1)"'));
    const result = await t.app.get(PolicyLoader).load(loadPolicySet(root));
    expect(result.changed).toBe(true);

    const frameworks = await t.http().get('/api/v1/frameworks').set(reader()).expect(200);
    expect(frameworks.body.find((f: { key: string }) => f.key === 'nist-ai-rmf-1.0').version).toBe('1.0 (errata 1)');
    expect(await t.dataSource.query(idsQuery)).toEqual(idsBefore);
    const linked = await t.http().get(`/api/v1/evidence/${evidence.body.id}`).set(specialist).expect(200);
    expect(linked.body.controlCodes).toEqual(['AIG-GOV-01']);
    await t.http().get(`/api/v1/systems/${system.body.id}/coverage`).set(specialist).expect(200);
  });
});
