import * as path from 'node:path';
import { loadPolicySet } from './policy-files';

const REAL = path.join(__dirname, '..', '..', 'policies');

/**
 * The EU AI Act catalog against the facts of the reference file (shared/reference/eu_ai_act.tsv and its SOURCE.md):
 * 313 rows by level and addressee, the Art. 113 dates, and every per-system leaf reachable by an obligation rule.
 */
describe('EU AI Act catalog', () => {
  const policies = loadPolicySet(REAL);
  const act = policies.frameworks.find((f) => f.key === 'eu-ai-act')!;
  const byRef = new Map(act.requirements.map((r) => [r.ref, r]));
  const organisational = new Set(policies.exclusions.filter((e) => e.framework === 'eu-ai-act').map((e) => e.ref));
  const count = (values: string[]) =>
    values.reduce<Record<string, number>>((n, v) => ({ ...n, [v]: (n[v] ?? 0) + 1 }), {});

  it('has the 313 rows of the reference file by level and addressee', () => {
    expect(act.requirements).toHaveLength(313);
    expect(count(act.requirements.map((r) => r.level))).toEqual({
      chapter: 6,
      section: 8,
      article: 28,
      paragraph: 117,
      subparagraph: 1,
      point: 106,
      subpoint: 14,
      annex: 1,
      annex_area: 8,
      annex_point: 24,
    });
    expect(count(act.requirements.map((r) => r.attributes.applies_to ?? '(none)'))).toEqual({
      provider: 192,
      deployer: 27,
      both: 20,
      gpai_provider: 17,
      authority: 11,
      '(none)': 46,
    });
    expect(byRef.get('Art. 6(3) subpara 3')).toMatchObject({
      parent: 'Art. 6(3)',
      level: 'subparagraph',
      isLeaf: true,
    });
    expect(byRef.get('Annex III.2')).toMatchObject({ level: 'annex_area', isLeaf: true });
    for (const r of act.requirements) expect(r.description.length).toBeGreaterThan(20);
  });

  it('dates each provision by Art. 113: Chapters I-II from 2025-02-02, GPAI from 2025-08-02, Art. 6(1) from 2027-08-02', () => {
    const from = (ref: string) => byRef.get(ref)!.attributes.applies_from;
    expect([from('Art. 4'), from('Art. 5(1)(c)'), from('Art. 53(1)(a)'), from('Art. 55(1)(d)')]).toEqual([
      '2025-02-02',
      '2025-02-02',
      '2025-08-02',
      '2025-08-02',
    ]);
    expect([from('Art. 6(1)(a)'), from('Art. 11(2)'), from('Art. 43(3)')]).toEqual([
      '2027-08-02',
      '2027-08-02',
      '2027-08-02',
    ]);
    expect([from('Art. 9(1)'), from('Art. 26(1)'), from('Art. 50(1)'), from('Art. 73(4)')]).toEqual([
      '2026-08-02',
      '2026-08-02',
      '2026-08-02',
      '2026-08-02',
    ]);
  });

  it('keeps what addresses authorities and the classification rules organisational, with a reason', () => {
    for (const r of act.requirements.filter(
      (x) => x.isLeaf && (x.attributes.applies_to === 'authority' || x.attributes.applies_to === undefined),
    )) {
      expect({ ref: r.ref, organisational: organisational.has(r.ref) }).toEqual({ ref: r.ref, organisational: true });
    }
  });

  it('reaches every per-system leaf from some rule of ai-act-obligations.yaml, so none can never apply', () => {
    const ancestors = (ref: string): string[] => {
      const out: string[] = [];
      for (let node = byRef.get(ref); node; node = node.parent ? byRef.get(node.parent) : undefined) out.push(node.ref);
      return out;
    };
    const reached = new Set(policies.obligations.rules.flatMap((rule) => rule.refs));
    const unreachable = act.requirements
      .filter((r) => r.isLeaf && !organisational.has(r.ref) && !ancestors(r.ref).some((a) => reached.has(a)))
      .map((r) => r.ref);
    expect(unreachable).toEqual([]);
  });
});
