import type { RequirementApplicability } from '../ai-systems/applicability.service';
import type { AiSystemEntity } from '../ai-systems/entities/ai-system.entity';
import type { CatalogSnapshot, JointlySufficientSet } from '../catalog/catalog-index';
import type { MappingRow } from '../catalog/catalog.repository';
import type { ControlEntity, RequirementEntity } from '../catalog/entities/catalog.entities';
import type { EvidenceWithControls } from '../evidence/evidence.repository';
import { computeCoverage, CoverageDecisionInput, RequirementCoverage } from './coverage';
import type { ControlImplementationEntity, ImplementationStatus } from './entities/control-implementation.entity';

/**
 * The coverage rule on a small, fixed catalog, independent of the shipped mapping data:
 * - SOC 2 CC1 is mapped by A (superset-of 8: sufficient), B (intersects-with 9) and C (equivalent-to 6: below 7);
 * - SOC 2 CC2 is mapped by A (subset-of 9) and B (intersects-with 5), with the jointly-sufficient set A + B;
 * - SOC 2 CC3 is mapped by nothing; SOC 2 CC4 by D (equal-to 9);
 * - HIPAA R (required) and ADD (addressable) are mapped by D (superset-of 8).
 */
const AT = '2026-12-01T12:00:00.000Z';
const EARLIER = '2026-11-01T12:00:00.000Z';

const requirement = (id: string, frameworkKey: string, attributes: Record<string, string> = {}): RequirementEntity => ({
  id,
  frameworkKey,
  ref: id,
  parentRef: null,
  level: 'criterion',
  title: `Title ${id}`,
  description: '',
  attributes,
  isLeaf: true,
  position: 0,
  organisationalReason: null,
  retiredAt: null,
});

const REQUIREMENTS = [
  requirement('CC1', 'soc2'),
  requirement('CC2', 'soc2'),
  requirement('CC3', 'soc2'),
  requirement('CC4', 'soc2'),
  requirement('R', 'hipaa-security', { implementation: 'required' }),
  requirement('ADD', 'hipaa-security', { implementation: 'addressable' }),
];

const mapping = (controlCode: string, requirementId: string, relationship: string, strength: number): MappingRow => ({
  controlCode,
  requirementId,
  frameworkKey: REQUIREMENTS.find((r) => r.id === requirementId)!.frameworkKey,
  ref: requirementId,
  relationship,
  strength,
  rationale: '',
});

const MAPPINGS = [
  mapping('A', 'CC1', 'superset-of', 8),
  mapping('B', 'CC1', 'intersects-with', 9),
  mapping('C', 'CC1', 'equivalent-to', 6),
  mapping('A', 'CC2', 'subset-of', 9),
  mapping('B', 'CC2', 'intersects-with', 5),
  mapping('D', 'CC4', 'equal-to', 9),
  mapping('D', 'R', 'superset-of', 8),
  mapping('D', 'ADD', 'superset-of', 8),
];

function catalog(
  jointSets: Record<string, JointlySufficientSet[]> = { CC2: [{ controls: ['A', 'B'], reason: 'A and B together' }] },
): CatalogSnapshot {
  const group = (key: (m: MappingRow) => string) => {
    const map = new Map<string, MappingRow[]>();
    for (const m of MAPPINGS) map.set(key(m), [...(map.get(key(m)) ?? []), m]);
    return map;
  };
  const controls = ['A', 'B', 'C', 'D'].map((code) => ({ code, title: `Control ${code}` }) as ControlEntity);
  return {
    frameworks: [],
    frameworkByKey: new Map(),
    requirements: REQUIREMENTS,
    requirementById: new Map(REQUIREMENTS.map((r) => [r.id, r])),
    leavesByFramework: new Map(),
    controls,
    controlByCode: new Map(controls.map((c) => [c.code, c])),
    mappingsByRequirement: group((m) => m.requirementId),
    mappingsByControl: group((m) => m.controlCode),
    coverage: { threshold: 7, jointSetsByRequirement: new Map(Object.entries(jointSets)) },
  };
}

