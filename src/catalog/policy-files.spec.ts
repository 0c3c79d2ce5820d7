import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import { coverageOfLibrary, impossibleEquivalences } from './library-coverage';
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
    const count = (key: string, level: string) =>
      set.frameworks.find((f) => f.key === key)!.requirements.filter((r) => r.level === level).length;
    expect([
      count('nist-ai-rmf-1.0', 'function'),
      count('nist-ai-rmf-1.0', 'category'),
      count('nist-ai-rmf-1.0', 'subcategory'),
    ]).toEqual([4, 19, 72]);
    expect([count('gdpr', 'chapter'), count('gdpr', 'article')]).toEqual([11, 99]);
    expect([count('hipaa-security', 'standard'), count('hipaa-security', 'implementation_spec')]).toEqual([22, 46]);
    expect(count('soc2-tsc-2017', 'criterion')).toBe(61);
    expect(set.controls.length).toBeGreaterThanOrEqual(60);
  });

  it('refuses a mapping to an unknown requirement, naming file, control and field', () => {
    const root = policiesWith((r) => rewrite(r, 'controls/governance.yaml', /ref: GOVERN 1\.2\n/, 'ref: GOVERN 9.9\n'));
    // GOVERN 1.2 also loses its only sufficient mapping, which is reported too.
    expect(problemsOf(root)).toContainEqual(
      expect.stringMatching(
        /policies\/controls\/governance\.yaml: entry "AIG-GOV-01", field "mappings\[\d+\]\.ref": unknown requirement "GOVERN 9\.9" in framework nist-ai-rmf-1\.0/,
      ),
    );
  });

  it('refuses a duplicate control code', () => {
    const root = policiesWith((r) => rewrite(r, 'controls/governance.yaml', 'code: AIG-GOV-02', 'code: AIG-GOV-01'));
    expect(problemsOf(root)).toContainEqual(
      expect.stringMatching(/entry "AIG-GOV-01", field "code": duplicate control code/),
    );
  });

  it('refuses a duplicate requirement ref', () => {
    const root = policiesWith((r) =>
      rewrite(r, 'frameworks/nist-ai-rmf-1.0.yaml', '- ref: GOVERN 1.2\n', '- ref: GOVERN 1.1\n'),
    );
    expect(problemsOf(root)).toContainEqual(
      expect.stringMatching(/nist-ai-rmf-1\.0\.yaml: entry "GOVERN 1\.1", field "ref": duplicate ref/),
    );
  });

  it('refuses an unknown field', () => {
    const root = policiesWith((r) =>
      rewrite(
        r,
        'controls/governance.yaml',
        '    reviewFrequency: annual\n',
        '    reviewFrequency: annual\n    reviewFreqency: monthly\n',
      ),
    );
    expect(problemsOf(root)).toContainEqual(
      expect.stringMatching(
        /governance\.yaml: entry "AIG-GOV-\d+", field "reviewFreqency": unknown field; allowed fields are/,
      ),
    );
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
    const root = policiesWith((r) =>
      rewrite(
        r,
        'frameworks/soc2-tsc-2017.yaml',
        /(- ref: "?CC1\.1"?\n(?:.*\n){3})/,
        '$1    description: copied text\n',
      ),
    );
    expect(problemsOf(root)).toContainEqual(
      expect.stringMatching(/soc2-tsc-2017\.yaml: entry "CC1\.1", field "description": SOC 2 criteria carry ids/),
    );
  });

  it('refuses an exclusion of a requirement a control maps', () => {
    const root = policiesWith((r) =>
      fs.appendFileSync(
        path.join(r, 'controls/not-per-system.yaml'),
        '  - framework: nist-ai-rmf-1.0\n    ref: GOVERN 1.2\n    reason: test\n',
      ),
    );
    expect(problemsOf(root)).toContainEqual(
      expect.stringMatching(/entry "nist-ai-rmf-1\.0 GOVERN 1\.2", field "ref": is mapped by a control/),
    );
  });

  it('refuses an applicability rule with an unknown fact', () => {
    const root = policiesWith((r) =>
      rewrite(
        r,
        'applicability.yaml',
        'when: { phi: true, hipaaRole: covered_entity }',
        'when: { hasPhi: true, hipaaRole: covered_entity }',
      ),
    );
    expect(problemsOf(root)).toContainEqual(
      expect.stringMatching(/applicability\.yaml: entry "hipaa-covered-entity", field "when": unknown fact "hasPhi"/),
    );
  });

  it('names broken YAML', () => {
    const root = policiesWith((r) =>
      fs.writeFileSync(path.join(r, 'controls/data.yaml'), 'domain: data\ncontrols: [\n'),
    );
    expect(problemsOf(root)).toContainEqual(
      expect.stringMatching(/policies\/controls\/data\.yaml: entry "\(document\)", field "yaml"/),
    );
  });
});

