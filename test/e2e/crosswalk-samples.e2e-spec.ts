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

/** Public crosswalk samples against the crosswalk derived from the catalog as loaded into the database. */
describe('crosswalk samples from public crosswalks (e2e)', () => {
  let t: TestApp;
  const crosswalks = new Map<string, Link[]>();
  beforeAll(async () => {
    t = await startTestApp();
    for (const pair of new Set(SAMPLES.map((s) => `${split(s.from).framework}|${split(s.to).framework}`))) {
      const [from, to] = pair.split('|');
      const res = await t
        .http()
        .get(`/api/v1/crosswalk?from=${from}&to=${to}`)
        .set(bearer(t.users.auditor))
        .expect(200);
      crosswalks.set(pair, res.body.links);
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
    if (sample.expect === 'linked') {
      expect(link).toBeDefined();
      expect(link!.via.length).toBeGreaterThan(0);
      if (sample.allowed) expect(sample.allowed).toContain(link!.relationship);
    } else {
      expect(['equal-to', 'equivalent-to']).not.toContain(link?.relationship);
    }
  });
});
