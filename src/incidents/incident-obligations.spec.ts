import { computeObligations, diffObligations, dueTime, IncidentFacts, obligationState } from './incident-obligations';
import { IncidentRulesError, loadIncidentRules, parseIncidentRules } from './incident-rules';

const RULES = loadIncidentRules();

describe('dueTime: how the periods are counted', () => {
  it('counts hours exactly, also across a daylight-saving change (GDPR Art. 33(1), 72 hours)', () => {
    // Berlin leaves summer time on 25 October 2026: 72 hours are still 72 hours.
    expect(dueTime({ hours: 72 }, '2026-10-23T10:00:00.000Z', 'Europe/Berlin').dueAt).toBe('2026-10-26T10:00:00.000Z');
  });

  it('counts calendar days in the organisation\u2019s time zone, without the day of awareness, to the end of the last day', () => {
    // 23:30 UTC on 1 October is 01:30 on 2 October in Berlin: day 0 is 2 October there.
    const berlin = dueTime({ days: 15 }, '2026-10-01T23:30:00.000Z', 'Europe/Berlin');
    expect(berlin.dueAt).toBe('2026-10-17T21:59:59.999Z');
    expect(berlin.counting).toContain('2026-10-02, not counted');
    // The same instant counted in UTC: day 0 is 1 October.
    expect(dueTime({ days: 15 }, '2026-10-01T23:30:00.000Z', 'UTC').dueAt).toBe('2026-10-16T23:59:59.999Z');
    // 60 days across the end of summer time end at local midnight in winter time (UTC+1).
    expect(dueTime({ days: 60 }, '2026-10-01T23:30:00.000Z', 'Europe/Berlin').dueAt).toBe('2026-12-01T22:59:59.999Z');
  });

  it('ends the yearly log on 1 March, or on 29 February in a leap year (45 CFR 164.408(c))', () => {
    expect(dueTime({ daysAfterYearEnd: 60 }, '2026-06-01T00:00:00.000Z', 'UTC').dueAt).toBe('2027-03-01T23:59:59.999Z');
    expect(dueTime({ daysAfterYearEnd: 60 }, '2027-06-01T00:00:00.000Z', 'UTC').dueAt).toBe('2028-02-29T23:59:59.999Z');
    expect(dueTime({ daysAfterYearEnd: 60 }, '2027-06-01T00:00:00.000Z', 'America/New_York').dueAt).toBe(
      '2028-03-01T04:59:59.999Z',
    );
  });

  it('gives no due time where the provision sets no period', () => {
    expect(dueTime({ noFixedPeriod: true }, '2026-10-01T00:00:00.000Z', 'UTC').dueAt).toBeNull();
  });
});

describe('computeObligations', () => {
  const facts = (overrides: Partial<IncidentFacts> = {}): IncidentFacts => ({
    categories: ['ephi_breach'],
    becameAwareAt: '2026-10-01T09:30:00.000Z',
    aiActKind: null,
    aiActDeath: false,
    gdprRisk: null,
    affectedCount: null,
    affectedByState: {},
    systems: [
      {
        id: 's1',
        name: 'Triage',
        gdprRole: null,
        gdprTerritorial: null,
        hipaaRole: 'covered_entity',
        aiActRole: null,
        aiActRoleSource: null,
        aiActEuNexus: null,
        riskTier: 'high',
      },
    ],
    ...overrides,
  });
  const byKey = (list: ReturnType<typeof computeObligations>) => new Map(list.map((o) => [o.key, o]));

  it('assumes the 500-or-more notices while the count is unknown, and says so', () => {
    const list = byKey(computeObligations(facts(), RULES, 'UTC'));
    expect(list.get('hipaa-164-408-b-secretary')).toMatchObject({
      required: true,
      assumptions: ['the number of people affected is not known yet'],
    });
    expect(list.get('hipaa-164-406-media')).toMatchObject({
      required: true,
      assumptions: ['the residents affected per State are not recorded yet'],
    });
    expect(list.get('hipaa-164-408-c-yearly-log')).toMatchObject({ required: false });
  });

  it('reads a total of 500 or fewer as "no State has more than 500" even without per-State counts', () => {
    const list = byKey(computeObligations(facts({ affectedCount: 500 }), RULES, 'UTC'));
    expect(list.get('hipaa-164-406-media')!.required).toBe(false);
    expect(list.get('hipaa-164-408-b-secretary')!.required).toBe(true);
  });

  it('lists only the obligations of the incident\u2019s categories', () => {
    expect(computeObligations(facts({ categories: [] }), RULES, 'UTC')).toEqual([]);
  });

  it('says what a recomputation changed, and keeps an obligation no longer computed as not required', () => {
    const before = computeObligations(facts({ affectedCount: 300 }), RULES, 'UTC');
    const after = computeObligations(facts({ affectedCount: 900, affectedByState: { CA: 900 } }), RULES, 'UTC');
    const { next, changes } = diffObligations(before, after);
    expect(changes.map((c) => [c.key, c.change])).toEqual([
      ['hipaa-164-406-media:CA', 'added'],
      ['hipaa-164-408-b-secretary', 'now_required'],
      ['hipaa-164-408-c-yearly-log', 'now_not_required'],
    ]);
    // The media entry without a State (not required at 300) gave way to the per-State one and stays, not required.
    expect(next.find((o) => o.key === 'hipaa-164-406-media')).toMatchObject({ required: false });
  });

  it('is due, done or late by the clock and the notifications', () => {
    const o = { required: true, dueAt: '2026-10-04T09:30:00.000Z' };
    expect(obligationState(o, false, '2026-10-04T09:30:00.000Z')).toBe('due');
    expect(obligationState(o, false, '2026-10-04T09:30:00.001Z')).toBe('late');
    expect(obligationState(o, true, '2026-10-05T00:00:00.000Z')).toBe('done');
    expect(obligationState({ required: false, dueAt: null }, false, '2026-10-05T00:00:00.000Z')).toBe('not_required');
  });
});

