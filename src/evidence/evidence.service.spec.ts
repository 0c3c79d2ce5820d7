import { Test } from '@nestjs/testing';
import { Readable } from 'node:stream';
import {
  actor,
  FakeTransactionRunner,
  FixedCatalogIndex,
  FixedClock,
  RecordingAuditLog,
} from '../../test/factories/service-doubles';
import { AiSystemsQueries } from '../ai-systems/ai-systems.queries';
import { AiSystemEntity } from '../ai-systems/entities/ai-system.entity';
import { AuditLogService } from '../audit-log/audit-log.service';
import { AccessScope } from '../access-scope/access-scope.service';
import { CatalogIndex } from '../catalog/catalog-index';
import { Actor } from '../common/auth.decorators';
import { conflict, notFound } from '../common/domain-errors';
import { CLOCK } from '../common/time';
import { RolePermissionsProvider } from '../common/role-permissions.provider';
import { APP_CONFIG, loadConfig } from '../config/app.config';
import { TransactionRunner } from '../database/transaction-runner';
import { UploadEvidenceDto } from './dto/evidence.dto';
import { EvidenceEntity, ReviewStatus } from './entities/evidence.entity';
import { EVIDENCE_STORAGE, EvidenceStorage, StagedFile } from './evidence-storage';
import { EvidenceRepository, EvidenceWithControls } from './evidence.repository';
import { EvidenceService, UploadedEvidenceFile } from './evidence.service';
import { EVIDENCE_KIND_POLICY, loadEvidenceKindPolicy } from './kinds/evidence-kind-policy';
import { EvaluationTestsPort } from './kinds/evaluation-tests.port';
import { StructuredEvidenceService } from './kinds/structured-evidence.service';
import { reviewStatusMachine } from './review-status';
import { SystemControlCodes, SystemControlsPort } from './system-controls.port';
import { EventsService } from '../events/events.service';

const NOW = new Date('2026-06-01T12:00:00.000Z');
const PDF = Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n');

type Stored = EvidenceEntity & { controlCodes: string[]; requirementIds: string[] };

class MemoryEvidence implements Pick<
  EvidenceRepository,
  | 'findById'
  | 'findControlCodes'
  | 'findRequirementIds'
  | 'findBySystems'
  | 'insert'
  | 'review'
  | 'markSuperseded'
  | 'findAllHashes'
> {
  readonly rows = new Map<string, Stored>();

  findById(id: string) {
    const row = this.rows.get(id);
    return Promise.resolve(row ? Object.assign(new EvidenceEntity(), row) : null);
  }
  findControlCodes(id: string) {
    return Promise.resolve(this.rows.get(id)?.controlCodes ?? []);
  }
  findRequirementIds(id: string) {
    return Promise.resolve(this.rows.get(id)?.requirementIds ?? []);
  }
  findBySystems(systemIds: string[]): Promise<EvidenceWithControls[]> {
    return Promise.resolve(
      [...this.rows.values()].filter((r) => systemIds.includes(r.systemId)).map((r) => ({ ...r, supersededAt: null })),
    );
  }
  insert(_tx: unknown, evidence: EvidenceEntity, controlCodes: string[], requirementIds: string[] = []) {
    this.rows.set(evidence.id, Object.assign(new EvidenceEntity(), evidence, { controlCodes, requirementIds }));
    return Promise.resolve();
  }
  review(
    _tx: unknown,
    id: string,
    from: ReviewStatus,
    to: ReviewStatus,
    changes: Pick<EvidenceEntity, 'reviewedBy' | 'reviewedAt' | 'reviewComment'>,
  ) {
    reviewStatusMachine.assertMove(from, to);
    const row = this.rows.get(id);
    if (!row || row.reviewStatus !== from) return Promise.reject(conflict('The evidence review changed meanwhile'));
    Object.assign(row, changes, { reviewStatus: to });
    return Promise.resolve();
  }
  markSuperseded(_tx: unknown, id: string, supersededById: string) {
    const row = this.rows.get(id);
    if (!row || row.supersededById) return Promise.reject(conflict('That evidence has already been superseded'));
    row.supersededById = supersededById;
    return Promise.resolve();
  }
  findAllHashes() {
    return Promise.resolve([...new Set([...this.rows.values()].map((r) => r.sha256))]);
  }
}

