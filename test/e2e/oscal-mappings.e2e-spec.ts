import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { oscalToken } from '../../src/oscal/oscal-ids';
import { catalogIds, expectValidOscal, unresolvedReferences } from '../factories/oscal-checks';
import { bearer, startTestApp, TestApp } from '../factories/test-app';

const FROM = 'hipaa-security';
const TO = 'soc2-tsc-2017';

type Prop = { name: string; value: string };
type MapEntry = {
  uuid: string;
  relationship: string;
  sources: Array<{ 'id-ref': string }>;
  targets: Array<{ 'id-ref': string }>;
  props?: Prop[];
  coverage?: { 'target-coverage': number };
  remarks?: string;
};
type Mapping = {
  'source-resource': { href: string };
  'target-resource': { href: string };
  maps: MapEntry[];
  props?: Prop[];
  remarks?: string;
};
type DerivedLink = {
  fromRef: string;
  toRef: string;
  relationship: string;
  oscalRelationship: string | null;
  strength: number;
  via: Array<{ controlCode: string }>;
};
type ExternalSource = {
  id: string;
  method: string;
  links: Array<{ fromRef: string; toRef: string; relationship: string; strength: number | null }>;
};

describe('OSCAL mapping collections (e2e)', () => {
  let t: TestApp;
  const specialist = () => bearer(t.users.governance_specialist);
  const get = async (url: string) =>
    (await t.http().get(url).set(specialist()).expect(200)).body as Record<string, unknown>;
  const upload = (document: unknown, query = '') =>
    t
      .http()
      .post(`/api/v1/crosswalk/import/oscal${query}`)
      .set(specialist())
      .attach('file', Buffer.from(JSON.stringify(document)), {
        filename: 'mapping.json',
        contentType: 'application/json',
      });
  const crosswalk = async (from = FROM, to = TO) =>
    (await t.http().get(`/api/v1/crosswalk?from=${from}&to=${to}`).set(bearer(t.users.auditor)).expect(200)).body as {
      links: DerivedLink[];
      external: ExternalSource[];
    };

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  it('exports every control -> requirement mapping of the library, valid, reproducible and resolving', async () => {
    const first = await t.http().get('/api/v1/oscal/mappings/control-library').set(bearer(t.users.auditor)).expect(200);
    const second = await t.http().get('/api/v1/oscal/mappings/control-library').set(specialist()).expect(200);
    expectValidOscal('mapping-collection', first.body);
    expect(unresolvedReferences(first.body)).toEqual([]);
    expect(second.text).toBe(first.text);
    const collection = first.body['mapping-collection'];
    expect(collection.metadata['oscal-version']).toBe('1.2.1');
    expect(collection.provenance).toMatchObject({ method: 'human', 'matching-rationale': 'semantic' });

    const library = catalogIds(await get('/api/v1/oscal/control-library'));
    const frameworks = (await get('/api/v1/frameworks')) as unknown as Array<{ key: string }>;
    let maps = 0;
    for (const mapping of collection.mappings as Mapping[]) {
      const key = /frameworks\/([^/]+)\/oscal$/.exec(mapping['target-resource'].href)![1];
      expect(frameworks.map((f) => f.key)).toContain(key);
      const requirements = catalogIds(await get(`/api/v1/frameworks/${key}/oscal`));
      for (const map of mapping.maps) {
        maps++;
        for (const s of map.sources) expect(library.has(s['id-ref'])).toBe(true);
        for (const target of map.targets) expect([key, requirements.has(target['id-ref'])]).toEqual([key, true]);
      }
    }
    // One map per mapping row of the library, each with its relationship, strength and rationale.
    const controls = (await get('/api/v1/controls')) as unknown as Array<{
      code: string;
      mappingCounts: Record<string, number>;
    }>;
    const rows = controls.reduce((n, c) => n + Object.values(c.mappingCounts).reduce((a, b) => a + b, 0), 0);
    expect(maps).toBe(rows);
    const sec05 = (await get('/api/v1/controls/AIG-SEC-05')) as {
      mappings: Array<{ framework: string; ref: string; relationship: string; strength: number; rationale: string }>;
    };
    const soc2 = (collection.mappings as Mapping[]).find((m) => m['target-resource'].href.endsWith(`/${TO}/oscal`))!;
    const mapping = sec05.mappings.find((m) => m.framework === TO)!;
    const map = soc2.maps.find(
      (m) => m.sources[0]['id-ref'] === 'AIG-SEC-05' && m.targets[0]['id-ref'] === oscalToken(mapping.ref),
    )!;
    expect(map.relationship).toBe(mapping.relationship);
    expect(map.props).toContainEqual(expect.objectContaining({ name: 'strength', value: String(mapping.strength) }));
    expect(map.coverage!['target-coverage']).toBe(mapping.strength / 10);
    expect(map.remarks).toBe(mapping.rationale);
  });

  it('exports the derived crosswalk with its linking controls and rules, leaving overlaps and related out', async () => {
    const url = `/api/v1/crosswalk/oscal?from=${FROM}&to=${TO}`;
    const first = await t.http().get(url).set(bearer(t.users.auditor)).expect(200);
    expect((await t.http().get(url).set(specialist()).expect(200)).text).toBe(first.text);
    expectValidOscal('mapping-collection', first.body);
    expect(unresolvedReferences(first.body)).toEqual([]);
    const collection = first.body['mapping-collection'];
    expect(collection.provenance.method).toBe('automation');
    const [mapping] = collection.mappings as Mapping[];
    const { links } = await crosswalk();
    const oscal = links.filter((l) => l.oscalRelationship);
    const other = links.filter((l) => !l.oscalRelationship);
    expect(other.length).toBeGreaterThan(0);
    expect(mapping.maps).toHaveLength(oscal.length);
    expect(
      mapping.maps.every((m) =>
        ['equal-to', 'equivalent-to', 'subset-of', 'superset-of', 'intersects-with'].includes(m.relationship),
      ),
    ).toBe(true);
    const fromIds = catalogIds(await get(`/api/v1/frameworks/${FROM}/oscal`));
    const toIds = catalogIds(await get(`/api/v1/frameworks/${TO}/oscal`));
    for (const map of mapping.maps) {
      expect(fromIds.has(map.sources[0]['id-ref']) && toIds.has(map.targets[0]['id-ref'])).toBe(true);
      const names = map.props!.map((p) => p.name);
      expect(names).toEqual(expect.arrayContaining(['linking-control', 'algebra-rule', 'strength']));
    }
    const sample = oscal[0];
    const rule = mapping.maps
      .find((m) => m.props!.some((p) => p.name === 'linking-control' && p.value === sample.via[0].controlCode))!
      .props!.find((p) => p.name === 'algebra-rule')!.value;
    expect(rule).toMatch(/^rel\(AIG-[A-Z]+-\d+, A\) = [a-z-]+, rel\(AIG-[A-Z]+-\d+, B\) = [a-z-]+ -> A [a-z-]+ B$/);
    expect(mapping.props).toContainEqual(
      expect.objectContaining({ name: 'not-exported-links', value: String(other.length) }),
    );
    expect(mapping.remarks).toContain(`${other[0].fromRef} -> ${other[0].toRef} ${other[0].relationship}`);
    await t.http().get(`/api/v1/crosswalk/oscal?from=${FROM}&to=nope`).set(specialist()).expect(404);
    await t.http().get(`/api/v1/crosswalk/oscal?from=${FROM}`).set(specialist()).expect(400);
  });

  it('round-trips: the exported crosswalk imported as an external source gives the same links beside the derived ones', async () => {
    const exported = await get(`/api/v1/crosswalk/oscal?from=${FROM}&to=${TO}`);
    const before = await crosswalk();
    expect(before.external).toEqual([]);
    const imported = await upload(exported).expect(201);
    expect(imported.body).toMatchObject({ pairs: [`${FROM} -> ${TO}`] });
    const after = await crosswalk();
    expect(after.links).toEqual(before.links);
    expect(after.external).toHaveLength(1);
    const [source] = after.external;
    expect(source).toMatchObject({ id: imported.body.id, method: 'automation' });
    const key = (l: { fromRef: string; toRef: string; relationship: string; strength: number | null }) =>
      `${l.fromRef}|${l.toRef}|${l.relationship}|${l.strength}`;
    expect(source.links.map(key).sort()).toEqual(
      before.links
        .filter((l) => l.oscalRelationship)
        .map((l) => key({ ...l, relationship: l.oscalRelationship! }))
        .sort(),
    );
    // Imported in the other direction it is not shown for this one.
    expect((await crosswalk(TO, FROM)).external).toEqual([]);
    const log = await t.http().get('/api/v1/audit-log').set(specialist()).expect(200);
    expect(JSON.stringify(log.body)).toContain('crosswalk.import');
    // A JSON body (under the 1 MB body limit) is taken too; a writer's permission is needed.
    const small = structuredClone(exported) as { 'mapping-collection': { mappings: Mapping[] } };
    small['mapping-collection'].mappings[0].maps = small['mapping-collection'].mappings[0].maps.slice(0, 2);
    await t.http().post('/api/v1/crosswalk/import/oscal').set(specialist()).send(small).expect(201);
    await t.http().post('/api/v1/crosswalk/import/oscal').set(bearer(t.users.engineer)).send(small).expect(403);
    expect((await crosswalk()).external).toHaveLength(2);
  });

  it('refuses ids that do not resolve (400 listing them), files over 20 MB (413) and what is not a mapping collection, storing nothing', async () => {
    const exported = (await get(`/api/v1/crosswalk/oscal?from=${FROM}&to=${TO}`)) as {
      'mapping-collection': { uuid: string; mappings: Mapping[] };
    };
    const count = async () => (await crosswalk()).external.length;
    const stored = await count();

    const bad = structuredClone(exported);
    bad['mapping-collection'].uuid = randomUUID();
    bad['mapping-collection'].mappings[0].maps[0].sources[0]['id-ref'] = 'no-such-requirement';
    bad['mapping-collection'].mappings[0].maps[3].targets[0]['id-ref'] = 'CC99.9';
    const unresolved = await upload(bad).expect(400);
    expect(unresolved.body.details.unresolved).toEqual([
      `/mapping-collection/mappings/0/maps/0/sources/0: no-such-requirement not in ${FROM}`,
      `/mapping-collection/mappings/0/maps/3/targets/0: CC99.9 not in ${TO}`,
    ]);
    expect(unresolved.body.message).toContain('no-such-requirement');

    // Another tool's catalog hrefs resolve only when from and to name loaded frameworks.
    const foreign = structuredClone(exported);
    foreign['mapping-collection'].mappings[0]['source-resource'].href = 'https://example.org/hipaa.json';
    foreign['mapping-collection'].mappings[0]['target-resource'].href = 'https://example.org/soc2.json';
    const unknown = await upload(foreign).expect(400);
    expect(unknown.body.details.unresolved[0]).toContain('/mapping-collection/mappings/0/source-resource/href');
    await upload(foreign, `?from=${FROM}&to=no-such-framework`).expect(400);
    expect(await count()).toBe(stored);
    await upload(foreign, `?from=${FROM}&to=${TO}`).expect(201);
    expect(await count()).toBe(stored + 1);

    const invalid = await upload({ 'mapping-collection': { uuid: 'x' } }).expect(400);
    expect(invalid.body.message).toContain('/mapping-collection');
    await upload({ catalog: {} }).expect(400);
    const big = Buffer.alloc(20 * 1024 * 1024 + 1, 0x20);
    const tooLarge = await t
      .http()
      .post('/api/v1/crosswalk/import/oscal')
      .set(specialist())
      .attach('file', big, { filename: 'big.json', contentType: 'application/json' })
      .expect(413);
    expect(tooLarge.body.message).toContain('20 MB');
    await t
      .http()
      .post('/api/v1/crosswalk/import/oscal')
      .set(specialist())
      .attach('file', Buffer.from('{not json'), { filename: 'x.json' })
      .expect(400);
    expect(await count()).toBe(stored + 1);
  });

  it('npm run oscal -- validate checks any OSCAL file against the 1.2.1 schemas, by JSON path, exit 1 when invalid', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oscal-validate-'));
    try {
      const good = path.join(dir, 'good.json');
      const bad = path.join(dir, 'bad.json');
      const document = await get(`/api/v1/crosswalk/oscal?from=${FROM}&to=${TO}`);
      fs.writeFileSync(good, JSON.stringify(document));
      const broken = structuredClone(document) as { 'mapping-collection': { provenance: { method: string } } };
      broken['mapping-collection'].provenance.method = 'guesswork';
      fs.writeFileSync(bad, JSON.stringify(broken));
      const run = (file: string) =>
        spawnSync(
          process.execPath,
          [require.resolve('ts-node/dist/bin'), '--transpile-only', 'scripts/oscal.ts', 'validate', file],
          {
            cwd: path.join(__dirname, '..', '..'),
            encoding: 'utf8',
          },
        );
      const ok = run(good);
      expect([ok.status, ok.stdout.trim()]).toEqual([0, `${good}: valid OSCAL 1.2.1 mapping-collection`]);
      const ko = run(bad);
      expect(ko.status).toBe(1);
      expect(ko.stderr).toContain('/mapping-collection/provenance/method: must be equal to one of the allowed values');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
