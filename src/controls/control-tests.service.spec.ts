import { AiSystemsService } from '../ai-systems/ai-systems.service';
import { AiSystemEntity } from '../ai-systems/entities/ai-system.entity';
import { AuditEvent, AuditLogService } from '../audit-log/audit-log.service';
import { CatalogIndex } from '../catalog/catalog-index';
import { Actor } from '../common/auth.decorators';
import { DomainError } from '../common/domain-errors';
import { Tx, TransactionRunner } from '../database/transaction-runner';
import { EvidenceWithControls } from '../evidence/evidence.repository';
import { EvidenceQueries } from '../evidence/evidence.queries';
import { UserEntity } from '../users/entities/user.entity';
import { UsersQueries } from '../users/users.queries';
import { ControlImplementationsRepository } from './control-implementations.repository';
import { ControlTestsRepository } from './control-tests.repository';
import { ControlTestsService } from './control-tests.service';
import { CreateControlTestDto } from './dto/control-test.dto';
import { ControlImplementationEntity, ImplementationStatus } from './entities/control-implementation.entity';
import { ControlTestEntity } from './entities/control-test.entity';

const NOW = new Date('2026-06-01T12:00:00.000Z');
const SYSTEM = 'system-1';
const OWNER = 'user-owner';
const TESTER = 'user-tester';

const actorOf = (id: string): Actor => ({
  id,
  email: `${id}@example.test`,
  displayName: id,
  role: 'governance_specialist',
  sessionId: '',
  csrfToken: '',
});

function setup(status: ImplementationStatus | null = 'implemented', archived = false) {
  const inserted: Array<{ test: ControlTestEntity; evidenceIds: string[] }> = [];
  const logged: AuditEvent[] = [];
  const implementation =
    status === null
      ? null
      : Object.assign(new ControlImplementationEntity(), {
          id: 'impl-1',
          systemId: SYSTEM,
          controlCode: 'AIG-SEC-01',
          status,
          ownerUserId: OWNER,
        });
  const evidence = [
    { id: 'ev-ok', systemId: SYSTEM, controlCodes: ['AIG-SEC-01'] },
    { id: 'ev-other-control', systemId: SYSTEM, controlCodes: ['AIG-SEC-02'] },
  ] as EvidenceWithControls[];
  const service = new ControlTestsService(
    {
      getEntity: () =>
        Promise.resolve({ id: SYSTEM, archivedAt: archived ? NOW.toISOString() : null } as AiSystemEntity),
    } as unknown as AiSystemsService,
    { findOne: () => Promise.resolve(implementation) } as unknown as ControlImplementationsRepository,
    {
      insert: (_tx: Tx, test: ControlTestEntity, evidenceIds: string[]) => {
        inserted.push({ test, evidenceIds });
        return Promise.resolve();
      },
    } as unknown as ControlTestsRepository,
    { findBySystems: () => Promise.resolve(evidence) } as unknown as EvidenceQueries,
    {
      findByIds: (ids: string[]) =>
        Promise.resolve(ids.map((id) => ({ id, displayName: `Name of ${id}`, email: `${id}@x` }) as UserEntity)),
    } as unknown as UsersQueries,
    {
      get: () =>
        Promise.resolve({
          controlByCode: new Map([
            ['AIG-SEC-01', {}],
            ['AIG-SEC-02', {}],
          ]),
        }),
    } as unknown as CatalogIndex,
    { run: <T>(work: (tx: Tx) => Promise<T>) => work({} as Tx) } as unknown as TransactionRunner,
    {
      append: (_tx: Tx, event: AuditEvent) => {
        logged.push(event);
        return Promise.resolve();
      },
    } as unknown as AuditLogService,
    { now: () => NOW },
  );
  return { service, inserted, logged };
}

const dto = (overrides: Partial<CreateControlTestDto> = {}): CreateControlTestDto => ({
  testedAt: '2026-05-20T00:00:00.000Z',
  procedure: 'Inspected the access reviews of the quarter.',
  result: 'pass',
  ...overrides,
});

async function refusal(promise: Promise<unknown>): Promise<{ kind: string; message: string }> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return { kind: (error as DomainError).kind, message: (error as DomainError).message };
}

describe('ControlTestsService', () => {
  it('records a test by someone other than the owner, with its evidence, and audits it', async () => {
    const { service, inserted, logged } = setup();
    const view = await service.create(
      actorOf(TESTER),
      SYSTEM,
      'AIG-SEC-01',
      dto({ evidenceIds: ['ev-ok', 'ev-ok'], populationSize: 10, sampleSize: 10, notes: ' fine ' }),
    );
    expect(view).toMatchObject({
      result: 'pass',
      tester: { id: TESTER, name: `Name of ${TESTER}` },
      evidenceIds: ['ev-ok'],
      notes: 'fine',
      recordedAt: NOW.toISOString(),
    });
    expect(inserted).toHaveLength(1);
    expect(logged.map((e) => [e.action, e.entityId])).toEqual([['control.test', 'impl-1']]);
  });

  it('refuses the control owner (four-eyes) with forbidden, storing nothing', async () => {
    const { service, inserted, logged } = setup();
    expect(await refusal(service.create(actorOf(OWNER), SYSTEM, 'AIG-SEC-01', dto()))).toMatchObject({
      kind: 'forbidden',
      message: expect.stringContaining('four-eyes') as string,
    });
    expect([inserted, logged]).toEqual([[], []]);
  });

  it('refuses a control that does not apply: not applicable, or no implementation', async () => {
    for (const status of ['not_applicable', null] as const) {
      const { service, inserted } = setup(status);
      expect((await refusal(service.create(actorOf(TESTER), SYSTEM, 'AIG-SEC-01', dto()))).kind).toBe('invalid');
      expect(inserted).toEqual([]);
    }
  });

  it('refuses an unknown control (not found) and an archived system (conflict)', async () => {
    expect((await refusal(setup().service.create(actorOf(TESTER), SYSTEM, 'NOPE-01', dto()))).kind).toBe('not_found');
    expect(
      (await refusal(setup('implemented', true).service.create(actorOf(TESTER), SYSTEM, 'AIG-SEC-01', dto()))).kind,
    ).toBe('conflict');
  });

  it.each([
    ['a future test date', dto({ testedAt: '2026-06-02T00:00:00.000Z' }), 'testedAt'],
    ['a sample larger than its population', dto({ populationSize: 5, sampleSize: 6 }), 'sampleSize'],
    ['evidence of another control', dto({ evidenceIds: ['ev-other-control'] }), 'evidenceIds'],
    ['unknown evidence', dto({ evidenceIds: ['ev-missing'] }), 'evidenceIds'],
  ])('refuses %s as invalid, naming the field', async (_name, input, field) => {
    const { service, inserted } = setup();
    const refused = await refusal(service.create(actorOf(TESTER), SYSTEM, 'AIG-SEC-01', input));
    expect(refused.kind).toBe('invalid');
    expect(refused.message).toContain(field);
    expect(inserted).toEqual([]);
  });
});
