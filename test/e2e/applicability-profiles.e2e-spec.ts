import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { bearer, startTestApp, TestApp } from '../factories/test-app';
import { minimalSystem } from '../factories/systems';

interface Profile {
  name: string;
  system: Record<string, unknown>;
  frameworks?: Record<string, string[] | false>;
  applies?: Record<string, string[]>;
  notApplies?: Record<string, string[]>;
  review?: string[];
  assumed?: Record<string, string[]>;
}

interface RequirementResult {
  framework: string;
  ref: string;
  applies: boolean;
  reason: string;
  rule: string | null;
  basis: string | null;
}

const PROFILES: Profile[] = parse(
  fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'applicability-profiles.yaml'), 'utf8'),
).profiles;
const FRAMEWORKS = ['nist-ai-rmf-1.0', 'gdpr', 'hipaa-security', 'soc2-tsc-2017'];

/** The golden profiles of test/fixtures/applicability-profiles.yaml, through the API on the configured database. */
describe('applicability golden profiles (e2e)', () => {
  let t: TestApp;
  /** framework -> ref -> the leaf refs at or below it that are judged per system (organisational leaves never apply). */
  const leavesBelow = new Map<string, Map<string, string[]>>();

  beforeAll(async () => {
    t = await startTestApp();
    for (const key of FRAMEWORKS) {
      const res = await t
        .http()
        .get(`/api/v1/frameworks/${key}/requirements?flat=true`)
        .set(bearer(t.users.governance_specialist))
        .expect(200);
      const rows: Array<{
        ref: string;
        parentRef: string | null;
        isLeaf: boolean;
        organisationalReason: string | null;
      }> = res.body.requirements;
      const parentOf = new Map(rows.map((r) => [r.ref, r.parentRef]));
      const below = new Map<string, string[]>(rows.map((r) => [r.ref, []]));
      for (const row of rows.filter((r) => r.isLeaf && !r.organisationalReason)) {
        for (let ref: string | null | undefined = row.ref; ref; ref = parentOf.get(ref)) below.get(ref)!.push(row.ref);
      }
      leavesBelow.set(key, below);
    }
  });
  afterAll(async () => t?.close());

  it('has at least 30 profiles, each with a legal basis comment in the fixture', () => {
    expect(PROFILES.length).toBeGreaterThanOrEqual(30);
    const text = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'applicability-profiles.yaml'), 'utf8');
    for (const profile of PROFILES)
      expect(text).toMatch(
        new RegExp(
          `#[^\\n]*\\n(?:\\s*#[^\\n]*\\n)*\\s*- name: ${profile.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n`,
        ),
      );
  });

  it.each(PROFILES.map((p) => [p.name, p] as const))('%s', async (_name, profile) => {
    const specialist = bearer(t.users.governance_specialist);
    const created = await t
      .http()
      .post('/api/v1/systems')
      .set(specialist)
      .send(minimalSystem({ name: profile.name, ...profile.system }))
      .expect(201);
    if (profile.review) {
      expect(created.body.applicabilityReviewFacts).toEqual(profile.review);
      expect(created.body.applicabilityNeedsReview).toBe(profile.review.length > 0);
    }
    const res = await t.http().get(`/api/v1/systems/${created.body.id}/applicability`).set(specialist).expect(200);
    const frameworks = new Map<
      string,
      { applies: boolean; rules: Array<{ id: string; reason: string; basis: string; assumed: string[] }> }
    >(res.body.frameworks.map((f: { framework: string }) => [f.framework, f]));
    for (const [key, expected] of Object.entries(profile.frameworks ?? {})) {
      const actual = frameworks.get(key)!;
      if (expected === false) {
        expect({ key, applies: actual.applies }).toEqual({ key, applies: false });
        continue;
      }
      expect({ key, rules: actual.rules.map((r) => r.id) }).toEqual({ key, rules: expected });
      for (const rule of actual.rules) expect(rule.basis.length).toBeGreaterThan(3);
    }
    for (const [key, facts] of Object.entries(profile.assumed ?? {})) {
      expect({ key, assumed: [...new Set(frameworks.get(key)!.rules.flatMap((r) => r.assumed))].sort() }).toEqual({
        key,
        assumed: [...facts].sort(),
      });
    }
    const results = new Map<string, RequirementResult>();
    for (const r of [...res.body.requirements, ...res.body.notApplicable] as RequirementResult[])
      results.set(`${r.framework}|${r.ref}`, r);
    const check = (expectation: Record<string, string[]> | undefined, applies: boolean) => {
      for (const [key, refs] of Object.entries(expectation ?? {})) {
        for (const ref of refs) {
          const leaves = leavesBelow.get(key)?.get(ref);
          expect({ key, ref, known: leaves !== undefined && leaves.length > 0 }).toEqual({ key, ref, known: true });
          for (const leaf of leaves!) {
            const result = results.get(`${key}|${leaf}`);
            expect({ key, ref: leaf, applies: result?.applies ?? false }).toEqual({ key, ref: leaf, applies });
            if (applies) expect(result!.basis ?? '').not.toBe('');
          }
        }
      }
    };
    check(profile.applies, true);
    check(profile.notApplies, false);
  });
});
