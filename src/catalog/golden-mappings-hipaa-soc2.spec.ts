import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { loadPolicySet, RELATIONSHIPS } from './policy-files';

const ROOT = path.join(__dirname, '..', '..');
const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'golden-mappings-hipaa-soc2.yaml');
const FRAMEWORKS = ['hipaa-security', 'soc2-tsc-2017'];

interface Golden {
  control: string;
  framework: string;
  ref: string;
  relationship: string;
  strength: { min: number; max: number };
  basis: string;
}

const fixture = parse(fs.readFileSync(FIXTURE, 'utf8')) as { mappings: Golden[]; absent: Array<Omit<Golden, 'relationship' | 'strength'>> };

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

describe('golden HIPAA and SOC 2 mappings (test/fixtures/golden-mappings-hipaa-soc2.yaml)', () => {
  const policies = loadPolicySet(path.join(ROOT, 'policies'));
  const mappingOf = (control: string, framework: string, ref: string) =>
    policies.controls.find((c) => c.code === control)?.mappings.find((m) => m.framework === framework && m.ref === ref);

  it('holds at least 20 reviewed rows, each with the text it rests on', () => {
    expect(fixture.mappings.length).toBeGreaterThanOrEqual(20);
    for (const row of [...fixture.mappings, ...fixture.absent]) {
      expect(FRAMEWORKS).toContain(row.framework);
      expect(row.basis.length).toBeGreaterThan(40);
    }
    for (const row of fixture.mappings) {
      expect(RELATIONSHIPS).toContain(row.relationship);
      expect(fitsRubric(row.relationship, row.strength.min) && fitsRubric(row.relationship, row.strength.max)).toBe(true);
    }
  });

  it.each(fixture.mappings.map((r) => [`${r.control} ${r.relationship} ${r.framework} ${r.ref}`, r] as const))('the library holds %s', (_label, row) => {
    const mapping = mappingOf(row.control, row.framework, row.ref);
    expect({ mapped: mapping !== undefined, relationship: mapping?.relationship }).toEqual({ mapped: true, relationship: row.relationship });
    expect(mapping!.strength).toBeGreaterThanOrEqual(row.strength.min);
    expect(mapping!.strength).toBeLessThanOrEqual(row.strength.max);
  });

  it.each(fixture.absent.map((r) => [`${r.control} -> ${r.framework} ${r.ref}`, r] as const))('the library does not map %s', (_label, row) => {
    expect(mappingOf(row.control, row.framework, row.ref)).toBeUndefined();
  });

  it('pairs every HIPAA and SOC 2 strength with a relationship the rubric allows', () => {
    const misfits = policies.controls.flatMap((c) =>
      c.mappings.filter((m) => FRAMEWORKS.includes(m.framework) && !fitsRubric(m.relationship, m.strength)).map((m) => `${c.code} ${m.relationship} ${m.strength} ${m.framework} ${m.ref}`),
    );
    expect(misfits).toEqual([]);
  });
});
