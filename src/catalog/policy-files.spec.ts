import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadPolicySet, PolicyValidationError } from './policy-files';

const REAL = path.join(__dirname, '..', '..', 'policies');

/** A copy of the real policies/ with one file rewritten, so each refusal is tested against otherwise valid data. */
function policiesWith(edit: (root: string) => void): string {
  const root = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wb-policies-')), 'policies');
  fs.cpSync(REAL, root, { recursive: true });
  edit(root);
  return root;
}

function problemsOf(root: string): string[] {
  try {
    loadPolicySet(root);
  } catch (error) {
    if (error instanceof PolicyValidationError) return error.problems.map((p) => p.message);
    throw error;
  }
  return [];
}

function rewrite(root: string, file: string, from: string | RegExp, to: string): void {
  const full = path.join(root, file);
  const text = fs.readFileSync(full, 'utf8');
  const next = text.replace(from, to);
  if (next === text) throw new Error(`test setup: ${String(from)} not found in ${file}`);
  fs.writeFileSync(full, next);
}

describe('policy loader validation', () => {
  it('accepts the shipped policies with the exact reference counts', () => {
    const set = loadPolicySet(REAL);
    const count = (key: string, level: string) => set.frameworks.find((f) => f.key === key)!.requirements.filter((r) => r.level === level).length;
    expect([count('nist-ai-rmf-1.0', 'function'), count('nist-ai-rmf-1.0', 'category'), count('nist-ai-rmf-1.0', 'subcategory')]).toEqual([4, 19, 72]);
    expect([count('gdpr', 'chapter'), count('gdpr', 'article')]).toEqual([11, 99]);
    expect([count('hipaa-security', 'standard'), count('hipaa-security', 'implementation_spec')]).toEqual([22, 46]);
    expect(count('soc2-tsc-2017', 'criterion')).toBe(61);
    expect(set.controls.length).toBeGreaterThanOrEqual(60);
  });

  it('refuses a mapping to an unknown requirement, naming file, control and field', () => {
    const root = policiesWith((r) => rewrite(r, 'controls/governance.yaml', /ref: GOVERN 1\.2\n/, 'ref: GOVERN 9.9\n'));
    expect(problemsOf(root)).toEqual([
      expect.stringMatching(/policies\/controls\/governance\.yaml: entry "AIG-GOV-01", field "mappings\[\d+\]\.ref": unknown requirement "GOVERN 9\.9" in framework nist-ai-rmf-1\.0/),
    ]);
  });

  it('refuses a duplicate control code', () => {
    const root = policiesWith((r) => rewrite(r, 'controls/governance.yaml', 'code: AIG-GOV-02', 'code: AIG-GOV-01'));
    expect(problemsOf(root)).toContainEqual(expect.stringMatching(/entry "AIG-GOV-01", field "code": duplicate control code/));
  });

  it('refuses a duplicate requirement ref', () => {
    const root = policiesWith((r) => rewrite(r, 'frameworks/nist-ai-rmf-1.0.yaml', '- ref: GOVERN 1.2\n', '- ref: GOVERN 1.1\n'));
    expect(problemsOf(root)).toContainEqual(expect.stringMatching(/nist-ai-rmf-1\.0\.yaml: entry "GOVERN 1\.1", field "ref": duplicate ref/));
  });

  it('refuses an unknown field', () => {
    const root = policiesWith((r) => rewrite(r, 'controls/governance.yaml', '    reviewFrequency: annual\n', '    reviewFrequency: annual\n    reviewFreqency: monthly\n'));
    expect(problemsOf(root)).toContainEqual(expect.stringMatching(/governance\.yaml: entry "AIG-GOV-\d+", field "reviewFreqency": unknown field; allowed fields are/));
  });

  it('refuses a malformed control id and an out-of-range strength', () => {
    const root = policiesWith((r) => {
      rewrite(r, 'controls/governance.yaml', 'code: AIG-GOV-03', 'code: GOV-3');
      rewrite(r, 'controls/governance.yaml', /strength: 9\n/, 'strength: 11\n');
    });
    const problems = problemsOf(root);
    expect(problems).toContainEqual(expect.stringMatching(/entry "GOV-3", field "code": "GOV-3" does not match/));
    expect(problems).toContainEqual(expect.stringMatching(/field "strength": must be a whole number from 1 to 10/));
  });

  it('refuses SOC 2 descriptions (AICPA text is not reproduced)', () => {
    const root = policiesWith((r) => rewrite(r, 'frameworks/soc2-tsc-2017.yaml', /(- ref: "?CC1\.1"?\n(?:.*\n){3})/, '$1    description: copied text\n'));
    expect(problemsOf(root)).toContainEqual(expect.stringMatching(/soc2-tsc-2017\.yaml: entry "CC1\.1", field "description": SOC 2 criteria carry ids/));
  });

  it('refuses an exclusion of a requirement a control maps', () => {
    const root = policiesWith((r) => fs.appendFileSync(path.join(r, 'controls/not-per-system.yaml'), '  - framework: nist-ai-rmf-1.0\n    ref: GOVERN 1.2\n    reason: test\n'));
    expect(problemsOf(root)).toContainEqual(expect.stringMatching(/entry "nist-ai-rmf-1\.0 GOVERN 1\.2", field "ref": is mapped by a control/));
  });

  it('refuses an applicability rule with an unknown fact', () => {
    const root = policiesWith((r) => rewrite(r, 'applicability.yaml', 'when: { phi: true }', 'when: { hasPhi: true }'));
    expect(problemsOf(root)).toContainEqual(expect.stringMatching(/applicability\.yaml: entry "processes-phi", field "when": unknown fact "hasPhi"/));
  });

  it('names broken YAML', () => {
    const root = policiesWith((r) => fs.writeFileSync(path.join(r, 'controls/data.yaml'), 'domain: data\ncontrols: [\n'));
    expect(problemsOf(root)).toContainEqual(expect.stringMatching(/policies\/controls\/data\.yaml: entry "\(document\)", field "yaml"/));
  });
});
