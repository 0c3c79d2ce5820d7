import { Test } from '@nestjs/testing';
import type { RequirementApplicability } from '../ai-systems/applicability.service';
import { ApplicabilityService } from '../ai-systems/applicability.service';
import type { AiSystemEntity } from '../ai-systems/entities/ai-system.entity';
import { CatalogIndex } from '../catalog/catalog-index';
import type { MappingRow } from '../catalog/catalog.repository';
import type { ControlEntity, RequirementEntity } from '../catalog/entities/catalog.entities';
import { CLOCK } from '../common/time';
import type { EvidenceWithControls } from '../evidence/evidence.repository';
import { EvidenceQueries } from '../evidence/evidence.queries';
import { catalogSnapshot, FixedClock } from '../../test/factories/service-doubles';
import { ControlImplementationsRepository } from './control-implementations.repository';
import { CoverageService } from './coverage.service';
import type { ControlImplementationEntity, ImplementationStatus } from './entities/control-implementation.entity';
import type { RequirementDecisionEntity } from './entities/requirement-decision.entity';
import { RequirementDecisionsRepository } from './requirement-decisions.repository';

/**
 * CoverageService loads what the coverage rule reads, per system and as of an instant. One SOC 2 criterion (CC1) is
 * met by one control (A, equal-to 9: sufficient on its own); whether it is covered depends on A's status and on A's
 * accepted evidence at the instant asked about.
 */
const BEFORE = '2026-10-01T00:00:00.000Z';
const IMPLEMENTED_AT = '2026-10-10T00:00:00.000Z';
const UPLOADED_AT = '2026-10-20T00:00:00.000Z';
const AFTER = '2026-11-01T00:00:00.000Z';

const CC1 = {
  id: 'CC1',
  frameworkKey: 'soc2',
  ref: 'CC1',
  title: 'Control environment',
  isLeaf: true,
} as RequirementEntity;
const A: MappingRow = {
  controlCode: 'A',
  requirementId: 'CC1',
  frameworkKey: 'soc2',
  ref: 'CC1',
  relationship: 'equal-to',
  strength: 9,
  rationale: '',
};
const CATALOG = catalogSnapshot({
  requirements: [CC1],
  requirementById: new Map([['CC1', CC1]]),
  controls: [{ code: 'A', title: 'Control A' } as ControlEntity],
  controlByCode: new Map([['A', { code: 'A', title: 'Control A' } as ControlEntity]]),
  mappingsByRequirement: new Map([['CC1', [A]]]),
  mappingsByControl: new Map([['A', [A]]]),
});

const system = (id: string) => ({ id, modelVersion: '1', modelVersionChangedAt: null }) as unknown as AiSystemEntity;

/** Status history of control implementations; findBySystemsAsOf answers with the latest row at or before `at`. */
class HistoryImplementations implements Pick<ControlImplementationsRepository, 'findBySystemsAsOf'> {
  readonly history: Array<{ systemId: string; controlCode: string; status: ImplementationStatus; at: string }> = [];
  readonly asked: string[] = [];

  findBySystemsAsOf(systemIds: string[], at: string): Promise<ControlImplementationEntity[]> {
    this.asked.push(at);
    const latest = new Map<string, ControlImplementationEntity>();
    for (const row of this.history)
      if (systemIds.includes(row.systemId) && row.at <= at)
        latest.set(`${row.systemId}/${row.controlCode}`, {
          systemId: row.systemId,
          controlCode: row.controlCode,
          status: row.status,
          justification: null,
        } as ControlImplementationEntity);
    return Promise.resolve([...latest.values()]);
  }
}

class MemoryEvidence implements Pick<EvidenceQueries, 'findBySystems'> {
  readonly rows: EvidenceWithControls[] = [];

  add(systemId: string, controlCode: string, uploadedAt: string): void {
    this.rows.push({
      id: `ev-${this.rows.length + 1}`,
      systemId,
      title: 'Access review',
      sha256: 'a'.repeat(64),
      collectedAt: uploadedAt,
      uploadedAt,
      validUntil: null,
      modelVersion: '1',
      reviewStatus: 'accepted',
      reviewedAt: uploadedAt,
      supersededAt: null,
      controlCodes: [controlCode],
      requirementIds: [],
    } as unknown as EvidenceWithControls);
  }

  findBySystems(systemIds: string[]): Promise<EvidenceWithControls[]> {
    return Promise.resolve(this.rows.filter((r) => systemIds.includes(r.systemId)));
  }
}

class MemoryDecisions implements Pick<RequirementDecisionsRepository, 'findBySystems'> {
  readonly rows: RequirementDecisionEntity[] = [];

  findBySystems(systemIds: string[]): Promise<RequirementDecisionEntity[]> {
    return Promise.resolve(this.rows.filter((r) => systemIds.includes(r.systemId)));
  }
}

/** SOC 2 and CC1 apply to every system. */
class Soc2Applies implements Pick<ApplicabilityService, 'evaluate'> {
  evaluate() {
    const requirement = {
      requirementId: 'CC1',
      framework: 'soc2',
      ref: 'CC1',
      title: CC1.title,
      applies: true,
      reason: 'SOC 2 applies',
      rule: 'soc2',
    } as RequirementApplicability;
    return Promise.resolve({
      frameworks: [{ framework: 'soc2', name: 'SOC 2', applies: true }],
      requirements: [requirement],
    } as unknown as Awaited<ReturnType<ApplicabilityService['evaluate']>>);
  }
}

