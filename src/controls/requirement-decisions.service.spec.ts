import { Test } from '@nestjs/testing';
import {
  actor,
  catalogSnapshot,
  FakeTransactionRunner,
  FixedCatalogIndex,
  FixedClock,
  RecordingAuditLog,
} from '../../test/factories/service-doubles';
import { AiSystemsService } from '../ai-systems/ai-systems.service';
import { AiSystemEntity } from '../ai-systems/entities/ai-system.entity';
import { AuditLogService } from '../audit-log/audit-log.service';
import { CatalogIndex } from '../catalog/catalog-index';
import { RequirementEntity } from '../catalog/entities/catalog.entities';
import { CLOCK } from '../common/time';
import { TransactionRunner } from '../database/transaction-runner';
import { DecisionInput } from './dto/requirement-decision.dto';
import { RequirementDecisionEntity } from './entities/requirement-decision.entity';
import { RequirementDecisionsRepository } from './requirement-decisions.repository';
import { RequirementDecisionsService } from './requirement-decisions.service';

const NOW = new Date('2026-06-01T12:00:00.000Z');

class MemoryDecisions implements Pick<
  RequirementDecisionsRepository,
  'findBySystem' | 'findOne' | 'insert' | 'update' | 'remove'
> {
  readonly rows = new Map<string, RequirementDecisionEntity>();
  findBySystem(systemId: string) {
    return Promise.resolve([...this.rows.values()].filter((r) => r.systemId === systemId));
  }
  findOne(_tx: unknown, systemId: string, requirementId: string) {
    const row = [...this.rows.values()].find((r) => r.systemId === systemId && r.requirementId === requirementId);
    return Promise.resolve(row ? { ...row } : null);
  }
  insert(_tx: unknown, row: RequirementDecisionEntity) {
    this.rows.set(row.id, { ...row });
    return Promise.resolve();
  }
  update(_tx: unknown, id: string, changes: Partial<RequirementDecisionEntity>) {
    Object.assign(this.rows.get(id)!, changes);
    return Promise.resolve();
  }
  remove(_tx: unknown, id: string) {
    this.rows.delete(id);
    return Promise.resolve();
  }
}

class MemorySystemsService implements Pick<AiSystemsService, 'getEntity'> {
  readonly rows = new Map<string, AiSystemEntity>();
  getEntity(_actor: unknown, id: string) {
    return Promise.resolve(this.rows.get(id)!);
  }
}

function requirement(frameworkKey: string, ref: string, attributes: Record<string, string> = {}, isLeaf = true) {
  return Object.assign(new RequirementEntity(), {
    id: `${frameworkKey}:${ref}`,
    frameworkKey,
    ref,
    attributes,
    isLeaf,
  });
}