/** Stored files by hash; `altered` makes verify fail as a changed or missing file would. */
class MemoryStorage implements EvidenceStorage {
  readonly stored = new Set<string>();
  readonly discarded: string[] = [];
  readonly altered = new Set<string>();
  stage(): Promise<StagedFile> {
    return Promise.reject(new Error('not used: specs hand staged files to the service'));
  }
  commit(staged: StagedFile) {
    this.stored.add(staged.sha256);
    return Promise.resolve();
  }
  discard(staged: StagedFile) {
    this.discarded.push(staged.sha256);
    return Promise.resolve();
  }
  verify(sha256: string) {
    return Promise.resolve(this.stored.has(sha256) && !this.altered.has(sha256));
  }
  open() {
    return Readable.from([PDF]);
  }
  exists(sha256: string) {
    return Promise.resolve(this.stored.has(sha256));
  }
  list() {
    return Promise.resolve([...this.stored]);
  }
  remove(sha256: string) {
    this.stored.delete(sha256);
    return Promise.resolve();
  }
  sweepTemp() {
    return Promise.resolve(0);
  }
}

class MemorySystems implements Pick<AiSystemsQueries, 'findById'> {
  readonly rows = new Map<string, AiSystemEntity>();
  findById(id: string) {
    return Promise.resolve(this.rows.get(id) ?? null);
  }
}

/** Every system tracks the same two controls. */
class FixedControls implements SystemControlCodes {
  controlCodesOf() {
    return Promise.resolve(new Set(['AIG-GOV-01', 'AIG-SEC-01']));
  }
}

/** An auditor sees only sys-1 (their audit's system); everyone else sees every system. */
class FixedScope implements Pick<AccessScope, 'assertSystemVisible'> {
  assertSystemVisible(who: Actor, systemId: string, what = 'AI system', id = systemId) {
    return who.role === 'auditor' && systemId !== 'sys-1' ? Promise.reject(notFound(what, id)) : Promise.resolve();
  }
}

