import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { coverageOfLibrary } from './library-coverage';
import type { FrameworkDef } from './catalog-defs';
import { loadPolicySet, PolicyValidationError } from './policy-files';

const REAL = path.join(__dirname, '..', '..', 'policies');
const FIXTURES = path.join(__dirname, '..', '..', 'test', 'fixtures', 'reference');
const SHARED = path.join(__dirname, '..', '..', '..', 'shared', 'reference');

function tsv(file: string): Array<Record<string, string>> {
  const [header, ...lines] = fs
    .readFileSync(path.join(FIXTURES, file), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');
  const columns = header.split('\t');
  return lines.map((line) => Object.fromEntries(line.split('\t').map((cell, i) => [columns[i], cell.trim()])));
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

function policiesWith(edit: (root: string) => void): string {
  const root = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wb-ai-catalogs-')), 'policies');
  fs.cpSync(REAL, root, { recursive: true });
  edit(root);
  return root;
}

function rewrite(root: string, file: string, from: string | RegExp, to: string): void {
  const full = path.join(root, file);
  const text = fs.readFileSync(full, 'utf8');
  const next = text.replace(from, to);
  if (next === text) throw new Error(`test setup: ${String(from)} not found in ${file}`);
  fs.writeFileSync(full, next);
}

describe('AI-specific catalogs against the reference id lists (issue 19.1)', () => {
  const policies = loadPolicySet(REAL);
  const framework = (key: string): FrameworkDef => policies.frameworks.find((f) => f.key === key)!;
  const refsAt = (key: string, level: string): string[] =>
    framework(key)
      .requirements.filter((r) => r.level === level)
      .map((r) => r.ref);

  it('keeps byte-identical copies of shared/reference where that folder is present', () => {
    if (!fs.existsSync(SHARED)) return;
    for (const file of [
      'iso_iec_42001_annex_a.tsv',
      'nist_ai_600_1_actions.tsv',
      'nist_ai_600_1_gai_risks.tsv',
      'owasp_llm_top10_2025.tsv',
    ]) {
      expect(fs.readFileSync(path.join(FIXTURES, file), 'utf8')).toBe(fs.readFileSync(path.join(SHARED, file), 'utf8'));
    }
    expect(fs.readFileSync(path.join(FIXTURES, 'atlas_ids.tsv'), 'utf8')).toBe(
      fs.readFileSync(path.join(SHARED, 'mitre-atlas', 'atlas_ids.tsv'), 'utf8'),
    );
  });

  it('ISO/IEC 42001 Annex A: 9 objectives, 2 sub-objectives, 38 controls, ids and parents as in the reference, no description', () => {
    const rows = tsv('iso_iec_42001_annex_a.tsv');
    const iso = framework('iso-iec-42001');
    expect(iso.requirements.map((r) => [r.ref, r.parent ?? 'ISO/IEC 42001:2023 Annex A', r.level])).toEqual(
      rows.map((r) => [r.id, r.parent_id, r.level_type]),
    );
    expect([
      refsAt('iso-iec-42001', 'control_objective').length,
      refsAt('iso-iec-42001', 'sub_objective').length,
      refsAt('iso-iec-42001', 'control').length,
    ]).toEqual([9, 2, 38]);
    expect(iso.requirements.filter((r) => r.isLeaf).map((r) => r.ref)).toEqual(refsAt('iso-iec-42001', 'control'));
    expect(iso.requirements.every((r) => r.description === '')).toBe(true);
  });

  it('NIST AI 600-1: the 212 actions under their AI RMF subcategories, each tagged with its GAI risks', () => {
    const rows = tsv('nist_ai_600_1_actions.tsv');
    const gai = framework('nist-ai-600-1');
    const actions = gai.requirements.filter((r) => r.level === 'suggested_action');
    expect(actions.map((a) => [a.ref, a.parent, a.attributes.gaiRisks])).toEqual(
      rows.map((r) => [r.id, r.subcategory, r.gai_risks]),
    );
    expect(actions).toHaveLength(212);
    expect(gai.requirements.filter((r) => r.isLeaf)).toHaveLength(212);
    expect(refsAt('nist-ai-600-1', 'subcategory')).toHaveLength(49);
    const perFunction = (prefix: string) => actions.filter((a) => a.ref.startsWith(prefix)).length;
    expect([perFunction('GV-'), perFunction('MP-'), perFunction('MS-'), perFunction('MG-')]).toEqual([58, 39, 72, 43]);
    const risks = new Set(tsv('nist_ai_600_1_gai_risks.tsv').map((r) => r.id));
    for (const a of actions) for (const id of a.attributes.gaiRisks.split(';')) expect(risks).toContain(id);
  });

  it('MITRE ATLAS v5.6.0: 16 tactics, 101 techniques, 69 sub-techniques as threats, 35 mitigations as the only leaves', () => {
    const rows = tsv('atlas_ids.tsv');
    const atlas = framework('mitre-atlas');
    expect(atlas.version).toBe('5.6.0');
    expect(atlas.requirements.map((r) => [r.ref, r.parent ?? 'ATLAS', r.level])).toEqual(
      rows.map((r) => [r.id, r.parent_id, r.level_type]),
    );
    const counts = ['tactic', 'technique', 'sub-technique', 'mitigation'].map(
      (level) => refsAt('mitre-atlas', level).length,
    );
    expect(counts).toEqual([16, 101, 69, 35]);
    expect(atlas.requirements.filter((r) => r.kind === 'threat')).toHaveLength(186);
    expect(atlas.requirements.filter((r) => r.isLeaf).map((r) => r.ref)).toEqual(refsAt('mitre-atlas', 'mitigation'));
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const m of atlas.requirements.filter((r) => r.level === 'mitigation')) {
      expect(m.attributes.mitigates.split(';')).toEqual([...new Set(byId.get(m.ref)!.mitigates.split(';'))]);
    }
    for (const t of atlas.requirements.filter((r) => r.level === 'technique'))
      expect(t.attributes.tactics).toBe(byId.get(t.ref)!.tactics);
    expect(atlas.licence).toMatch(/Apache License 2\.0/);
    for (const file of ['LICENSE', 'LICENSE-Apache-2.0.txt', 'NOTICE'])
      expect(fs.existsSync(path.join(REAL, 'licences', 'mitre-atlas', file))).toBe(true);
  });

  it('OWASP Top 10 for LLM Applications 2025: LLM01:2025..LLM10:2025 with their official names, attributed CC BY-SA 4.0', () => {
    const rows = tsv('owasp_llm_top10_2025.tsv').filter((r) => r.parent_id === 'OWASP-LLM-Top10-2025');
    const owasp = framework('owasp-llm-top10-2025');
    expect(owasp.requirements.map((r) => [r.ref, r.title])).toEqual(rows.map((r) => [r.id, r.official_name]));
    expect(owasp.licence).toMatch(/OWASP Foundation.*CC BY-SA 4\.0/);
  });

  it('policies:check reports the counts of every new catalog and a sufficient path or reason for every leaf', () => {
    const report = coverageOfLibrary(policies);
    for (const key of ['iso-iec-42001', 'nist-ai-600-1', 'mitre-atlas', 'owasp-llm-top10-2025']) {
      const f = report.frameworks.find((x) => x.key === key)!;
      expect({ key, withoutPath: f.withoutPath, unmapped: f.unmapped }).toEqual({ key, withoutPath: [], unmapped: [] });
    }
    const atlas = report.frameworks.find((x) => x.key === 'mitre-atlas')!;
    expect([
      atlas.levels.tactic,
      atlas.levels.technique,
      atlas.levels['sub-technique'],
      atlas.levels.mitigation,
      atlas.attributes.threat,
    ]).toEqual([16, 101, 69, 35, 186]);
    expect(report.frameworks.find((x) => x.key === 'nist-ai-600-1')!.attributes['GAI-08']).toBe(73);
  });
});

describe('threat entries are never coverage leaves (issue 19.1)', () => {
  it('refuses a control mapping an ATLAS technique, naming the mitigations instead', () => {
    const root = policiesWith((r) =>
      rewrite(
        r,
        'controls/ai-security.yaml',
        /framework: mitre-atlas\n(\s+)ref: "?AML\.M0\d{3}"?/,
        'framework: mitre-atlas\n$1ref: "AML.T0051"',
      ),
    );
    expect(problemsOf(root)).toContainEqual(
      expect.stringMatching(
        /ai-security\.yaml: entry "AIG-\w+-\d+", field "mappings\[\d+\]\.ref": "AML\.T0051" is a threat, not a requirement; map the mitigations/,
      ),
    );
  });

  it('refuses a threat listed as organisational and a mitigation that names a non-threat', () => {
    const root = policiesWith((r) => {
      rewrite(
        r,
        'controls/not-per-system.yaml',
        /^entries:\n/m,
        'entries:\n  - framework: mitre-atlas\n    ref: AML.T0000\n    reason: Reconnaissance happens outside our systems.\n',
      );
      rewrite(r, 'frameworks/mitre-atlas.yaml', /mitigates: AML\.T0000;/, 'mitigates: AML.M0001;');
    });
    const problems = problemsOf(root);
    expect(problems).toContainEqual(
      expect.stringMatching(
        /not-per-system\.yaml: entry "mitre-atlas AML\.T0000", field "ref": is a threat, not a requirement/,
      ),
    );
    expect(problems).toContainEqual(
      expect.stringMatching(
        /mitre-atlas\.yaml: entry "AML\.M0000", field "attributes\.mitigates": "AML\.M0001" is not a threat/,
      ),
    );
  });

  it('refuses an ISO/IEC 42001 description (ids and our own titles only)', () => {
    const root = policiesWith((r) =>
      rewrite(
        r,
        'frameworks/iso-iec-42001.yaml',
        'title: Documented policy for building or using AI\n',
        'title: Documented policy for building or using AI\n    description: The organisation shall document a policy.\n',
      ),
    );
    expect(problemsOf(root)).toContainEqual(
      expect.stringMatching(
        /iso-iec-42001\.yaml: entry "A\.2\.2", field "description": ISO\/IEC 42001 controls carry ids and our own short titles only \(ISO copyright\)/,
      ),
    );
  });

  it('refuses threat-model rules naming an unknown technique, a mitigation, an unknown fact or field (policies/threats.yaml)', () => {
    const root = policiesWith((r) => {
      rewrite(
        r,
        'threats.yaml',
        '      - mitre-atlas AML.T0051\n',
        '      - mitre-atlas AML.T9999\n      - mitre-atlas AML.M0020\n      - owasp-llm-top10-2025 LLM11:2025\n',
      );
      rewrite(r, 'threats.yaml', 'when: { usesRag: true }', 'when: { usesRAG: true }\n    severity: high');
    });
    const problems = problemsOf(root);
    expect(problems).toContainEqual(
      expect.stringMatching(
        /threats\.yaml: entry "llm-prompt-injection", field "threats": unknown mitre-atlas id "AML\.T9999"/,
      ),
    );
    expect(problems).toContainEqual(
      expect.stringMatching(
        /threats\.yaml: entry "llm-prompt-injection", field "threats": "AML\.M0020" is an ATLAS mitigation, not a technique/,
      ),
    );
    expect(problems).toContainEqual(
      expect.stringMatching(
        /threats\.yaml: entry "llm-prompt-injection", field "threats": unknown owasp-llm-top10-2025 id "LLM11:2025"/,
      ),
    );
    expect(problems).toContainEqual(
      expect.stringMatching(/threats\.yaml: entry "rag-indirect-injection", field "when": .*usesRAG/),
    );
    expect(problems).toContainEqual(
      expect.stringMatching(/threats\.yaml: entry "rag-indirect-injection", field "severity": unknown field/),
    );
  });
});
