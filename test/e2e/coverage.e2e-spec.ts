import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { parse, stringify } from 'yaml';
import { CatalogIndex } from '../../src/catalog/catalog-index';
import { loadPolicySet } from '../../src/catalog/policy-files';
import { PolicyLoader } from '../../src/catalog/policy-loader.service';
import { EvidencePackAssembler } from '../../src/evidence-packs/evidence-pack-assembler';
import { PackHtmlBuilder, toPackView } from '../../src/evidence-packs/pack-html';
import { allFrameworksSystem } from '../factories/systems';
import { bearer, startTestApp, TestApp } from '../factories/test-app';

interface Control {
  code: string;
  relationship: string;
  strength: number;
  sufficient: boolean;
  status: string;
  evidence: Array<{ id: string; current: boolean }>;
}
interface Requirement {
  requirementId: string;
  ref: string;
  status: string;
  reason: string;
  hipaaImplementation: string | null;
  decidedBy: {
    rule: string;
    threshold: number;
    controls: Array<{
      code: string;
      relationship: string;
      strength: number;
      sufficient: boolean;
      status: string;
      evidence: string[];
    }>;
    jointSet?: { controls: string[]; missing: string[] };
  };
  controls: Control[];
}
interface Framework {
  framework: string;
  applies: boolean;
  requirements: Requirement[];
}

/**
 * The coverage rule over HTTP (DESIGN "Compliance semantics (v2)"), with controls and requirements picked from the
 * shipped catalog by their mapping kind, so the tests hold whatever the reviewed mapping data says.
 */
