import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { leavesWithoutSufficientPath } from './library-coverage';
import { RELATIONSHIPS } from './catalog-defs';
import { loadPolicySet } from './policy-files';

const ROOT = path.join(__dirname, '..', '..');
const FIXTURES = path.join(ROOT, 'test', 'fixtures');

interface GoldenRow {
  control: string;
  framework: string;
  ref: string;
  relationship: string;
  strength: { min: number; max: number };
  basis: string;
  file: string;
}
type AbsentRow = Omit<GoldenRow, 'relationship' | 'strength'>;

/**
 * Every test/fixtures/golden-mappings-*.yaml: `mappings` the library must hold, and `absent` mappings a review
 * removed because they were wrong, so that they do not come back. Each file covers the frameworks it is named after.
 */
function fixtures(): Array<{ file: string; mappings: GoldenRow[]; absent: AbsentRow[] }> {
  return fs
    .readdirSync(FIXTURES)
    .filter((f) => /^golden-mappings-.+\.ya?ml$/.test(f))
    .sort()
    .map((file) => {
      const doc = parse(fs.readFileSync(path.join(FIXTURES, file), 'utf8')) as {
        mappings: GoldenRow[];
        absent?: AbsentRow[];
      };
      return {
        file,
        mappings: doc.mappings.map((r) => ({ ...r, file })),
        absent: (doc.absent ?? []).map((r) => ({ ...r, file })),
      };
    });
}
const FIXTURE_FRAMEWORKS: Record<string, string[]> = {
  'golden-mappings-eu-ai-act.yaml': ['eu-ai-act'],
  'golden-mappings-gdpr-nist.yaml': ['gdpr', 'nist-ai-rmf-1.0'],
  'golden-mappings-hipaa-soc2.yaml': ['hipaa-security', 'soc2-tsc-2017'],
};

/**
 * The strength rubric of policies/README.md: 7 and above only with a relationship that can be sufficient (equal-to
 * 9-10), subset-of 3-6 (the rest is left to other controls), intersects-with at most 6.
 */
function fitsRubric(relationship: string, strength: number): boolean {
  if (relationship === 'equal-to') return strength >= 9;
  if (relationship === 'equivalent-to' || relationship === 'superset-of') return strength >= 7;
  if (relationship === 'subset-of') return strength >= 3 && strength <= 6;
  return strength <= 6;
}

/** GDPR articles addressed to states, authorities or the Commission, or on scope and definitions (issue 14.5). */
const ORGANISATIONAL_ARTICLES = [
  1,
  2,
  3,
  4,
  23,
  40,
  41,
  42,
  43,
  50,
  ...Array.from({ length: 38 }, (_, i) => 51 + i),
  90,
  91,
  92,
  93,
  94,
  95,
  96,
  97,
  98,
  99,
];

describe('golden mappings (test/fixtures/golden-mappings-*.yaml)', () => {
  const policies = loadPolicySet(path.join(ROOT, 'policies'));
  const files = fixtures();
  const rows = files.flatMap((f) => f.mappings);
  const absent = files.flatMap((f) => f.absent);
  const mappingOf = (control: string, framework: string, ref: string) =>
    policies.controls.find((c) => c.code === control)?.mappings.find((m) => m.framework === framework && m.ref === ref);

  it('holds at least 20 reviewed rows per fixture, each for its frameworks, with the text it rests on', () => {
    expect(files.map((f) => f.file)).toEqual(Object.keys(FIXTURE_FRAMEWORKS).sort());
    for (const f of files) expect(f.mappings.length).toBeGreaterThanOrEqual(20);
    for (const row of [...rows, ...absent]) {
      expect(FIXTURE_FRAMEWORKS[row.file]).toContain(row.framework);
      expect(row.basis.length).toBeGreaterThan(40);
    }
    for (const row of rows) {
      expect(RELATIONSHIPS).toContain(row.relationship);
      expect(fitsRubric(row.relationship, row.strength.min) && fitsRubric(row.relationship, row.strength.max)).toBe(
        true,
      );
    }
  });

  it.each(rows.map((r) => [`${r.control} ${r.relationship} ${r.framework} ${r.ref}`, r] as const))(
    'the library holds %s',
    (_label, row) => {
      const mapping = mappingOf(row.control, row.framework, row.ref);
      expect({ mapped: mapping !== undefined, relationship: mapping?.relationship }).toEqual({
        mapped: true,
        relationship: row.relationship,
      });
      expect(mapping!.strength).toBeGreaterThanOrEqual(row.strength.min);
      expect(mapping!.strength).toBeLessThanOrEqual(row.strength.max);
    },
  );

  it.each(absent.map((r) => [`${r.control} -> ${r.framework} ${r.ref}`, r] as const))(
    'the library does not map %s',
    (_label, row) => {
      expect(mappingOf(row.control, row.framework, row.ref)).toBeUndefined();
    },
  );

  it('pairs every strength with a relationship the rubric allows, in every framework', () => {
    const misfits = policies.controls.flatMap((c) =>
      c.mappings
        .filter((m) => !fitsRubric(m.relationship, m.strength))
        .map((m) => `${c.code} ${m.relationship} ${m.strength} ${m.framework} ${m.ref}`),
    );
    expect(misfits).toEqual([]);
  });

  it('gives every GDPR and NIST AI RMF leaf a sufficient path, or lists it as organisational', () => {
    const without = leavesWithoutSufficientPath(policies).filter((l) =>
      ['gdpr', 'nist-ai-rmf-1.0'].includes(l.framework),
    );
    expect(without.map((l) => `${l.framework} ${l.ref}`)).toEqual([]);
  });

  it('refuses, as the loader does at start-up, a GDPR or NIST leaf that loses its only sufficient path', () => {
    const root = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wb-golden-')), 'policies');
    fs.cpSync(path.join(ROOT, 'policies'), root, { recursive: true });
    const file = path.join(root, 'coverage.yaml');
    const text = fs.readFileSync(file, 'utf8');
    const set = / {2}- framework: gdpr\n {4}ref: "Art\. 32\(1\)\(a\)"\n( {4}.*\n)+?(?= {2}- |\s*$)/;
    expect(text).toMatch(set);
    fs.writeFileSync(file, text.replace(set, ''));
    expect(() => loadPolicySet(root)).toThrow(
      /frameworks\/gdpr\.yaml: entry "Art\. 32\(1\)\(a\)", field "\(coverage\)": no sufficient path/,
    );
  });

  it('lists GDPR articles on scope, definitions, states and authorities as organisational, whole', () => {
    const gdpr = policies.frameworks.find((f) => f.key === 'gdpr')!;
    const excluded = new Set(policies.exclusions.filter((e) => e.framework === 'gdpr').map((e) => e.ref));
    const articleOf = (ref: string): number => Number(/^Art\. (\d+)/.exec(ref)?.[1]);
    const perSystem = gdpr.requirements.filter(
      (r) => r.isLeaf && ORGANISATIONAL_ARTICLES.includes(articleOf(r.ref)) && !excluded.has(r.ref),
    );
    expect(perSystem.map((r) => r.ref)).toEqual([]);
  });
});
