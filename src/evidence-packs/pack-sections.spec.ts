import type { AiSystemEntity } from '../ai-systems/entities/ai-system.entity';
import type { CatalogSnapshot } from '../catalog/catalog-index';
import type { ControlImplementationEntity } from '../controls/entities/control-implementation.entity';
import type { EvidenceWithControls } from '../evidence/evidence.repository';
import type { TaskEntity, TaskStatus } from '../tasks/entities/task.entity';
import {
  controlFrameworks,
  controlMatrix,
  evidenceRegister,
  PackContext,
  remediationSection,
  sortExceptions,
  SystemPackInputs,
  systemExceptions,
} from './pack-sections';

const AT = '2026-09-30T12:00:00.000Z';
const PERIOD = { start: '2026-01-01T00:00:00.000Z', end: '2026-12-31T23:59:59.999Z' };

const catalog = {
  mappingsByControl: new Map([
    ['AIG-GOV-01', [{ frameworkKey: 'gdpr' }, { frameworkKey: 'nist-ai-rmf-1.0' }]],
    ['AIG-SEC-01', [{ frameworkKey: 'gdpr' }]],
    ['AIG-OUT-01', [{ frameworkKey: 'hipaa-security' }]],
  ]),
  controlByCode: new Map([
    [
      'AIG-GOV-01',
      {
        title: 'AI policy',
        objective: 'Approve an AI policy.',
        testProcedure: 'Inspect it.',
        reviewFrequency: 'quarterly',
      },
    ],
    [
      'AIG-SEC-01',
      {
        title: 'Access control',
        objective: 'Limit access.',
        testProcedure: 'Sample grants.',
        reviewFrequency: 'annual',
      },
    ],
    ['AIG-OUT-01', { title: 'Out of scope', objective: '', testProcedure: '', reviewFrequency: 'annual' }],
  ]),
} as unknown as CatalogSnapshot;

const system = {
  id: 'sys-1',
  name: 'CV screening',
  modelVersion: '1.0',
  modelVersionChangedAt: null,
} as unknown as AiSystemEntity;

function context(over: Partial<PackContext> = {}): PackContext {
  return {
    catalog,
    frameworks: new Set(['gdpr', 'nist-ai-rmf-1.0']),
    at: AT,
    period: PERIOD,
    people: new Map([
      ['u-owner', 'Olga Owner <olga@example.test>'],
      ['u-tester', 'Tom Tester <tom@example.test>'],
      ['u-reviewer', 'Rita Reviewer <rita@example.test>'],
    ]),
    ...over,
  };
}

function implementation(code: string, over: Partial<ControlImplementationEntity> = {}): ControlImplementationEntity {
  return {
    id: `impl-${code}`,
    systemId: system.id,
    controlCode: code,
    status: 'implemented',
    statement: '',
    justification: null,
    owner: 'Security team',
    ownerUserId: null,
    lastReviewedAt: '2026-08-01T00:00:00.000Z',
    nextReviewDue: '2026-11-01T00:00:00.000Z',
    updatedAt: '2026-01-05T00:00:00.000Z',
    ...over,
  };
}

function evidence(id: string, over: Partial<EvidenceWithControls> = {}): EvidenceWithControls {
  return {
    id,
    systemId: system.id,
    kind: 'document',
    title: `Evidence ${id}`,
    sha256: id.padEnd(64, '0'),
    sizeBytes: 100,
    fileName: `${id}.pdf`,
    collectedAt: '2026-02-01T00:00:00.000Z',
    uploadedAt: '2026-02-01T00:00:00.000Z',
    validUntil: null,
    modelVersion: '',
    reviewStatus: 'accepted',
    reviewedBy: 'u-reviewer',
    reviewedAt: '2026-02-02T00:00:00.000Z',
    controlCodes: ['AIG-GOV-01'],
    requirementIds: [],
    supersededAt: null,
    ...over,
  } as EvidenceWithControls;
}