describe('RequirementDecisionsService rules', () => {
  const specialist = actor('governance_specialist', 'gs-1');
  let service: RequirementDecisionsService;
  let decisions: MemoryDecisions;
  let runner: FakeTransactionRunner;
  let audit: RecordingAuditLog;

  beforeEach(async () => {
    decisions = new MemoryDecisions();
    runner = new FakeTransactionRunner();
    audit = new RecordingAuditLog(runner);
    const systems = new MemorySystemsService();
    systems.rows.set('sys-1', Object.assign(new AiSystemEntity(), { id: 'sys-1', archivedAt: null }));
    systems.rows.set('sys-old', Object.assign(new AiSystemEntity(), { id: 'sys-old', archivedAt: NOW.toISOString() }));
    const requirements = [
      requirement('gdpr', 'Art. 35'),
      requirement('gdpr', 'Art. 33', {}, false),
      requirement('hipaa-security', '164.312(a)(2)(i)', { implementation: 'required' }),
      requirement('hipaa-security', '164.312(a)(2)(iv)', { implementation: 'addressable' }),
    ];
    const moduleRef = await Test.createTestingModule({
      providers: [
        RequirementDecisionsService,
        { provide: AiSystemsService, useValue: systems },
        { provide: RequirementDecisionsRepository, useValue: decisions },
        {
          provide: CatalogIndex,
          useValue: new FixedCatalogIndex(
            catalogSnapshot({ requirements, requirementById: new Map(requirements.map((r) => [r.id, r])) }),
          ),
        },
        { provide: TransactionRunner, useValue: runner },
        { provide: AuditLogService, useValue: audit },
        { provide: CLOCK, useValue: new FixedClock(NOW) },
      ],
    }).compile();
    service = moduleRef.get(RequirementDecisionsService);
  });

  const decide = (framework: string, ref: string, decision: DecisionInput, systemId = 'sys-1') =>
    service.decide(specialist, systemId, { framework, ref, decision, rationale: '  Recorded reason  ' });

  it.each<[string, string, string, DecisionInput, string | undefined, RegExp]>([
    ['an unknown requirement', 'gdpr', 'Art. 99', 'excluded', undefined, /Unknown requirement: gdpr Art. 99/],
    ['a requirement that is not a leaf', 'gdpr', 'Art. 33', 'excluded', undefined, /not a leaf requirement/],
    [
      'excluding a required HIPAA specification',
      'hipaa-security',
      '164.312(a)(2)(i)',
      'excluded',
      '164.306(d)(2)',
      /required implementation specification/,
    ],
    [
      'an alternative for a required one',
      'hipaa-security',
      '164.312(a)(2)(i)',
      'alternative_measure',
      '164.306(d)(2)',
      /cannot be excluded, replaced/,
    ],
    [
      'excluding an addressable one',
      'hipaa-security',
      '164.312(a)(2)(iv)',
      'not_applicable',
      '164.306(d)(3)',
      /never simply not applicable/,
    ],
    [
      'a HIPAA decision outside HIPAA',
      'gdpr',
      'Art. 35',
      'alternative_measure',
      '164.306(d)(3)',
      /applies only to HIPAA addressable/,
    ],
  ])('refuses %s with the rule cited, storing nothing', async (_name, framework, ref, decision, rule, message) => {
    const error: unknown = await decide(framework, ref, decision).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'invalid', message: expect.stringMatching(message) });
    if (rule) expect(error).toMatchObject({ details: { rule } });
    expect(decisions.rows.size).toBe(0);
    expect(audit.appended).toEqual([]);
  });

  it('refuses a decision on an archived system', async () => {
    await expect(decide('gdpr', 'Art. 35', 'excluded', 'sys-old')).rejects.toMatchObject({ kind: 'conflict' });
  });

  it('records not_applicable outside HIPAA as an exclusion, with the trimmed rationale and its audit entry', async () => {
    const view = await decide('gdpr', 'Art. 35', 'not_applicable');
    expect(view).toMatchObject({
      decision: 'excluded',
      rationale: 'Recorded reason',
      decidedBy: 'gs-1',
      decidedAt: NOW.toISOString(),
    });
    expect([...decisions.rows.values()]).toEqual([
      expect.objectContaining({ decision: 'excluded', requirementId: 'gdpr:Art. 35' }),
    ]);
    expect(audit.committed()).toEqual([
      expect.objectContaining({
        action: 'requirement.decide',
        payload: expect.objectContaining({ decision: 'excluded', previous: null }),
      }),
    ]);
  });

  it('accepts the documented alternatives for an addressable HIPAA specification and replaces the earlier one', async () => {
    await decide('hipaa-security', '164.312(a)(2)(iv)', 'alternative_measure');
    await decide('hipaa-security', '164.312(a)(2)(iv)', 'not_reasonable_and_appropriate');
    expect([...decisions.rows.values()].map((r) => r.decision)).toEqual(['not_reasonable_and_appropriate']);
    expect(audit.committed().map((e) => e.action)).toEqual(['requirement.decide', 'requirement.decide']);
  });

  // decide() updates the row it read in place; the entry must still name the decision it replaced.
  it('names the replaced decision as previous in the audit entry', async () => {
    await decide('hipaa-security', '164.312(a)(2)(iv)', 'alternative_measure');
    await decide('hipaa-security', '164.312(a)(2)(iv)', 'not_reasonable_and_appropriate');
    expect(audit.committed().at(-1)?.payload).toMatchObject({
      decision: 'not_reasonable_and_appropriate',
      previous: 'alternative_measure',
    });
  });

  it('withdraws a recorded decision with none, and treats none without one as a no-op', async () => {
    await decide('gdpr', 'Art. 35', 'none');
    expect(audit.appended).toEqual([]);
    await decide('gdpr', 'Art. 35', 'excluded');
    const view = await decide('gdpr', 'Art. 35', 'none');
    expect(view.decision).toBe('none');
    expect(decisions.rows.size).toBe(0);
    expect(audit.committed().map((e) => e.action)).toEqual(['requirement.decide', 'requirement.decision.withdraw']);
  });
});