const SYSTEM = { id: 'sys', modelVersion: '1', modelVersionChangedAt: null } as unknown as AiSystemEntity;

const applies = (id: string, overrides: Partial<RequirementApplicability> = {}): RequirementApplicability =>
  ({
    requirementId: id,
    framework: REQUIREMENTS.find((r) => r.id === id)!.frameworkKey,
    ref: id,
    title: `Title ${id}`,
    applies: true,
    reason: 'the framework applies',
    rule: 'rule',
    ...overrides,
  }) as RequirementApplicability;

const implemented = (code: string, status: ImplementationStatus = 'implemented', justification: string | null = null) =>
  ({ controlCode: code, status, justification }) as ControlImplementationEntity;

let evidenceCounter = 0;
function evidence(
  codes: string[],
  options: { requirementIds?: string[]; review?: 'accepted' | 'submitted' | 'rejected'; validUntil?: string } = {},
): EvidenceWithControls {
  const id = `e${String(++evidenceCounter).padStart(7, '0')}-0000-4000-8000-000000000000`;
  return {
    id,
    systemId: 'sys',
    kind: 'document',
    title: `Evidence ${evidenceCounter}`,
    sha256: 'a'.repeat(64),
    sizeBytes: 1,
    mediaType: 'text/plain',
    fileName: 'e.txt',
    collectedAt: EARLIER,
    uploadedAt: EARLIER,
    uploadedBy: 'u',
    validUntil: options.validUntil ?? null,
    validUntilBasis: null,
    modelVersion: '1',
    reviewStatus: options.review ?? 'accepted',
    reviewedBy: 'r',
    reviewedAt: EARLIER,
    reviewComment: null,
    supersedesId: null,
    supersededById: null,
    atlasTechniqueIds: null,
    redTeamOutcome: null,
    provenance: null,
    controlCodes: codes,
    requirementIds: options.requirementIds ?? [],
    supersededAt: null,
  };
}

interface Case {
  name: string;
  requirement: string;
  implementations: ControlImplementationEntity[];
  evidence: () => EvidenceWithControls[];
  decisions?: CoverageDecisionInput[];
  jointSets?: Record<string, JointlySufficientSet[]>;
  status: RequirementCoverage['status'];
  rule: string;
  deciding: string[];
  reason: RegExp;
}

const decision = (
  requirementId: string,
  value: CoverageDecisionInput['decision'],
  rationale = 'Documented in the risk analysis of 2026-10',
): CoverageDecisionInput => ({
  id: `d-${requirementId}`,
  requirementId,
  decision: value,
  rationale,
  decidedBy: 'user-1',
  decidedAt: EARLIER,
});