describe('EvidenceService rules', () => {
  const engineer = actor('engineer', 'eng-1');
  const specialist = actor('governance_specialist', 'gs-1');
  const otherSpecialist = actor('governance_specialist', 'gs-2');
  const auditor = actor('auditor', 'aud-1');
  let service: EvidenceService;
  let evidence: MemoryEvidence;
  let storage: MemoryStorage;
  let systems: MemorySystems;
  let runner: FakeTransactionRunner;
  let audit: RecordingAuditLog;
  let staged = 0;

  beforeEach(async () => {
    evidence = new MemoryEvidence();
    storage = new MemoryStorage();
    systems = new MemorySystems();
    runner = new FakeTransactionRunner();
    audit = new RecordingAuditLog(runner);
    const moduleRef = await Test.createTestingModule({
      providers: [
        EvidenceService,
        StructuredEvidenceService,
        EvaluationTestsPort,
        { provide: EVIDENCE_KIND_POLICY, useValue: await loadEvidenceKindPolicy() },
        { provide: EvidenceRepository, useValue: evidence },
        { provide: AiSystemsQueries, useValue: systems },
        { provide: SystemControlsPort, useValue: new FixedControls() },
        { provide: AccessScope, useValue: new FixedScope() },
        { provide: CatalogIndex, useValue: new FixedCatalogIndex() },
        { provide: TransactionRunner, useValue: runner },
        { provide: AuditLogService, useValue: audit },
        { provide: EventsService, useValue: { record: jest.fn(() => Promise.resolve(true)) } },
        { provide: EVIDENCE_STORAGE, useValue: storage },
        { provide: APP_CONFIG, useValue: loadConfig({ LOG_LEVEL: 'silent' }) },
        { provide: CLOCK, useValue: new FixedClock(NOW) },
        RolePermissionsProvider,
      ],
    }).compile();
    service = moduleRef.get(EvidenceService);
    for (const id of ['sys-1', 'sys-2']) {
      systems.rows.set(
        id,
        Object.assign(new AiSystemEntity(), { id, archivedAt: null, modelVersion: 'v2', modelVersionChangedAt: null }),
      );
    }
    systems.rows.set('sys-old', Object.assign(new AiSystemEntity(), { id: 'sys-old', archivedAt: NOW.toISOString() }));
  });

  function file(content: Buffer = PDF, originalName = 'report.pdf', claimedMediaType = 'application/pdf') {
    staged++;
    const upload: UploadedEvidenceFile = {
      staged: {
        tempPath: `/tmp/${staged}`,
        sha256: `${staged}`.padStart(64, '0'),
        sizeBytes: content.length,
        head: content,
      },
      originalName,
      claimedMediaType,
    };
    return upload;
  }

  const dto = (over: Partial<UploadEvidenceDto> = {}): UploadEvidenceDto =>
    Object.assign(new UploadEvidenceDto(), {
      controlCodes: ['AIG-GOV-01'],
      title: '  Bias test report ',
      kind: 'test_report',
      collectedAt: '2026-05-30T00:00:00.000Z',
      ...over,
    });

  const upload = (over: Partial<UploadEvidenceDto> = {}, who: Actor = engineer, systemId = 'sys-1', f = file()) =>
    service.upload(who, systemId, dto(over), f);

  const refused = (promise: Promise<unknown>, kind: string, message?: RegExp) =>
    expect(promise).rejects.toMatchObject({ kind, ...(message ? { message: expect.stringMatching(message) } : {}) });

  describe('upload and its content checks', () => {
    it('stores the file, then the submitted row with its audit entry in one committed transaction', async () => {
      const f = file();
      const view = await upload({}, engineer, 'sys-1', f);
      expect(view).toMatchObject({
        reviewStatus: 'submitted',
        title: 'Bias test report',
        mediaType: 'application/pdf',
        uploadedBy: 'eng-1',
        modelVersion: 'v2',
        current: false,
        stale: false,
      });
      expect(storage.stored.has(f.staged.sha256)).toBe(true);
      expect(storage.discarded).toEqual([]);
      expect(audit.committed()).toEqual([
        expect.objectContaining({
          action: 'evidence.upload',
          entityId: view.id,
          payload: expect.objectContaining({ controlCodes: ['AIG-GOV-01'] }),
        }),
      ]);
    });

    it.each<[string, () => Promise<unknown>, string, RegExp]>([
      ['an empty file', () => upload({}, engineer, 'sys-1', file(Buffer.alloc(0))), 'invalid', /The file is empty/],
      [
        'HTML',
        () =>
          upload({}, engineer, 'sys-1', file(Buffer.from('<html><script>x</script></html>'), 'a.txt', 'text/plain')),
        'unsupported_type',
        /not accepted as evidence/,
      ],
      [
        'a PDF declared as PNG',
        () => upload({}, engineer, 'sys-1', file(PDF, 'shot.png', 'image/png')),
        'unsupported_type',
        /declared as image\/png but the content is application\/pdf/,
      ],
      [
        'controls outside the system',
        () => upload({ controlCodes: ['AIG-GOV-01', 'AIG-XXX-09'] }),
        'invalid',
        /do not apply to this system: AIG-XXX-09/,
      ],
      [
        'a collection date in the future',
        () => upload({ collectedAt: '2026-06-01T12:06:00.000Z' }),
        'invalid',
        /collectedAt lies in the future/,
      ],
      [
        'valid-until not after collection',
        () => upload({ validUntil: '2026-05-30T00:00:00.000Z' }),
        'invalid',
        /validUntil must be after collectedAt/,
      ],
      ['red-team fields on other kinds', () => upload({ redTeamOutcome: 'pass' }), 'invalid', /red_team_report only/],
      ['an archived system', () => upload({}, engineer, 'sys-old'), 'conflict', /archived/],
      ['an unknown system', () => upload({}, engineer, 'nope'), 'not_found', /AI system nope/],
      ['a system the auditor cannot see', () => upload({}, auditor, 'sys-2'), 'not_found', /AI system sys-2/],
    ])('refuses %s, stores nothing and discards the staged file', async (_name, attempt, kind, message) => {
      await refused(attempt(), kind, message);
      expect(evidence.rows.size).toBe(0);
      expect(storage.stored.size).toBe(0);
      expect(storage.discarded).toHaveLength(1);
      expect(audit.appended).toEqual([]);
    });

    it('accepts a collection time a little ahead of the server clock (collector skew)', async () => {
      await expect(upload({ collectedAt: '2026-06-01T12:04:00.000Z' })).resolves.toMatchObject({
        reviewStatus: 'submitted',
      });
    });

    it('refuses an upload without a file', async () => {
      await refused(service.upload(engineer, 'sys-1', dto(), undefined), 'invalid', /multipart field "file"/);
    });
  });

  describe('supersede', () => {
    it('links the new upload to the one it replaces, which then reads as stale', async () => {
      const old = await upload();
      const next = await upload({ supersedesId: old.id, title: 'Bias test report v2' });
      expect(next.supersedesId).toBe(old.id);
      expect(evidence.rows.get(old.id)?.supersededById).toBe(next.id);
      expect(audit.committed().at(-1)?.payload).toMatchObject({ supersedes: old.id });
      expect(await service.get(specialist, old.id)).toMatchObject({
        stale: true,
        staleReason: 'superseded by a newer upload',
      });
    });

    it('refuses to supersede evidence of another system, and what is already superseded', async () => {
      const other = await upload({}, engineer, 'sys-2');
      await refused(upload({ supersedesId: other.id }), 'invalid', /same system/);
      const old = await upload();
      await upload({ supersedesId: old.id });
      await refused(upload({ supersedesId: old.id }), 'conflict', /already been superseded/);
      expect(storage.discarded).toHaveLength(2);
    });
  });

  describe('review', () => {
    it('accepts evidence reviewed by someone other than the uploader; it then counts as current', async () => {
      const item = await upload();
      const view = await service.review(specialist, item.id, { decision: 'accepted' });
      expect(view).toMatchObject({
        reviewStatus: 'accepted',
        reviewedBy: 'gs-1',
        reviewedAt: NOW.toISOString(),
        current: true,
      });
      expect(audit.committed().at(-1)).toMatchObject({
        action: 'evidence.accept',
        entityId: item.id,
        payload: { from: 'submitted', to: 'accepted', comment: null },
      });
    });

    it('refuses a review by the uploader', async () => {
      const item = await upload({}, specialist);
      await refused(
        service.review(specialist, item.id, { decision: 'accepted' }),
        'conflict',
        /someone other than the person who uploaded/,
      );
      expect(evidence.rows.get(item.id)?.reviewStatus).toBe('submitted');
    });

    it('refuses a rejection without a reason, and records the reason of one', async () => {
      const item = await upload();
      await refused(
        service.review(specialist, item.id, { decision: 'rejected', comment: '   ' }),
        'invalid',
        /comment/,
      );
      await service.review(specialist, item.id, { decision: 'rejected', comment: ' Wrong model ' });
      expect(evidence.rows.get(item.id)).toMatchObject({ reviewStatus: 'rejected', reviewComment: 'Wrong model' });
      expect(audit.committed().at(-1)?.action).toBe('evidence.reject');
    });

    it('keeps rejected evidence rejected and does not accept twice', async () => {
      const item = await upload();
      await service.review(specialist, item.id, { decision: 'accepted' });
      await refused(
        service.review(otherSpecialist, item.id, { decision: 'accepted' }),
        'conflict',
        /allowed from accepted: rejected/,
      );
      await service.review(otherSpecialist, item.id, { decision: 'rejected', comment: 'Withdrawn' });
      await refused(
        service.review(specialist, item.id, { decision: 'accepted' }),
        'conflict',
        /allowed from rejected: none/,
      );
    });

    it('lets only one of two concurrent reviews win', async () => {
      const item = await upload();
      const results = await Promise.allSettled([
        service.review(specialist, item.id, { decision: 'accepted' }),
        service.review(otherSpecialist, item.id, { decision: 'rejected', comment: 'No' }),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      expect(audit.committed().filter((e) => e.action !== 'evidence.upload')).toHaveLength(1);
    });

    it('offers each user exactly the decisions review() then takes, with the reason for the others', async () => {
      const moves = async (who: Actor, id: string) => (await service.get(who, id)).allowedMoves;
      const mine = await upload({}, specialist);
      expect(await moves(specialist, mine.id)).toEqual([
        { decision: 'accepted', allowed: false, refusal: expect.stringMatching(/someone other than the person/) },
        { decision: 'rejected', allowed: false, refusal: expect.stringMatching(/someone other than the person/) },
      ]);
      // The engineer's role has no evidence:review (policies/roles.yaml); the route refuses it before the service.
      expect((await moves(engineer, mine.id)).map((m) => [m.allowed, m.refusal])).toEqual([
        [false, expect.stringMatching(/evidence:review/)],
        [false, expect.stringMatching(/evidence:review/)],
      ]);
      expect(await moves(otherSpecialist, mine.id)).toEqual([
        { decision: 'accepted', allowed: true, refusal: null },
        { decision: 'rejected', allowed: true, refusal: null },
      ]);
      const accepted = await service.review(otherSpecialist, mine.id, { decision: 'accepted' });
      // Once accepted, the one decision left is to withdraw it (reject); the uploader still may not.
      expect(accepted.allowedMoves).toEqual([{ decision: 'rejected', allowed: true, refusal: null }]);
      expect(await moves(specialist, mine.id)).toEqual([
        { decision: 'rejected', allowed: false, refusal: expect.stringMatching(/someone other than the person/) },
      ]);
      await service.review(otherSpecialist, mine.id, { decision: 'rejected', comment: 'Wrong model' });
      const [afterRejection] = await moves(otherSpecialist, mine.id);
      expect(afterRejection).toMatchObject({ decision: 'accepted', allowed: false });
      await refused(
        service.review(otherSpecialist, mine.id, { decision: 'accepted' }),
        'conflict',
        new RegExp(afterRejection.refusal!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')),
      );
    });

    it('hides evidence of a system the reviewer cannot see', async () => {
      const item = await upload({}, engineer, 'sys-2');
      await refused(
        service.review(auditor, item.id, { decision: 'accepted' }),
        'not_found',
        new RegExp(`Evidence ${item.id}`),
      );
    });
  });

  describe('staleness and content', () => {
    it('reads evidence past its valid-until as stale and not current', async () => {
      const item = await upload({ validUntil: '2026-05-31T00:00:00.000Z' });
      await service.review(specialist, item.id, { decision: 'accepted' });
      expect(await service.get(specialist, item.id)).toMatchObject({
        stale: true,
        staleReason: 'expired on 2026-05-31',
        current: false,
      });
    });

    it('reads evidence as stale once the system model version changed after it was collected', async () => {
      const item = await upload();
      await service.review(specialist, item.id, { decision: 'accepted' });
      Object.assign(systems.rows.get('sys-1')!, {
        modelVersion: 'v3',
        modelVersionChangedAt: '2026-05-31T00:00:00.000Z',
      });
      expect(await service.get(specialist, item.id)).toMatchObject({
        stale: true,
        staleReason: 'model version changed to v3 after it was collected',
        current: false,
      });
    });

    it('serves the file only while its hash still matches', async () => {
      const f = file();
      const item = await upload({}, engineer, 'sys-1', f);
      await expect(service.content(specialist, item.id)).resolves.toMatchObject({ evidence: { id: item.id } });
      storage.altered.add(f.staged.sha256);
      await refused(service.content(specialist, item.id), 'conflict', /failed its integrity check/);
    });
  });

  it('sweeps stored files no row refers to (SQLite: this process is the only writer)', async () => {
    await upload();
    storage.stored.add('f'.repeat(64));
    await expect(service.sweepOrphans()).resolves.toEqual({ tempFiles: 0, orphanFiles: 1 });
    expect([...storage.stored]).toHaveLength(1);
  });
});