function inputs(over: Partial<SystemPackInputs> = {}): SystemPackInputs {
  return {
    system,
    coverage: {
      system,
      requirements: [],
      frameworks: [],
      catalog,
      implementations: [
        implementation('AIG-GOV-01', { ownerUserId: 'u-owner' }),
        implementation('AIG-SEC-01'),
        implementation('AIG-OUT-01'),
      ],
      evidence: [evidence('e1')],
      decisions: [],
    },
    statusSince: new Map([
      ['AIG-GOV-01', '2026-01-05T00:00:00.000Z'],
      ['AIG-SEC-01', '2026-01-05T00:00:00.000Z'],
    ]),
    tests: [],
    ...over,
  };
}

describe('pack section builders', () => {
  it('maps a control to the frameworks in scope only', () => {
    expect(controlFrameworks(context(), 'AIG-GOV-01')).toEqual(['gdpr', 'nist-ai-rmf-1.0']);
    expect(controlFrameworks(context(), 'AIG-OUT-01')).toEqual([]);
  });

  describe('control matrix', () => {
    it('gives controls in scope with objective, test procedure, named owner (else the owner text) and status since', () => {
      const rows = controlMatrix(inputs(), context());
      expect(rows.map((r) => r.code)).toEqual(['AIG-GOV-01', 'AIG-SEC-01']);
      expect(rows[0]).toMatchObject({
        objective: 'Approve an AI policy.',
        testProcedure: 'Inspect it.',
        reviewFrequency: 'quarterly',
        owner: 'Olga Owner <olga@example.test>',
        status: 'implemented',
        statusSince: '2026-01-05T00:00:00.000Z',
        currentEvidence: 1,
      });
      expect(rows[1].owner).toBe('Security team');
    });

    it('lists the tests of the period up to as-of with the tester named, leaving out later ones', () => {
      const test = (testedAt: string, result: string) => ({
        controlCode: 'AIG-GOV-01',
        testedAt,
        procedure: 'Re-performed',
        populationSize: 40,
        sampleSize: 10,
        result,
        testerId: 'u-tester',
        notes: '',
        evidenceIds: [],
      });
      const rows = controlMatrix(
        inputs({
          tests: [
            test('2026-09-01T00:00:00.000Z', 'fail'),
            test('2025-12-01T00:00:00.000Z', 'pass'),
            test('2026-10-01T00:00:00.000Z', 'pass'),
          ],
        }),
        context(),
      );
      expect(rows[0].tests).toEqual([
        expect.objectContaining({ result: 'fail', tester: 'Tom Tester <tom@example.test>' }),
      ]);
    });
  });

  describe('evidence register', () => {
    it('flags evidence collected outside the period and shows rejected evidence as rejected, not stale', () => {
      const register = evidenceRegister(
        inputs({
          coverage: {
            ...inputs().coverage,
            evidence: [
              evidence('e1'),
              evidence('e2', { collectedAt: '2025-11-01T00:00:00.000Z' }),
              evidence('e3', { reviewStatus: 'rejected', validUntil: '2026-03-01T00:00:00.000Z' }),
              evidence('e4', { reviewStatus: 'submitted', reviewedBy: null, reviewedAt: null }),
              evidence('e5', { validUntil: '2026-06-01T00:00:00.000Z' }),
              evidence('e6', { uploadedAt: '2026-10-01T00:00:00.000Z' }),
              evidence('e7', { controlCodes: ['AIG-OUT-01'] }),
            ],
          },
        }),
        context(),
      );
      expect(register.map((e) => [e.id, e.withinPeriod, e.currency])).toEqual([
        ['e1', true, 'current'],
        ['e2', false, 'current'],
        ['e3', true, 'rejected'],
        ['e4', true, 'awaiting review'],
        ['e5', true, 'stale'],
      ]);
      expect(register[0].reviewer).toBe('Rita Reviewer <rita@example.test>');
    });

    it('counts everything as within the period of a system pack', () => {
      const register = evidenceRegister(
        inputs({
          coverage: { ...inputs().coverage, evidence: [evidence('e2', { collectedAt: '2020-01-01T00:00:00.000Z' })] },
        }),
        context({ period: null }),
      );
      expect(register[0].withinPeriod).toBe(true);
    });
  });

  describe('exceptions and deviations', () => {
    it('reports failed and exception tests, rejected and expired evidence, missing evidence and missed reviews', () => {
      const data = inputs({
        coverage: {
          ...inputs().coverage,
          evidence: [
            // AIG-GOV-01: accepted from 02-02, expired 05-01, replaced 06-01: a gap of a month in between.
            evidence('e1', { validUntil: '2026-05-01T00:00:00.000Z' }),
            evidence('e2', { uploadedAt: '2026-06-01T00:00:00.000Z', reviewedAt: '2026-06-01T00:00:00.000Z' }),
            evidence('e3', {
              controlCodes: ['AIG-SEC-01'],
              reviewStatus: 'rejected',
              reviewedAt: '2026-04-01T00:00:00.000Z',
            }),
          ],
        },
        tests: [
          {
            controlCode: 'AIG-GOV-01',
            testedAt: '2026-07-01T00:00:00.000Z',
            procedure: 'Inspected the policy',
            populationSize: null,
            sampleSize: null,
            result: 'exception',
            testerId: 'u-tester',
            notes: 'Approval signed late',
            evidenceIds: [],
          },
        ],
      });
      // AIG-SEC-01 was last reviewed 2025-06-01 on an annual cadence and has no next review set.
      data.coverage.implementations[1] = implementation('AIG-SEC-01', {
        lastReviewedAt: '2025-06-01T00:00:00.000Z',
        nextReviewDue: null,
      });
      const matrix = controlMatrix(data, context());
      const exceptions = sortExceptions(systemExceptions(data, matrix, context()));
      expect(exceptions.map((e) => [e.kind, e.controlCode])).toEqual([
        ['test_exception', 'AIG-GOV-01'],
        ['evidence_rejected', 'AIG-SEC-01'],
        ['evidence_expired', 'AIG-GOV-01'],
        ['evidence_missing', 'AIG-SEC-01'],
        ['evidence_missing', 'AIG-GOV-01'],
        ['review_missed', 'AIG-SEC-01'],
      ]);
      expect(exceptions[0].detail).toContain('Approval signed late');
      expect(exceptions[4].detail).toBe('Implemented without current accepted evidence from 2026-05-01 to 2026-06-01');
      expect(exceptions[5].detail).toContain('annual review cadence missed: last reviewed 2025-06-01');
    });

    it('reports no missing evidence before the control became implemented, nor a review not yet due', () => {
      const data = inputs({
        statusSince: new Map([
          ['AIG-GOV-01', '2026-02-02T00:00:00.000Z'],
          ['AIG-SEC-01', '2026-09-30T00:00:00.000Z'],
        ]),
      });
      const exceptions = systemExceptions(data, controlMatrix(data, context()), context());
      expect(exceptions).toEqual([]);
    });
  });

  it('keeps remediation tasks, counts the other kinds and marks overdue ones as exceptions', () => {
    const task = (id: string, kind: string, dueDate: string | null) =>
      ({
        id,
        systemId: system.id,
        controlCode: 'AIG-GOV-01',
        kind,
        title: `Task ${id}`,
        statusAt: 'open' as TaskStatus,
        priority: 'high',
        assigneeUserId: 'u-owner',
        dueDate,
      }) as unknown as TaskEntity & { statusAt: TaskStatus };
    const result = remediationSection(
      [
        task('t1', 'remediation', '2026-10-15T00:00:00.000Z'),
        task('t2', 'remediation', '2026-09-01T00:00:00.000Z'),
        task('t3', 'review', null),
        task('t4', 'evidence_request', null),
      ],
      new Map([[system.id, system.name]]),
      context(),
    );
    expect(result.openRemediation.map((t) => [t.id, t.overdue, t.assignee])).toEqual([
      ['t2', true, 'Olga Owner <olga@example.test>'],
      ['t1', false, 'Olga Owner <olga@example.test>'],
    ]);
    expect(result.otherOpenTasks).toEqual({ review: 1, evidence_request: 1 });
    expect(result.overdue).toEqual([
      expect.objectContaining({ kind: 'remediation_overdue', controlCode: 'AIG-GOV-01' }),
    ]);
  });
});