/**
 * A tiny, self-contained policies/ tree, so the library rules are tested against data that other work on the real
 * library cannot change: one framework with three leaves, controls given per test.
 */
function tinyPolicies(controls: string, options: { coverage?: string; notPerSystem?: string } = {}): string {
  const root = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wb-tiny-')), 'policies');
  fs.mkdirSync(path.join(root, 'frameworks'), { recursive: true });
  fs.mkdirSync(path.join(root, 'controls'), { recursive: true });
  const leaf = (ref: string) =>
    `  - { ref: "${ref}", parent: "164.310", level: standard, title: T ${ref}, description: D, attributes: { implementation: required } }\n`;
  fs.writeFileSync(
    path.join(root, 'frameworks', 'hipaa-security.yaml'),
    'key: hipaa-security\nname: H\nversion: "1"\npublisher: P\nsource: S\nlicence: L\nrequirements:\n' +
      '  - { ref: "164.310", parent: null, level: section, title: Physical, description: D }\n' +
      leaf('164.310(b)') +
      leaf('164.310(c)') +
      leaf('164.310(x)'),
  );
  fs.writeFileSync(path.join(root, 'controls', 'security.yaml'), `domain: security\ncontrols:\n${controls}`);
  fs.writeFileSync(
    path.join(root, 'controls', 'not-per-system.yaml'),
    `entries:\n${options.notPerSystem ?? '  - { framework: hipaa-security, ref: "164.310(x)", reason: Organisation-wide. }\n'}`,
  );
  if (options.coverage !== undefined) fs.writeFileSync(path.join(root, 'coverage.yaml'), options.coverage);
  // The real HIPAA framework rules, so the fixture follows whatever fields the applicability schema asks for.
  const real = parse(fs.readFileSync(path.join(REAL, 'applicability.yaml'), 'utf8')) as {
    frameworks: Array<{ framework: string }>;
  };
  fs.writeFileSync(
    path.join(root, 'applicability.yaml'),
    stringify({ frameworks: real.frameworks.filter((r) => r.framework === 'hipaa-security') }),
  );
  return root;
}

function control(code: string, mappings: Array<[ref: string, relationship: string, strength: number]>): string {
  return (
    `  - code: ${code}\n    title: T\n    objective: O\n    ownerRole: engineer\n    typicalEvidence: [E]\n    testProcedure: P\n` +
    `    reviewFrequency: annual\n    mappings:\n` +
    mappings
      .map(
        ([ref, relationship, strength]) =>
          `      - { framework: hipaa-security, ref: "${ref}", relationship: ${relationship}, strength: ${strength}, rationale: R }\n`,
      )
      .join('')
  );
}

