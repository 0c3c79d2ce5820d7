import * as path from 'node:path';
import { PolicyError } from '../common/policy-error';
import { parseObligations } from './ai-act-obligations';
import type { FrameworkDef } from './catalog-defs';
import { loadPolicySet } from './policy-files';

const framework = {
  key: 'eu-ai-act',
  requirements: [{ ref: 'Art. 4' }, { ref: 'Art. 50' }, { ref: 'Art. 50(1)' }],
} as unknown as FrameworkDef;

function problemsOf(obligations: unknown[], extra: Record<string, unknown> = {}): string[] {
  const problems: PolicyError[] = [];
  parseObligations(
    { framework: 'eu-ai-act', obligations, ...extra },
    'policies/ai-act-obligations.yaml',
    [framework],
    problems,
  );
  return problems.map((p) => p.message);
}

const rule = (over: Record<string, unknown> = {}) => ({
  id: 'ai-literacy',
  when: 'always',
  refs: ['Art. 4'],
  basis: 'Art. 4',
  reason: 'Everyone.',
  ...over,
});

describe('AI Act obligations policy', () => {
  it('accepts a valid rule, flattening groups of refs', () => {
    const problems: PolicyError[] = [];
    const policy = parseObligations(
      { framework: 'eu-ai-act', obligations: [rule({ refs: [['Art. 4', 'Art. 50(1)']] })] },
      'policies/ai-act-obligations.yaml',
      [framework],
      problems,
    );
    expect(problems).toEqual([]);
    expect(policy.rules[0]).toMatchObject({
      id: 'ai-literacy',
      kind: 'duty',
      refs: ['Art. 4', 'Art. 50(1)'],
      appliesFrom: null,
    });
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    ['an unknown field', { deadline: 'soon' }, /entry "ai-literacy", field "deadline": unknown field/],
    [
      'an unknown requirement',
      { refs: ['Art. 99'] },
      /entry "ai-literacy", field "refs": unknown requirement "Art\. 99" in eu-ai-act/,
    ],
    ['an unknown fact', { when: { riskLevel: 'high' } }, /entry "ai-literacy", field "when": unknown fact "riskLevel"/],
    [
      'a date that is not one',
      { appliesFrom: '2027-02-30', dateBasis: 'Art. 113(c)' },
      /field "appliesFrom": "2027-02-30" is not a date/,
    ],
    [
      'a date without its legal basis',
      { appliesFrom: '2027-08-02' },
      /field "dateBasis": is required with appliesFrom/,
    ],
    [
      'an article outside the catalog without a title',
      { refs: undefined, article: 'Art. 23', appliesFrom: '2026-08-02', dateBasis: 'Art. 113' },
      /field "title": is required with article/,
    ],
    [
      'an article outside the catalog without a date',
      { refs: undefined, article: 'Art. 23', title: 'Importers' },
      /field "appliesFrom": is required with article/,
    ],
    ['neither refs nor an article', { refs: [] }, /field "refs": name the requirements/],
    ['an unknown kind', { kind: 'suggestion' }, /field "kind": "suggestion" is not one of duty, prohibition/],
    ['no reason', { reason: '' }, /field "reason": is required/],
  ])('refuses %s, naming file, entry and field', (_name, over, message) => {
    expect(problemsOf([rule(over)])).toContainEqual(expect.stringMatching(message));
  });

  it('refuses a duplicate id and an unknown framework', () => {
    expect(problemsOf([rule(), rule()])).toContainEqual(
      expect.stringMatching(/entry "ai-literacy", field "id": duplicate rule id/),
    );
    expect(problemsOf([rule()], { framework: 'eu-ai-act-2' })).toContainEqual(
      expect.stringMatching(/entry "\(document\)", field "framework": unknown framework "eu-ai-act-2"/),
    );
  });

  it('loads the shipped rules: the Annex I route dated by Art. 113(c), every rule with a basis', () => {
    const { obligations } = loadPolicySet(path.join(__dirname, '..', '..', 'policies'));
    expect(obligations.framework).toBe('eu-ai-act');
    expect(obligations.rules.find((r) => r.id === 'high-risk-provider-annex-i')).toMatchObject({
      appliesFrom: '2027-08-02',
      dateBasis: 'AI Act Art. 113(c)',
    });
    for (const r of obligations.rules) expect(r.basis).toMatch(/^AI Act Art\. /);
  });
});
