import { expectValidOscal, unknownControlIds, unresolvedReferences } from '../factories/oscal-checks';
import { allFrameworksSystem, minimalSystem } from '../factories/systems';
import { bearer, startTestApp, TestApp } from '../factories/test-app';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const FRAMEWORK = 'soc2-tsc-2017';

type Prop = { name: string; value: string };
type ByComponent = {
  'component-uuid': string;
  description: string;
  props: Prop[];
  links?: Array<{ href: string; rel: string }>;
  'implementation-status': { state: string };
  'responsible-roles': Array<{ 'role-id': string; 'party-uuids'?: string[] }>;
};
type Implemented = { 'control-id': string; props: Prop[]; 'by-components'?: ByComponent[] };

describe('OSCAL system security plan (e2e)', () => {
  let t: TestApp;
  let systemId: string;
  let evidenceSha: string;
  const specialist = () => bearer(t.users.governance_specialist);
  const ssp = (query = `?framework=${FRAMEWORK}`, id = systemId) =>
    t.http().get(`/api/v1/systems/${id}/oscal/ssp${query}`).set(specialist());

  beforeAll(async () => {
    t = await startTestApp();
    systemId = (await t.http().post('/api/v1/systems').set(specialist()).send(allFrameworksSystem()).expect(201)).body
      .id;
    const upload = await t
      .http()
      .post(`/api/v1/systems/${systemId}/evidence`)
      .set(bearer(t.users.engineer))
      .field('controlCodes[]', 'AIG-SEC-05')
      .field('title', 'Access review Q3')
      .field('kind', 'document')
      .field('collectedAt', new Date(Date.now() - 60000).toISOString())
      .field('validUntil', new Date(Date.now() + 90 * 86400000).toISOString())
      .attach('file', PDF, { filename: 'report.pdf', contentType: 'application/pdf' })
      .expect(201);
    evidenceSha = upload.body.sha256;
    await t
      .http()
      .post(`/api/v1/evidence/${upload.body.id}/review`)
      .set(specialist())
      .send({ decision: 'accepted' })
      .expect(200);
    await t
      .http()
      .patch(`/api/v1/systems/${systemId}/controls/AIG-SEC-05`)
      .set(specialist())
      .send({
        status: 'implemented',
        statement: 'SSO with MFA for every console',
        owner: 'Identity team',
        ownerUserId: t.users.engineer.id,
      })
      .expect(200);
  });
  afterAll(async () => t?.close());

  it('exports a valid, reproducible SSP whose control-ids and uuid references resolve', async () => {
    const first = await ssp().expect(200);
    expect((await ssp().expect(200)).text).toBe(first.text);
    expectValidOscal('system-security-plan', first.body);
    expect(unresolvedReferences(first.body)).toEqual([]);
    const plan = first.body['system-security-plan'];
    expect(plan.metadata['oscal-version']).toBe('1.2.1');
    expect(plan['import-profile'].href).toBe(`/api/v1/frameworks/${FRAMEWORK}/oscal`);
    const catalog = (await t.http().get(plan['import-profile'].href).set(specialist()).expect(200)).body;
    expect(unknownControlIds(first.body, catalog)).toEqual([]);

    const characteristics = plan['system-characteristics'];
    expect(characteristics['system-name']).toBe('Clinical triage assistant');
    expect(characteristics.description).toBe(allFrameworksSystem().purpose);
    expect(characteristics['system-information']['information-types'].map((i: { title: string }) => i.title)).toEqual([
      'Personal data',
      'Special categories of personal data',
      'Electronic protected health information',
    ]);
    expect(characteristics.props).toContainEqual(expect.objectContaining({ name: 'risk-tier', value: 'high' }));
    expect(characteristics['authorization-boundary'].remarks).toContain('boundary');
    expect(characteristics.status.state).toBe('operational');
    const components = plan['system-implementation'].components as Array<{ uuid: string; type: string; title: string }>;
    expect(components.map((c) => [c.type, c.title])).toEqual([
      ['this-system', 'Clinical triage assistant'],
      ['service', 'vendor-llm-2026'],
    ]);

    // Applicable requirements of the framework, each with a statement per implemented mapped control.
    const coverage = (await t.http().get(`/api/v1/systems/${systemId}/coverage`).set(specialist()).expect(200)).body;
    const soc2 = (coverage.frameworks ?? coverage).find((f: { framework: string }) => f.framework === FRAMEWORK);
    const applicable = soc2.requirements.filter((r: { status: string }) => r.status !== 'not_applicable');
    const implemented = plan['control-implementation']['implemented-requirements'] as Implemented[];
    expect(implemented).toHaveLength(applicable.length);
    const withSec05 = implemented.filter((r) =>
      r['by-components']?.some((b) => b.props.some((p) => p.name === 'control' && p.value === 'AIG-SEC-05')),
    );
    expect(withSec05.length).toBeGreaterThan(0);
    const statement = withSec05[0]['by-components']!.find((b) => b.props.some((p) => p.value === 'AIG-SEC-05'))!;
    expect(statement.description).toBe('SSO with MFA for every console');
    expect(statement['component-uuid']).toBe(components[0].uuid);
    expect(statement['implementation-status'].state).toBe('implemented');
    // Evidence: a link to a back-matter resource that carries the file's SHA-256.
    const resourceUuid = statement.links!.find((l) => l.rel === 'evidence')!.href.slice(1);
    const resource = plan['back-matter'].resources.find((r: { uuid: string }) => r.uuid === resourceUuid);
    expect(resource.rlinks[0].hashes).toEqual([{ algorithm: 'SHA-256', value: evidenceSha }]);
    // Responsible role: the control's owner role, performed by the named owner.
    const [role] = statement['responsible-roles'];
    expect(plan.metadata.roles.map((r: { id: string }) => r.id)).toContain(role['role-id']);
    const party = plan.metadata.parties.find((p: { uuid: string }) => p.uuid === role['party-uuids']![0]);
    expect(party).toMatchObject({ type: 'person', 'email-addresses': [t.users.engineer.email] });
  });

  it('needs a framework when several apply (named in the 400), refuses one that does not apply, and hides the plan from outsiders', async () => {
    const several = await ssp('').expect(400);
    expect(several.body.message).toContain('framework');
    expect(several.body.message).toContain(FRAMEWORK);
    const single = (await t.http().post('/api/v1/systems').set(specialist()).send(minimalSystem()).expect(201)).body.id;
    const only = await ssp('?framework=nist-ai-rmf-1.0', single).expect(200);
    expectValidOscal('system-security-plan', only.body);
    expect(unresolvedReferences(only.body)).toEqual([]);
    expect(
      only.body['system-security-plan']['system-characteristics']['system-information']['information-types'],
    ).toEqual([expect.objectContaining({ title: 'No personal data' })]);
    expect((await ssp('?framework=gdpr', single).expect(400)).body.message).toContain('does not apply');
    await ssp('?framework=no-such-framework').expect(404);
    await ssp('?framework=Bad Key').expect(400);
    await t
      .http()
      .get(`/api/v1/systems/${systemId}/oscal/ssp?framework=${FRAMEWORK}`)
      .set(bearer(t.users.auditor))
      .expect(404);
  });
});