describe('library rules: equivalence and sufficient paths', () => {
  it('accepts a library where every leaf has a sufficient mapping or is organisational', () => {
    const root = tinyPolicies(
      control('AIG-SEC-01', [
        ['164.310(b)', 'equivalent-to', 8],
        ['164.310(c)', 'superset-of', 7],
      ]),
    );
    const set = loadPolicySet(root);
    expect(set.coverage.threshold).toBe(7);
    const [report] = coverageOfLibrary(set).frameworks;
    expect(report).toMatchObject({
      leaves: 3,
      sufficientSingle: 2,
      sufficientJoint: 0,
      organisational: 1,
      withoutPath: [],
    });
  });

  it('refuses a control equal-to or equivalent-to two requirements of one framework, naming file, entry and field', () => {
    const root = tinyPolicies(
      control('AIG-SEC-01', [
        ['164.310(b)', 'equivalent-to', 9],
        ['164.310(c)', 'equal-to', 9],
      ]),
    );
    expect(problemsOf(root)).toEqual([
      expect.stringMatching(
        /^policies\/controls\/security\.yaml: entry "AIG-SEC-01", field "mappings\[1\]\.relationship": equal-to hipaa-security 164\.310\(c\), but also equivalent-to 164\.310\(b\) \(mappings\[0\]\)/,
      ),
    ]);
  });

  it('refuses a leaf that has only intersects-with, subset-of or below-threshold mappings', () => {
    const root = tinyPolicies(
      control('AIG-SEC-01', [
        ['164.310(b)', 'intersects-with', 10],
        ['164.310(c)', 'superset-of', 6],
      ]) + control('AIG-SEC-02', [['164.310(b)', 'subset-of', 9]]),
    );
    const problems = problemsOf(root);
    expect(problems).toEqual([
      expect.stringMatching(
        /^policies\/frameworks\/hipaa-security\.yaml: entry "164\.310\(b\)", field "\(coverage\)": no sufficient path.*AIG-SEC-01 intersects-with 10.*AIG-SEC-02 subset-of 9/,
      ),
      expect.stringMatching(
        /^policies\/frameworks\/hipaa-security\.yaml: entry "164\.310\(c\)", field "\(coverage\)": no sufficient path.*AIG-SEC-01 superset-of 6/,
      ),
    ]);
  });

  it('reads the threshold from coverage.yaml', () => {
    const controls = control('AIG-SEC-01', [
      ['164.310(b)', 'equal-to', 8],
      ['164.310(c)', 'superset-of', 8],
    ]);
    expect(problemsOf(tinyPolicies(controls, { coverage: 'threshold: 8\n' }))).toEqual([]);
    expect(problemsOf(tinyPolicies(controls, { coverage: 'threshold: 9\n' }))).toEqual([
      expect.stringMatching(/entry "164\.310\(b\)", field "\(coverage\)": no sufficient path/),
      expect.stringMatching(/entry "164\.310\(c\)", field "\(coverage\)": no sufficient path/),
    ]);
  });

  it('counts a jointly-sufficient set from coverage.yaml as a path, and checks the set', () => {
    const controls =
      control('AIG-SEC-01', [
        ['164.310(b)', 'equal-to', 9],
        ['164.310(c)', 'subset-of', 6],
      ]) +
      control('AIG-SEC-02', [['164.310(c)', 'subset-of', 5]]) +
      control('AIG-SEC-03', [['164.310(b)', 'subset-of', 5]]);
    const joint = (refs: string, codes: string) =>
      `jointlySufficient:\n  - framework: hipaa-security\n    ref: "${refs}"\n    controls: [${codes}]\n    reason: Together.\n`;
    const set = loadPolicySet(tinyPolicies(controls, { coverage: joint('164.310(c)', 'AIG-SEC-01, AIG-SEC-02') }));
    expect(coverageOfLibrary(set).frameworks[0]).toMatchObject({
      sufficientSingle: 1,
      sufficientJoint: 1,
      withoutPath: [],
    });

    expect(
      problemsOf(tinyPolicies(controls, { coverage: joint('164.310(c)', 'AIG-SEC-01, AIG-SEC-03, AIG-SEC-09') })),
    ).toEqual([
      expect.stringMatching(
        /^policies\/coverage\.yaml: entry "hipaa-security 164\.310\(c\)", field "controls": AIG-SEC-03 does not map hipaa-security 164\.310\(c\)/,
      ),
      expect.stringMatching(
        /^policies\/coverage\.yaml: entry "hipaa-security 164\.310\(c\)", field "controls": unknown control AIG-SEC-09/,
      ),
    ]);
    expect(problemsOf(tinyPolicies(controls, { coverage: joint('164.310(c)', 'AIG-SEC-01') }))).toContainEqual(
      expect.stringMatching(
        /coverage\.yaml: entry "hipaa-security 164\.310\(c\)", field "controls": a set needs at least two different controls/,
      ),
    );
    expect(
      problemsOf(tinyPolicies(controls, { coverage: joint('164.310(q)', 'AIG-SEC-01, AIG-SEC-02') })),
    ).toContainEqual(
      expect.stringMatching(/coverage\.yaml: entry "hipaa-security 164\.310\(q\)", field "ref": unknown requirement/),
    );
  });

  it('the shipped library has no impossible equivalence and a sufficient path for every leaf', () => {
    const set = loadPolicySet(REAL);
    expect(impossibleEquivalences(set.controls)).toEqual([]);
    for (const framework of coverageOfLibrary(set).frameworks)
      expect([framework.key, framework.withoutPath]).toEqual([framework.key, []]);
  });
});