describe('policies/incidents.yaml', () => {
  it('cites a provision for every obligation and every period', () => {
    for (const rule of RULES.obligations) {
      expect(rule.legalBasis).toMatch(/GDPR Art\.|45 CFR 164\.4|EU AI Act Art\./);
      for (const period of rule.periods.length > 1 ? rule.periods : [])
        expect(period.basis).toMatch(/^Art\. 73\(\d\)$/);
    }
  });

  const valid = () => ({
    taskAssigneeRole: 'governance_specialist',
    obligations: [
      {
        id: 'gdpr-x',
        regime: 'gdpr',
        category: 'personal_data_breach',
        legalBasis: 'GDPR Art. 33(1)',
        title: 't',
        recipient: 'r',
        timing: 'soon',
        conditions: [{ fact: 'gdprRole', in: ['controller'], reason: 'because' }],
        deadline: { hours: 72 },
      },
    ],
  });
  const problems = (mutate: (raw: ReturnType<typeof valid>) => void): string[] => {
    const raw = valid();
    mutate(raw);
    try {
      parseIncidentRules(raw, 'policies/incidents.yaml');
      return [];
    } catch (error) {
      expect(error).toBeInstanceOf(IncidentRulesError);
      return (error as IncidentRulesError).problems.map((p) => p.message);
    }
  };

  it('accepts a valid rule', () => {
    expect(problems(() => undefined)).toEqual([]);
  });

  it.each([
    [
      'an unknown fact',
      (r: ReturnType<typeof valid>) => (r.obligations[0].conditions[0].fact = 'mood'),
      'entry "gdpr-x", field "conditions[0].fact": "mood" is not one of',
    ],
    [
      'a value the fact cannot take',
      (r: ReturnType<typeof valid>) => (r.obligations[0].conditions[0].in = ['controler']),
      'field "conditions[0].in": controler not among the values of gdprRole',
    ],
    [
      'a condition without a reason',
      (r: ReturnType<typeof valid>) => (r.obligations[0].conditions[0].reason = ''),
      'field "conditions[0].reason": is required',
    ],
    [
      'a deadline of an unknown kind',
      (r: ReturnType<typeof valid>) => ((r.obligations[0] as Record<string, unknown>).deadline = { weeks: 2 }),
      'field "deadline": must be one of',
    ],
    [
      'an unknown category',
      (r: ReturnType<typeof valid>) => (r.obligations[0].category = 'leak'),
      'field "category": "leak" is not one of',
    ],
    [
      'a duplicate id',
      (r: ReturnType<typeof valid>) => r.obligations.push({ ...r.obligations[0] }),
      'field "id": is used by another obligation',
    ],
    [
      'an unknown task role',
      (r: ReturnType<typeof valid>) => (r.taskAssigneeRole = 'auditor'),
      'entry "(file)", field "taskAssigneeRole"',
    ],
    [
      'a missing legal basis',
      (r: ReturnType<typeof valid>) => (r.obligations[0].legalBasis = ''),
      'field "legalBasis": is required',
    ],
  ])('refuses %s, naming file, entry and field', (_, mutate, message) => {
    const found = problems(mutate);
    expect(found.some((m) => m.startsWith('policies/incidents.yaml: ') && m.includes(message))).toBe(true);
  });
});
