import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { bearer, startTestApp, TestApp } from '../factories/test-app';

interface Sample {
  from: string;
  to: string;
  expect: 'linked' | 'not-equivalent';
  allowed?: string[];
}

const FILE = path.join(__dirname, '..', 'fixtures', 'crosswalk-samples.yaml');
const TEXT = fs.readFileSync(FILE, 'utf8');
const SAMPLES = (parse(TEXT) as { samples: Sample[] }).samples;
const split = (key: string) => {
  const at = key.indexOf(' ');
  return { framework: key.slice(0, at), ref: key.slice(at + 1) };
};

interface Link {
  fromRef: string;
  toRef: string;
  relationship: string;
  via: Array<{ controlCode: string }>;
}

interface External {
  title: string;
  method: string;
  links: Array<{ fromRef: string; toRef: string; relationship: string; remarks: string }>;
}

const OSCAL_RELATIONSHIPS = ['equal-to', 'equivalent-to', 'subset-of', 'superset-of', 'intersects-with'];

/**
 * The linked samples of one framework pair as an OSCAL 1.2 mapping collection, the way a public crosswalk would be
 * published (method human): each map asserts the strongest OSCAL relationship the sample allows (intersects-with when
 * it names none). Not-equivalent samples are left out: OSCAL has no "not equivalent" relationship.
 */
function samplesCollection(from: string, to: string, samples: Sample[]) {
  const now = '2026-12-01T00:00:00.000Z';
  return {
    'mapping-collection': {
      uuid: randomUUID(),
      metadata: {
        title: `Public crosswalk samples ${from} -> ${to}`,
        'last-modified': now,
        version: '1',
        'oscal-version': '1.2.1',
      },
      provenance: {
        method: 'human',
        'matching-rationale': 'semantic',
        status: 'complete',
        'mapping-description': 'Samples from public crosswalks, test/fixtures/crosswalk-samples.yaml.',
      },
      mappings: [
        {
          uuid: randomUUID(),
          'source-resource': { type: 'catalog', href: `/api/v1/frameworks/${from}/oscal` },
          'target-resource': { type: 'catalog', href: `/api/v1/frameworks/${to}/oscal` },
          maps: samples.map((sample) => ({
            uuid: randomUUID(),
            relationship: sample.allowed?.find((r) => OSCAL_RELATIONSHIPS.includes(r)) ?? 'intersects-with',
            // Refs resolve as they are; the import also takes the catalogs' OSCAL tokens.
            sources: [{ type: 'control', 'id-ref': split(sample.from).ref }],
            targets: [{ type: 'control', 'id-ref': split(sample.to).ref }],
            remarks: `${sample.from} -> ${sample.to}`,
          })),
        },
      ],
    },
  };
}

/** Public crosswalk samples against the crosswalk derived from the catalog as loaded into the database. */
describe('crosswalk samples from public crosswalks (e2e)', () => {
  let t: TestApp;
  const crosswalks = new Map<string, Link[]>();
  const externals = new Map<string, External[]>();
  beforeAll(async () => {
    t = await startTestApp();
    for (const pair of new Set(SAMPLES.map((s) => `${split(s.from).framework}|${split(s.to).framework}`))) {
      const [from, to] = pair.split('|');
      const linked = SAMPLES.filter(
        (s) => s.expect === 'linked' && split(s.from).framework === from && split(s.to).framework === to,
      );
      // The public samples go in as an external crosswalk source, shown beside the derived crosswalk.
      if (linked.length)
        await t
          .http()
          .post('/api/v1/crosswalk/import/oscal')
          .set(bearer(t.users.governance_specialist))
          .send(samplesCollection(from, to, linked))
          .expect(201);
      const res = await t
        .http()
        .get(`/api/v1/crosswalk?from=${from}&to=${to}`)
        .set(bearer(t.users.auditor))
        .expect(200);
      crosswalks.set(pair, res.body.links);
      externals.set(pair, res.body.external);
    }
  });
  afterAll(async () => t?.close());

  it('keeps at least 15 samples, each with its source', () => {
    expect(SAMPLES.length).toBeGreaterThanOrEqual(15);
    expect(TEXT.match(/^ {2}# Source: /gm)?.length).toBe(SAMPLES.length);
  });

  it.each(SAMPLES.map((s) => [`${s.from} -> ${s.to} (${s.expect})`, s] as const))('%s', (_label, sample) => {
    const from = split(sample.from);
    const to = split(sample.to);
    const link = crosswalks
      .get(`${from.framework}|${to.framework}`)!
      .find((l) => l.fromRef === from.ref && l.toRef === to.ref);
    const external = externals.get(`${from.framework}|${to.framework}`)!.flatMap((e) => e.links);
    const asserted = external.find((l) => l.fromRef === from.ref && l.toRef === to.ref);
    if (sample.expect === 'linked') {
      // The imported public sample is listed beside the derived link, which must not claim more than it allows.
      expect(asserted).toMatchObject({ remarks: `${sample.from} -> ${sample.to}` });
      expect(link).toBeDefined();
      expect(link!.via.length).toBeGreaterThan(0);
      if (sample.allowed) expect(sample.allowed).toContain(link!.relationship);
    } else {
      expect(asserted).toBeUndefined();
      expect(['equal-to', 'equivalent-to']).not.toContain(link?.relationship);
    }
  });
});