describe('CoverageService', () => {
  let service: CoverageService;
  let implementations: HistoryImplementations;
  let evidence: MemoryEvidence;
  let decisions: MemoryDecisions;
  let clock: FixedClock;
  let catalogReads: number;

  beforeEach(async () => {
    implementations = new HistoryImplementations();
    evidence = new MemoryEvidence();
    decisions = new MemoryDecisions();
    clock = new FixedClock(new Date(AFTER));
    catalogReads = 0;
    service = await compile();
  });

  const compile = async () => {
    const moduleRef = await Test.createTestingModule({
      providers: [
        CoverageService,
        {
          provide: CatalogIndex,
          useValue: {
            get: () => {
              catalogReads++;
              return Promise.resolve(CATALOG);
            },
          },
        },
        { provide: ApplicabilityService, useValue: new Soc2Applies() },
        { provide: ControlImplementationsRepository, useValue: implementations },
        { provide: EvidenceQueries, useValue: evidence },
        { provide: RequirementDecisionsRepository, useValue: decisions },
        { provide: CLOCK, useValue: clock },
      ],
    }).compile();
    return moduleRef.get(CoverageService);
  };

  const statusOf = async (id: string, at?: string) => {
    const [soc2] = await service.forSystem(system(id), at);
    return soc2.requirements.find((r) => r.requirementId === 'CC1')!;
  };

  it('covers a requirement once its sufficient control is implemented with accepted evidence, and not before', async () => {
    implementations.history.push(
      { systemId: 'sys-1', controlCode: 'A', status: 'in_progress', at: BEFORE },
      { systemId: 'sys-1', controlCode: 'A', status: 'implemented', at: IMPLEMENTED_AT },
    );
    evidence.add('sys-1', 'A', UPLOADED_AT);

    const now = await statusOf('sys-1');
    expect(now.status).toBe('covered');
    expect(now.decidedBy.rule).toBe('sufficient-control');
    expect(now.decidedBy.controls).toEqual([expect.objectContaining({ code: 'A', evidence: ['ev-1'] })]);
    // Implemented but the evidence not uploaded yet: the rule reads the evidence as it stood then.
    expect((await statusOf('sys-1', IMPLEMENTED_AT)).status).not.toBe('covered');
    // Still in progress: the status is read from the history at that instant, not the current row.
    const before = await statusOf('sys-1', BEFORE);
    expect(before.status).not.toBe('covered');
    expect(before.decidedBy.controls).toEqual([expect.objectContaining({ code: 'A', status: 'in_progress' })]);
  });

  it("judges now on the clock's time when no instant is given", async () => {
    implementations.history.push({ systemId: 'sys-1', controlCode: 'A', status: 'implemented', at: IMPLEMENTED_AT });
    evidence.add('sys-1', 'A', UPLOADED_AT);
    clock = new FixedClock(new Date(IMPLEMENTED_AT));
    const atClock = await compile();
    const [soc2] = await atClock.forSystem(system('sys-1'));
    expect(soc2.requirements[0].status).not.toBe('covered');
    expect(implementations.asked).toEqual([IMPLEMENTED_AT]);
    clock.advance(Date.parse(AFTER) - Date.parse(IMPLEMENTED_AT));
    const [later] = await atClock.forSystem(system('sys-1'));
    expect(later.requirements[0].status).toBe('covered');
  });

  it('gives each system its own rows only, from one read of each kind for all of them', async () => {
    implementations.history.push(
      { systemId: 'sys-1', controlCode: 'A', status: 'implemented', at: IMPLEMENTED_AT },
      { systemId: 'sys-2', controlCode: 'A', status: 'implemented', at: IMPLEMENTED_AT },
      { systemId: 'sys-3', controlCode: 'A', status: 'implemented', at: IMPLEMENTED_AT },
    );
    // Evidence of sys-1 only; an excluding decision for sys-3 only.
    evidence.add('sys-1', 'A', UPLOADED_AT);
    decisions.rows.push({
      id: 'd-1',
      systemId: 'sys-3',
      requirementId: 'CC1',
      decision: 'excluded',
      rationale: 'This system has no staff of its own: the control environment is the operator’s.',
      decidedBy: 'u-1',
      decidedAt: IMPLEMENTED_AT,
    });

    const coverage = await service.forSystems([system('sys-1'), system('sys-2'), system('sys-3')], AFTER);
    const cc1 = (id: string) => coverage.get(id)![0].requirements[0];
    expect(cc1('sys-1').status).toBe('covered');
    expect(cc1('sys-2').status).not.toBe('covered');
    expect(cc1('sys-2').decidedBy.controls[0].evidence).toEqual([]);
    expect(cc1('sys-3').decidedBy.rule).toBe('excluded');
    expect(cc1('sys-1').decidedBy.rule).not.toBe('excluded');
    expect(implementations.asked).toEqual([AFTER]);
    expect(catalogReads).toBe(1);
  });

  it('answers an empty map for no systems', async () => {
    expect((await service.inputsAsOf([], AFTER)).size).toBe(0);
  });
});