describe('coverage rule, evidence relevance and requirement decisions (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  const specialist = () => bearer(t.users.governance_specialist);
  const engineer = () => bearer(t.users.engineer);
  const param = (n: number) => (t.database.kind === 'postgres' ? `$${n}` : '?');
  const count = async (table: string) =>
    Number((await t.dataSource.query(`SELECT COUNT(*) AS n FROM "${table}"`))[0].n);

  async function newSystem(name: string): Promise<string> {
    return (await t.http().post('/api/v1/systems').set(specialist()).send(allFrameworksSystem({ name })).expect(201))
      .body.id;
  }

  async function coverage(systemId: string): Promise<Framework[]> {
    return (await t.http().get(`/api/v1/systems/${systemId}/coverage`).set(specialist()).expect(200)).body.frameworks;
  }

  const applicable = (frameworks: Framework[]) =>
    frameworks.flatMap((f) =>
      f.requirements.filter((r) => r.status !== 'not_applicable').map((r) => ({ framework: f.framework, ...r })),
    );

  function find(frameworks: Framework[], framework: string, ref: string): Requirement {
    const found = frameworks.find((f) => f.framework === framework)?.requirements.find((r) => r.ref === ref);
    if (!found) throw new Error(`no coverage row for ${framework} ${ref}`);
    return found;
  }

  function upload(
    systemId: string,
    codes: string[],
    requirementRefs: string[] = [],
    title = `Evidence ${randomUUID().slice(0, 8)}`,
  ) {
    const req = t.http().post(`/api/v1/systems/${systemId}/evidence`).set(engineer());
    for (const code of codes) req.field('controlCodes[]', code);
    for (const ref of requirementRefs) req.field('requirementRefs[]', ref);
    return req
      .field('title', title)
      .field('kind', 'test_report')
      .field('collectedAt', new Date(Date.now() - 60000).toISOString())
      .attach('file', Buffer.from(`${title}\n${randomUUID()}\n`), {
        filename: 'evidence.txt',
        contentType: 'text/plain',
      });
  }

  async function acceptedEvidence(
    systemId: string,
    codes: string[],
    requirementRefs: string[] = [],
  ): Promise<{ id: string; requirementRefs: string[] }> {
    const res = await upload(systemId, codes, requirementRefs).expect(201);
    await t
      .http()
      .post(`/api/v1/evidence/${res.body.id}/review`)
      .set(specialist())
      .send({ decision: 'accepted' })
      .expect(200);
    return res.body;
  }

  const implement = (systemId: string, code: string) =>
    t
      .http()
      .patch(`/api/v1/systems/${systemId}/controls/${code}`)
      .set(specialist())
      .send({ status: 'implemented', statement: 'In place' })
      .expect(200);

  it('a fresh system: every applicable leaf is a gap whose reason names what would cover it', async () => {
    const frameworks = await coverage(await newSystem('Fresh'));
    const rows = applicable(frameworks);
    expect(rows.length).toBeGreaterThan(100);
    for (const r of rows) {
      expect(r.status).toBe('gap');
      expect(r.reason).toMatch(/^gap: /);
      expect(r.decidedBy.threshold).toBe(7);
    }
    const withSufficient = rows.find((r) => r.controls.some((c) => c.sufficient))!;
    const sufficient = withSufficient.controls.find((c) => c.sufficient)!;
    expect(withSufficient.reason).toContain(
      `it would be covered by ${sufficient.code} ${sufficient.relationship} (strength ${sufficient.strength}, sufficient)`,
    );
  });

  it('one implemented control with current evidence covers where its mapping is sufficient and leaves intersects-with or weak mappings partial', async () => {
    const systemId = await newSystem('Test once');
    const rows = applicable(await coverage(systemId));
    // A control with both kinds of mapping among this system's applicable leaves.
    const kinds = new Map<string, { sufficient: string[]; weak: string[] }>();
    for (const r of rows) {
      for (const c of r.controls) {
        const entry = kinds.get(c.code) ?? { sufficient: [], weak: [] };
        (c.sufficient ? entry.sufficient : entry.weak).push(`${r.framework}|${r.ref}`);
        kinds.set(c.code, entry);
      }
    }
    const [code, mapped] = [...kinds].find(([, k]) => k.sufficient.length > 0 && k.weak.length > 0) ?? [];
    expect(code).toBeDefined();
    const evidence = await acceptedEvidence(systemId, [code!]);
    await implement(systemId, code!);

    const after = await coverage(systemId);
    for (const key of mapped!.sufficient) {
      const [framework, ref] = key.split('|');
      const r = find(after, framework, ref);
      const c = r.controls.find((x) => x.code === code)!;
      expect([key, r.status, r.decidedBy.rule]).toEqual([key, 'covered', 'sufficient-control']);
      expect(r.reason).toContain(
        `${code} ${c.relationship} (strength ${c.strength}, sufficient) is implemented with current accepted evidence ${evidence.id.slice(0, 8)}`,
      );
      expect(r.decidedBy.controls).toEqual([
        {
          code,
          relationship: c.relationship,
          strength: c.strength,
          sufficient: true,
          status: 'implemented',
          evidence: [evidence.id],
        },
      ]);
    }
    for (const key of mapped!.weak) {
      const [framework, ref] = key.split('|');
      const r = find(after, framework, ref);
      const c = r.controls.find((x) => x.code === code)!;
      // Covered only if another control that was implemented covers it: none is, so the weak mapping leaves it partial.
      expect([key, r.status, r.decidedBy.rule]).toEqual([key, 'partial', 'no-sufficient-path']);
      expect(c.relationship === 'intersects-with' || c.relationship === 'subset-of' || c.strength < 7).toBe(true);
      expect(r.reason).toContain(
        `${code} ${c.relationship} (strength ${c.strength}) is implemented with current accepted evidence ${evidence.id.slice(0, 8)}`,
      );
      expect(r.reason).toContain('no sufficient path holds');
    }
  });

  it('the evidence pack prints the deciding line with the evidence reference', async () => {
    const systemId = await newSystem('Pack reasons');
    const rows = applicable(await coverage(systemId));
    const target = rows.find((r) => r.controls.some((c) => c.sufficient))!;
    const control = target.controls.find((c) => c.sufficient)!;
    const evidence = await acceptedEvidence(systemId, [control.code]);
    await implement(systemId, control.code);
    const now = new Date().toISOString();
    const model = await t.app.get(EvidencePackAssembler).assemble({
      packId: randomUUID(),
      systemId,
      auditId: null,
      frameworks: [target.framework],
      asOf: now,
      generatedAt: now,
      requestedBy: t.users.governance_specialist.id,
    });
    const view = toPackView(model);
    const ref = view.evidenceIndex.find((e) => e.id === evidence.id)!.ref;
    const line = view.coverage[0].requirements.find((r) => r.ref === target.ref)!.why;
    expect(line).toBe(
      `Covered: ${control.code} ${control.relationship} ${control.strength}/10 sufficient, implemented, ${ref}`,
    );
    expect(new PackHtmlBuilder().build(model)).toContain(line);
  });

  describe('evidence that names the requirements it supports', () => {
    let systemId: string;
    let code: string;
    let a: Requirement & { framework: string };
    let b: Requirement & { framework: string };
    beforeAll(async () => {
      systemId = await newSystem('Named requirements');
      const rows = applicable(await coverage(systemId));
      // A control with a sufficient mapping to one leaf (a) and any mapping to another (b).
      for (const r of rows) {
        for (const c of r.controls.filter((x) => x.sufficient)) {
          const other = rows.find(
            (o) => o.requirementId !== r.requirementId && o.controls.some((x) => x.code === c.code),
          );
          if (other && !a) [code, a, b] = [c.code, r, other];
        }
      }
      expect(code).toBeDefined();
      await implement(systemId, code);
    });

    it('evidence naming another requirement does not cover this one', async () => {
      const evidence = await acceptedEvidence(systemId, [code], [`${b.framework}:${b.ref}`]);
      expect(evidence.requirementRefs).toEqual([`${b.framework}:${b.ref}`]);
      const r = find(await coverage(systemId), a.framework, a.ref);
      expect(r.status).toBe('partial');
      expect(r.reason).toMatch(
        new RegExp(
          `^partial: ${code} \\S+ \\(strength \\d+, sufficient\\) is implemented, but has no current accepted evidence`,
        ),
      );
      expect(r.controls.find((c) => c.code === code)!.evidence).toEqual([]);
      const got = await t.http().get(`/api/v1/evidence/${evidence.id}`).set(engineer()).expect(200);
      expect(got.body.requirementRefs).toEqual([`${b.framework}:${b.ref}`]);
    });

    it('evidence naming this requirement (by its bare ref) covers it', async () => {
      const evidence = await acceptedEvidence(systemId, [code], [a.ref]);
      expect(evidence.requirementRefs).toEqual([`${a.framework}:${a.ref}`]);
      const r = find(await coverage(systemId), a.framework, a.ref);
      expect([r.status, r.decidedBy.controls[0].evidence]).toEqual(['covered', [evidence.id]]);
    });

    it('refuses unknown, parent and unmapped requirements with 400, storing nothing', async () => {
      const unmapped = applicable(await coverage(systemId)).find((r) => !r.controls.some((c) => c.code === code))!;
      const before = [await count('evidence'), await count('evidence_requirements'), await count('audit_log')];
      const cases: Array<[string, RegExp]> = [
        ['gdpr:Art. 999', /unknown requirements: gdpr:Art\. 999/],
        ['no-such-ref', /unknown requirements: no-such-ref/],
        ['hipaa-security:164.308', /not leaf requirements \(name their leaves\): hipaa-security:164\.308/],
        [
          `${unmapped.framework}:${unmapped.ref}`,
          new RegExp(`not mapped by any of the controls this evidence supports \\(${code}\\)`),
        ],
      ];
      for (const [ref, message] of cases) {
        const res = await upload(systemId, [code], [ref]).expect(400);
        expect(res.body.message).toMatch(message);
      }
      expect([await count('evidence'), await count('evidence_requirements'), await count('audit_log')]).toEqual(before);
    });
  });

  it('a jointly-sufficient set from coverage.yaml covers only when every member holds', async () => {
    const systemId = await newSystem('Joint set');
    const rows = applicable(await coverage(systemId));
    const declared = (await t.app.get(CatalogIndex).get()).coverage.jointSetsByRequirement;
    const target = rows.find(
      (r) => !declared.has(r.requirementId) && r.controls.filter((c) => !c.sufficient).length >= 2,
    )!;
    const [first, second] = target.controls.filter((c) => !c.sufficient).map((c) => c.code);
    // The shipped coverage.yaml plus one set for the target.
    const root = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wb-policies-')), 'policies');
    fs.cpSync(path.join(process.cwd(), 'policies'), root, { recursive: true });
    const file = path.join(root, 'coverage.yaml');
    const policy = parse(fs.readFileSync(file, 'utf8'));
    policy.jointlySufficient = [
      ...(policy.jointlySufficient ?? []),
      {
        framework: target.framework,
        ref: target.ref,
        controls: [first, second],
        reason: 'Together they test every element.',
      },
    ];
    fs.writeFileSync(file, stringify(policy));
    const loader = t.app.get(PolicyLoader);
    await loader.load(loadPolicySet(root));
    try {
      await acceptedEvidence(systemId, [first]);
      await implement(systemId, first);
      const half = find(await coverage(systemId), target.framework, target.ref);
      expect([half.status, half.decidedBy.jointSet]).toEqual([
        'partial',
        expect.objectContaining({ controls: [first, second], missing: [second] }),
      ]);
      expect(half.reason).toContain(`the jointly-sufficient set ${first} + ${second} lacks ${second}`);

      await acceptedEvidence(systemId, [second]);
      await implement(systemId, second);
      const full = find(await coverage(systemId), target.framework, target.ref);
      expect([full.status, full.decidedBy.rule, full.decidedBy.controls.map((c) => c.code)]).toEqual([
        'covered',
        'jointly-sufficient-set',
        [first, second],
      ]);
      expect(full.reason).toMatch(
        new RegExp(
          `^covered by the jointly-sufficient set ${first} \\+ ${second} \\(Together they test every element\\.\\): ${first} `,
        ),
      );
    } finally {
      await loader.load(loadPolicySet());
    }
    expect(find(await coverage(systemId), target.framework, target.ref).status).toBe('partial');
  });

  describe('per-system requirement decisions', () => {
    let systemId: string;
    let rows: Array<Requirement & { framework: string }>;
    const decide = (body: Record<string, string>, who = specialist()) =>
      t.http().put(`/api/v1/systems/${systemId}/requirements/decision`).set(who).send(body);
    const hipaa = (kind: string) =>
      rows.filter((r) => r.framework === 'hipaa-security' && r.hipaaImplementation === kind);
    beforeAll(async () => {
      systemId = await newSystem('Decisions');
      rows = applicable(await coverage(systemId));
      expect(hipaa('addressable').length).toBeGreaterThan(1);
      expect(hipaa('required').length).toBeGreaterThan(0);
    });

    it('refuses what 164.306(d) forbids with 400 naming the rule, storing nothing', async () => {
      const [addressable] = hipaa('addressable');
      const [required] = hipaa('required');
      const gdpr = rows.find((r) => r.framework === 'gdpr')!;
      const before = [await count('requirement_decisions'), await count('audit_log')];
      const refusals: Array<[Record<string, string>, string]> = [
        [{ framework: 'hipaa-security', ref: addressable.ref, decision: 'excluded' }, '164.306(d)(3)'],
        [{ framework: 'hipaa-security', ref: addressable.ref, decision: 'not_applicable' }, '164.306(d)(3)'],
        [{ framework: 'hipaa-security', ref: required.ref, decision: 'not_applicable' }, '164.306(d)(2)'],
        [{ framework: 'hipaa-security', ref: required.ref, decision: 'excluded' }, '164.306(d)(2)'],
        [{ framework: 'hipaa-security', ref: required.ref, decision: 'alternative_measure' }, '164.306(d)(2)'],
        [
          { framework: 'hipaa-security', ref: required.ref, decision: 'not_reasonable_and_appropriate' },
          '164.306(d)(2)',
        ],
        [{ framework: 'gdpr', ref: gdpr.ref, decision: 'alternative_measure' }, '164.306(d)(3)'],
      ];
      for (const [body, rule] of refusals) {
        const res = await decide({ ...body, rationale: 'We would rather not do this one.' }).expect(400);
        expect([body.ref, res.body.details.rule]).toEqual([body.ref, rule]);
        expect(res.body.message).toContain(rule);
      }
      await decide({
        framework: 'hipaa-security',
        ref: '164.308',
        decision: 'alternative_measure',
        rationale: 'Parent, not a leaf.',
      }).expect(400);
      await decide({
        framework: 'hipaa-security',
        ref: '164.999(z)',
        decision: 'alternative_measure',
        rationale: 'No such requirement.',
      }).expect(400);
      await decide({
        framework: 'hipaa-security',
        ref: addressable.ref,
        decision: 'alternative_measure',
        rationale: 'short',
      }).expect(400);
      await decide({
        framework: 'hipaa-security',
        ref: addressable.ref,
        decision: 'waived',
        rationale: 'Not a decision we take.',
      }).expect(400);
      await decide(
        {
          framework: 'hipaa-security',
          ref: addressable.ref,
          decision: 'alternative_measure',
          rationale: 'Engineers do not decide.',
        },
        engineer(),
      ).expect(403);
      await decide(
        {
          framework: 'hipaa-security',
          ref: addressable.ref,
          decision: 'alternative_measure',
          rationale: 'Auditors do not decide.',
        },
        bearer(t.users.auditor),
      ).expect(403);
      expect([await count('requirement_decisions'), await count('audit_log')]).toEqual(before);
      expect(
        (await t.http().get(`/api/v1/systems/${systemId}/requirements/decisions`).set(specialist()).expect(200)).body,
      ).toEqual([]);
    });

    it('records decisions with their audit entries, and coverage follows them with the rationale in the reason', async () => {
      const [alternative, notReasonable] = hipaa('addressable');
      const other = rows.find((r) => r.framework === 'soc2-tsc-2017')!;
      const made = await decide({
        framework: 'hipaa-security',
        ref: alternative.ref,
        decision: 'alternative_measure',
        rationale: 'Badge-tap lock replaces the automatic logoff.',
      }).expect(200);
      expect(made.body).toMatchObject({
        systemId,
        framework: 'hipaa-security',
        ref: alternative.ref,
        decision: 'alternative_measure',
        decidedBy: t.users.governance_specialist.id,
      });
      await decide({
        framework: 'hipaa-security',
        ref: notReasonable.ref,
        decision: 'not_reasonable_and_appropriate',
        rationale: 'No workstation of this system holds ePHI.',
      }).expect(200);
      await decide({
        framework: 'soc2-tsc-2017',
        ref: other.ref,
        decision: 'excluded',
        rationale: 'Outside the service commitments of this system.',
      }).expect(200);

      const after = await coverage(systemId);
      const a = find(after, 'hipaa-security', alternative.ref);
      expect([a.status, a.decidedBy.rule]).toEqual(['covered', 'hipaa-alternative-measure']);
      expect(a.reason).toMatch(
        /^covered: addressable specification met by a documented equivalent alternative measure, 45 CFR 164\.306\(d\)\(3\)\(ii\)\(B\)\(2\) \(recorded \d{4}-\d\d-\d\d: Badge-tap lock replaces the automatic logoff\.\)$/,
      );
      const n = find(after, 'hipaa-security', notReasonable.ref);
      expect([n.status, n.decidedBy.rule]).toEqual(['not_applicable', 'hipaa-not-reasonable-and-appropriate']);
      expect(n.reason).toContain('not reasonable and appropriate');
      expect(n.reason).toContain('No workstation of this system holds ePHI.');
      const o = find(after, 'soc2-tsc-2017', other.ref);
      expect([o.status, o.decidedBy.rule, o.reason]).toEqual([
        'not_applicable',
        'excluded',
        expect.stringContaining('Outside the service commitments of this system.'),
      ]);

      const listed = await t
        .http()
        .get(`/api/v1/systems/${systemId}/requirements/decisions`)
        .set(bearer(t.users.auditor))
        .expect(404);
      expect(listed.body.statusCode).toBe(404); // an auditor sees only the systems of their audits
      const decisions = (
        await t.http().get(`/api/v1/systems/${systemId}/requirements/decisions`).set(specialist()).expect(200)
      ).body;
      expect(decisions.map((d: { ref: string; decision: string }) => [d.ref, d.decision])).toEqual([
        [alternative.ref, 'alternative_measure'],
        [notReasonable.ref, 'not_reasonable_and_appropriate'],
        [other.ref, 'excluded'],
      ]);
      const audit: Array<{ action: string; payload: string }> = await t.dataSource.query(
        `SELECT "action", "payload" FROM "audit_log" WHERE "entityType" = ${param(1)} ORDER BY "seq"`,
        ['requirement_decision'],
      );
      expect(audit.map((e) => [e.action, JSON.parse(e.payload).ref])).toEqual([
        ['requirement.decide', alternative.ref],
        ['requirement.decide', notReasonable.ref],
        ['requirement.decide', other.ref],
      ]);
    });

    it('withdrawing a decision returns the requirement to the coverage rule', async () => {
      const [alternative] = hipaa('addressable');
      await decide({
        framework: 'hipaa-security',
        ref: alternative.ref,
        decision: 'none',
        rationale: 'The badge system was decommissioned.',
      }).expect(200);
      const r = find(await coverage(systemId), 'hipaa-security', alternative.ref);
      expect([r.status, r.decidedBy.rule]).toEqual(['gap', 'nothing-in-place']);
      const actions: Array<{ action: string }> = await t.dataSource.query(
        `SELECT "action" FROM "audit_log" WHERE "entityType" = ${param(1)} ORDER BY "seq"`,
        ['requirement_decision'],
      );
      expect(actions.map((e) => e.action).pop()).toBe('requirement.decision.withdraw');
    });
  });

  it('a HIPAA specification whose mapped controls are all not applicable stays applicable (164.306(d)); elsewhere it becomes not applicable', async () => {
    const systemId = await newSystem('Controls not applicable');
    const rows = applicable(await coverage(systemId));
    const hipaaLeaf = rows.find((r) => r.framework === 'hipaa-security' && r.controls.length > 0)!;
    for (const c of hipaaLeaf.controls) {
      await t
        .http()
        .patch(`/api/v1/systems/${systemId}/controls/${c.code}`)
        .set(specialist())
        .send({ status: 'not_applicable', justification: 'Handled by the hosting provider for this system' })
        .expect(200);
    }
    const after = await coverage(systemId);
    const h = find(after, 'hipaa-security', hipaaLeaf.ref);
    expect(h.status).toBe('gap');
    expect(h.reason).toMatch(/45 CFR 164\.306\(d\)\((2|3)\)/);
    const marked = new Set(hipaaLeaf.controls.map((c) => c.code));
    const applied = new Set(rows.map((r) => r.requirementId));
    const byMarkedOnly = after
      .flatMap((f) => f.requirements.map((r) => ({ framework: f.framework, ...r })))
      .filter(
        (r) => applied.has(r.requirementId) && r.controls.length > 0 && r.controls.every((c) => marked.has(c.code)),
      );
    for (const r of byMarkedOnly) {
      const expected =
        r.framework === 'hipaa-security' ? ['gap', 'nothing-in-place'] : ['not_applicable', 'controls-not-applicable'];
      expect([r.ref, r.status, r.decidedBy.rule]).toEqual([r.ref, ...expected]);
    }
  });
});