const CASES: Case[] = [
  {
    name: 'an implemented control with current evidence whose only mapping is intersects-with leaves the requirement partial',
    requirement: 'CC1',
    implementations: [implemented('B')],
    evidence: () => [evidence(['B'])],
    status: 'partial',
    rule: 'no-sufficient-path',
    deciding: ['B', 'A'],
    reason:
      /^partial: B intersects-with \(strength 9\) is implemented with current accepted evidence e\d+ "Evidence \d+"; but no sufficient path holds \(sufficient: A superset-of \(strength 8, sufficient\) is not started\)/,
  },
  {
    name: 'an equivalent-to mapping below the threshold leaves it partial',
    requirement: 'CC1',
    implementations: [implemented('C')],
    evidence: () => [evidence(['C'])],
    status: 'partial',
    rule: 'no-sufficient-path',
    deciding: ['C', 'A'],
    reason: /^partial: C equivalent-to \(strength 6\) is implemented with current accepted evidence/,
  },
  {
    name: 'superset-of at or above the threshold, implemented with current accepted evidence, covers',
    requirement: 'CC1',
    implementations: [implemented('A'), implemented('B')],
    evidence: () => [evidence(['A', 'B'])],
    status: 'covered',
    rule: 'sufficient-control',
    deciding: ['A'],
    reason:
      /^covered: A superset-of \(strength 8, sufficient\) is implemented with current accepted evidence e\d+ "Evidence \d+"$/,
  },
  {
    name: 'a sufficient control without current accepted evidence (only submitted) is partial',
    requirement: 'CC1',
    implementations: [implemented('A')],
    evidence: () => [evidence(['A'], { review: 'submitted' })],
    status: 'partial',
    rule: 'no-sufficient-path',
    deciding: ['A'],
    reason:
      /^partial: A superset-of \(strength 8, sufficient\) is implemented, but has no current accepted evidence \(e\d+ submitted\)/,
  },
  {
    name: 'a sufficient control with expired evidence is partial, naming the expiry',
    requirement: 'CC1',
    implementations: [implemented('A')],
    evidence: () => [evidence(['A'], { validUntil: '2026-11-20T00:00:00.000Z' })],
    status: 'partial',
    rule: 'no-sufficient-path',
    deciding: ['A'],
    reason: /no current accepted evidence \(e\d+ expired on 2026-11-20\)/,
  },
  {
    name: 'a sufficient control with current evidence but not implemented is partial',
    requirement: 'CC1',
    implementations: [implemented('A', 'in_progress')],
    evidence: () => [evidence(['A'])],
    status: 'partial',
    rule: 'no-sufficient-path',
    deciding: ['A'],
    reason:
      /^partial: A superset-of \(strength 8, sufficient\) has current accepted evidence e\d+ "Evidence \d+", but is in progress/,
  },
  {
    name: 'evidence that names another requirement does not cover this one',
    requirement: 'CC1',
    implementations: [implemented('A')],
    evidence: () => [evidence(['A'], { requirementIds: ['CC2'] })],
    status: 'partial',
    rule: 'no-sufficient-path',
    deciding: ['A'],
    reason: /^partial: A superset-of \(strength 8, sufficient\) is implemented, but has no current accepted evidence;/,
  },
  {
    name: 'evidence that names this requirement covers it',
    requirement: 'CC1',
    implementations: [implemented('A')],
    evidence: () => [evidence(['A'], { requirementIds: ['CC1', 'CC2'] })],
    status: 'covered',
    rule: 'sufficient-control',
    deciding: ['A'],
    reason: /^covered: A superset-of/,
  },
  {
    name: 'evidence linked to another control does not count for this control',
    requirement: 'CC1',
    implementations: [implemented('A')],
    evidence: () => [evidence(['D'])],
    status: 'partial',
    rule: 'no-sufficient-path',
    deciding: ['A'],
    reason: /^partial: A superset-of \(strength 8, sufficient\) is implemented, but has no current accepted evidence;/,
  },
  {
    name: 'a jointly-sufficient set covers when every member holds',
    requirement: 'CC2',
    implementations: [implemented('A'), implemented('B')],
    evidence: () => [evidence(['A']), evidence(['B'])],
    status: 'covered',
    rule: 'jointly-sufficient-set',
    deciding: ['A', 'B'],
    reason:
      /^covered by the jointly-sufficient set A \+ B \(A and B together\): A subset-of \(strength 9\) is implemented with current accepted evidence .*; B intersects-with \(strength 5\) is implemented with/,
  },
  {
    name: 'a jointly-sufficient set with one member lacking evidence is partial, naming the member',
    requirement: 'CC2',
    implementations: [implemented('A'), implemented('B')],
    evidence: () => [evidence(['A'])],
    status: 'partial',
    rule: 'no-sufficient-path',
    deciding: ['A', 'B'],
    reason:
      /no sufficient path holds; no mapping is sufficient \(equal-to, equivalent-to, superset-of with strength >= 7\); the jointly-sufficient set A \+ B lacks B$/,
  },
  {
    name: 'the same controls without a declared set are partial',
    requirement: 'CC2',
    implementations: [implemented('A'), implemented('B')],
    evidence: () => [evidence(['A']), evidence(['B'])],
    jointSets: {},
    status: 'partial',
    rule: 'no-sufficient-path',
    deciding: ['A', 'B'],
    reason: /^partial: .*no sufficient path holds; no mapping is sufficient/,
  },
  {
    name: 'nothing started is a gap that names what would cover it',
    requirement: 'CC1',
    implementations: [],
    evidence: () => [],
    status: 'gap',
    rule: 'nothing-in-place',
    deciding: ['A', 'B', 'C'],
    reason:
      /^gap: no mapped control is implemented, in progress or has current accepted evidence for this requirement; it would be covered by A superset-of \(strength 8, sufficient\) once implemented/,
  },
  {
    name: 'a requirement no control maps is a gap',
    requirement: 'CC3',
    implementations: [],
    evidence: () => [],
    status: 'gap',
    rule: 'nothing-in-place',
    deciding: [],
    reason: /^gap: no control in the library maps to this requirement$/,
  },
  {
    name: 'outside HIPAA, every mapped control not applicable makes the requirement not applicable with the justifications',
    requirement: 'CC4',
    implementations: [implemented('D', 'not_applicable', 'No personal data at all')],
    evidence: () => [],
    status: 'not_applicable',
    rule: 'controls-not-applicable',
    deciding: ['D'],
    reason: /^not applicable: every mapped control is marked not applicable \(D: No personal data at all\)$/,
  },
  {
    name: 'a required HIPAA specification is not made not applicable by its controls (164.306(d)(2))',
    requirement: 'R',
    implementations: [implemented('D', 'not_applicable', 'Not needed here')],
    evidence: () => [],
    status: 'gap',
    rule: 'nothing-in-place',
    deciding: ['D'],
    reason: /164\.306\(d\)\(2\)/,
  },
  {
    name: 'an addressable HIPAA specification is not made not applicable by its controls (164.306(d)(3))',
    requirement: 'ADD',
    implementations: [implemented('D', 'not_applicable', 'Not needed here')],
    evidence: () => [],
    status: 'gap',
    rule: 'nothing-in-place',
    deciding: ['D'],
    reason: /never not applicable \(45 CFR 164\.306\(d\)\(3\)\)/,
  },
  {
    name: 'an addressable specification met by a documented alternative measure is covered',
    requirement: 'ADD',
    implementations: [],
    evidence: () => [],
    decisions: [decision('ADD', 'alternative_measure', 'Session timeout replaced by badge-tap lock')],
    status: 'covered',
    rule: 'hipaa-alternative-measure',
    deciding: [],
    reason:
      /^covered: addressable specification met by a documented equivalent alternative measure, 45 CFR 164\.306\(d\)\(3\)\(ii\)\(B\)\(2\) \(recorded 2026-11-01: Session timeout replaced by badge-tap lock\)$/,
  },
  {
    name: 'an addressable specification documented as not reasonable and appropriate is not applicable with the rationale',
    requirement: 'ADD',
    implementations: [],
    evidence: () => [],
    decisions: [decision('ADD', 'not_reasonable_and_appropriate', 'No workstation stores ePHI')],
    status: 'not_applicable',
    rule: 'hipaa-not-reasonable-and-appropriate',
    deciding: [],
    reason:
      /^not applicable: addressable specification documented as not reasonable and appropriate .*164\.306\(d\)\(3\)\(ii\)\(B\) \(recorded 2026-11-01: No workstation stores ePHI\)$/,
  },
  {
    name: 'a stored decision the rule forbids (a required spec) is void and ignored',
    requirement: 'R',
    implementations: [implemented('D')],
    evidence: () => [evidence(['D'])],
    decisions: [decision('R', 'excluded')],
    status: 'covered',
    rule: 'sufficient-control',
    deciding: ['D'],
    reason: /^covered: D superset-of .*\(the recorded excluded decision is void: 164\.306\(d\)\(2\)/,
  },
  {
    name: 'a recorded exclusion of a non-HIPAA requirement makes it not applicable with the reason',
    requirement: 'CC1',
    implementations: [implemented('B')],
    evidence: () => [evidence(['B'])],
    decisions: [decision('CC1', 'excluded', 'The system has no fraud exposure')],
    status: 'not_applicable',
    rule: 'excluded',
    deciding: [],
    reason:
      /^not applicable: excluded for this system with a recorded reason \(recorded 2026-11-01: The system has no fraud exposure\)$/,
  },
];

describe('computeCoverage: the coverage rule', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const [framework] = computeCoverage({
      system: SYSTEM,
      requirements: [applies(c.requirement)],
      frameworks: [
        { framework: REQUIREMENTS.find((r) => r.id === c.requirement)!.frameworkKey, name: 'F', applies: true },
      ],
      catalog: catalog(c.jointSets),
      implementations: c.implementations,
      evidence: c.evidence(),
      decisions: c.decisions ?? [],
      at: AT,
    });
    const [result] = framework.requirements;
    expect({
      status: result.status,
      rule: result.decidedBy.rule,
      deciding: result.decidedBy.controls.map((d) => d.code),
    }).toEqual({
      status: c.status,
      rule: c.rule,
      deciding: c.deciding,
    });
    expect(result.reason).toMatch(c.reason);
    expect(result.decidedBy.threshold).toBe(7);
    expect(
      c.status === 'not_applicable'
        ? [framework.notApplicable, framework.applicable]
        : [framework[c.status], framework.applicable],
    ).toEqual([1, c.status === 'not_applicable' ? 0 : 1]);
  });

  it('names the deciding evidence by id and the mapping that made it sufficient in the structured reason', () => {
    const item = evidence(['A']);
    const [framework] = computeCoverage({
      system: SYSTEM,
      requirements: [applies('CC1')],
      frameworks: [{ framework: 'soc2', name: 'SOC 2', applies: true }],
      catalog: catalog(),
      implementations: [implemented('A')],
      evidence: [item],
      decisions: [],
      at: AT,
    });
    expect(framework.requirements[0].decidedBy.controls).toEqual([
      {
        code: 'A',
        relationship: 'superset-of',
        strength: 8,
        sufficient: true,
        status: 'implemented',
        evidence: [item.id],
      },
    ]);
    expect(framework.requirements[0].controls.map((c) => [c.code, c.sufficient])).toEqual([
      ['A', true],
      ['B', false],
      ['C', false],
    ]);
  });

  it('counts covered leaves over applicable ones; not applicable leaves are left out', () => {
    const [framework] = computeCoverage({
      system: SYSTEM,
      requirements: [
        applies('CC1'),
        applies('CC2'),
        applies('CC3'),
        applies('CC4', { applies: false, reason: 'Organisational, not per system: x' }),
      ],
      frameworks: [{ framework: 'soc2', name: 'SOC 2', applies: true }],
      catalog: catalog(),
      implementations: [implemented('A'), implemented('B')],
      evidence: [evidence(['A', 'B'])],
      decisions: [],
      at: AT,
    });
    expect(framework).toMatchObject({ applicable: 3, covered: 2, partial: 0, gap: 1, notApplicable: 1, percent: 66.7 });
    expect(framework.requirements[3]).toMatchObject({
      status: 'not_applicable',
      reason: 'not applicable: Organisational, not per system: x',
      decidedBy: { rule: 'outside-applicability' },
    });
  });

  it('evaluates evidence at the instant asked: evidence accepted later does not cover an earlier instant', () => {
    const item = { ...evidence(['A']), reviewedAt: AT };
    const run = (at: string) =>
      computeCoverage({
        system: SYSTEM,
        requirements: [applies('CC1')],
        frameworks: [{ framework: 'soc2', name: 'SOC 2', applies: true }],
        catalog: catalog(),
        implementations: [implemented('A')],
        evidence: [item],
        decisions: [],
        at,
      })[0].requirements[0].status;
    expect([run('2026-11-15T00:00:00.000Z'), run(AT)]).toEqual(['partial', 'covered']);
  });
});
