import { PolicyError } from '../common/policy-error';
import { ApplicabilityFacts, explain, parseApplicability } from './applicability-rules';
import type { FrameworkDef } from './catalog-defs';

const FILE = 'policies/applicability.yaml';
const frameworks = [
  { key: 'gdpr', requirements: [{ ref: 'Art. 7' }, { ref: 'Art. 27' }] },
  { key: 'hipaa-security', requirements: [{ ref: '164.308' }] },
] as unknown as FrameworkDef[];

function problemsOf(rule: Record<string, unknown>, section: 'frameworks' | 'requirements' = 'frameworks'): string[] {
  const problems: PolicyError[] = [];
  const doc = section === 'frameworks' ? { frameworks: [rule] } : { frameworks: [], requirements: [rule] };
  parseApplicability(doc, FILE, frameworks, problems);
  return problems.map((p) => p.message);
}

const rule = (when: unknown, extra: Record<string, unknown> = {}) => ({
  id: 'r',
  framework: 'hipaa-security',
  when,
  reason: 'Because.',
  basis: '45 CFR 164.302',
  ...extra,
});

describe('applicability rules: loading', () => {
  it('accepts the facts of the applicability questions, null where a fact can be unanswered', () => {
    expect(problemsOf(rule({ phi: true, hipaaRole: ['covered_entity', null] }))).toEqual([]);
    expect(problemsOf(rule({ soc2Categories: ['availability'] }))).toEqual([]);
    expect(
      problemsOf(
        rule({
          all: [{ gdprEstablishment: [false, null] }, { any: [{ gdprOffersToEu: true }, { gdprMonitorsEu: null }] }],
        }),
      ),
    ).toEqual([]);
  });

  it('refuses a rule using an unknown fact, naming file, entry and field', () => {
    expect(problemsOf(rule({ hipaaCoveredEntity: true }))).toEqual([
      expect.stringMatching(
        /^policies\/applicability\.yaml: entry "r", field "when": unknown fact "hipaaCoveredEntity"; known: .*hipaaRole/,
      ),
    ]);
  });

  it('refuses a value the fact does not have', () => {
    expect(problemsOf(rule({ hipaaRole: 'coverd_entity' }))).toEqual([
      expect.stringContaining(
        'field "when": "hipaaRole" has no value "coverd_entity"; known: covered_entity, business_associate, none',
      ),
    ]);
    expect(problemsOf(rule({ soc2Categories: ['avail'] }))).toEqual([
      expect.stringContaining('"soc2Categories" has no value "avail"'),
    ]);
    expect(problemsOf(rule({ gdprEstablishment: 'yes' }))).toEqual([
      expect.stringContaining('"gdprEstablishment" takes true or false (or null: not answered yet)'),
    ]);
  });

  it('refuses null for a fact that is always answered, and a nullable fact under not', () => {
    expect(problemsOf(rule({ phi: null }))).toEqual([
      expect.stringContaining('"phi" is always answered; null is not one of its values'),
    ]);
    expect(problemsOf(rule({ not: { gdprEstablishment: true } }))).toEqual([
      expect.stringContaining('"gdprEstablishment" can be unanswered; list the values it must have'),
    ]);
  });

  it('requires the legal basis of every rule', () => {
    expect(problemsOf(rule('always', { basis: '' }))).toEqual([
      `${FILE}: entry "r", field "basis": is required: the article, section or criterion the rule rests on`,
    ]);
    expect(
      problemsOf({ id: 'q', framework: 'gdpr', refs: ['Art. 7'], when: 'always', reason: 'Because.' }, 'requirements'),
    ).toEqual([expect.stringContaining('entry "q", field "basis": is required')]);
  });
});

describe('applicability rules: evaluation', () => {
  const facts = (over: Partial<ApplicabilityFacts>): ApplicabilityFacts =>
    ({
      personalData: true,
      phi: false,
      soc2Categories: [],
      jurisdictions: [],
      hipaaRole: null,
      gdprEstablishment: null,
      gdprOffersToEu: null,
      gdprMonitorsEu: null,
      ...over,
    }) as ApplicabilityFacts;
  const parse = (when: unknown) => {
    const problems: PolicyError[] = [];
    const policy = parseApplicability({ frameworks: [rule(when)] }, FILE, frameworks, problems);
    expect(problems).toEqual([]);
    return policy.frameworkRules[0].when;
  };

  it('reports the unanswered facts a judgment rests on', () => {
    const when = parse({ phi: true, hipaaRole: ['covered_entity', 'business_associate', null] });
    expect(explain(when, facts({ phi: true }))).toEqual({ holds: true, assumed: ['hipaaRole'] });
    expect(explain(when, facts({ phi: true, hipaaRole: 'covered_entity' }))).toEqual({ holds: true, assumed: [] });
    expect(explain(when, facts({ phi: true, hipaaRole: 'none' }))).toEqual({ holds: false, assumed: [] });
  });

  it('an unanswered fact matches only where a rule names null', () => {
    expect(explain(parse({ gdprEstablishment: true }), facts({}))).toEqual({ holds: false, assumed: [] });
    expect(explain(parse({ gdprEstablishment: [false] }), facts({}))).toEqual({ holds: false, assumed: [] });
  });

  it('prefers an answered branch of "any" over an assumed one', () => {
    const when = parse({ any: [{ gdprOffersToEu: [true, null] }, { gdprMonitorsEu: true }] });
    expect(explain(when, facts({ gdprMonitorsEu: true }))).toEqual({ holds: true, assumed: [] });
    expect(explain(when, facts({ gdprMonitorsEu: false }))).toEqual({ holds: true, assumed: ['gdprOffersToEu'] });
  });
});
