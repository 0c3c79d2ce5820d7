import { RolePermissionsProvider } from '../common/role-permissions.provider';
import { Actor } from '../common/auth.decorators';
import { sha256Hex } from '../common/canonical-json';
import { loadConfig } from '../config/app.config';
import { GENESIS_HASH, linkHash, payloadText } from './audit-chain';
import { AuditLogRepository } from './audit-log.repository';
import { AuditLogService } from './audit-log.service';
import { AuditLogEntryEntity, AuditLogHeadEntity } from './entities/audit-log-entry.entity';

/** The repository's reads over an in-memory table and head row, so each case can shape them as tampering would. */
class MemoryLog {
  rows: AuditLogEntryEntity[] = [];
  head: AuditLogHeadEntity | null = { id: 1, seq: 0, hash: GENESIS_HASH };
  pages: unknown[] = [];
  /** Runs once, when verify first reads the head: an append landing between the walk and that read. */
  onFirstHeadRead?: () => void;

  append(count = 1): void {
    for (let i = 0; i < count; i++) {
      const seq = (this.head?.seq ?? 0) + 1;
      const payload = payloadText({ seq });
      const entry = Object.assign(new AuditLogEntryEntity(), {
        seq,
        at: '2026-01-01T00:00:00.000Z',
        actor: 'a@example.test',
        action: 'x.update',
        entityType: 'x',
        entityId: String(seq),
        payload,
        payloadHash: sha256Hex(payload),
        prevHash: this.head?.hash ?? GENESIS_HASH,
      });
      entry.hash = linkHash(entry);
      this.rows.push(entry);
      this.head = { id: 1, seq, hash: entry.hash };
    }
  }

  repository(): AuditLogRepository {
    return {
      findHead: () => {
        const hook = this.onFirstHeadRead;
        this.onFirstHeadRead = undefined;
        hook?.();
        return Promise.resolve(this.head && { ...this.head });
      },
      findBatchAfter: (seq: number, limit: number) =>
        Promise.resolve(
          this.rows
            .filter((r) => r.seq > seq)
            .sort((a, b) => a.seq - b.seq)
            .slice(0, limit),
        ),
      findBySeq: (seq: number) => Promise.resolve(this.rows.find((r) => r.seq === seq) ?? null),
      findLowestSeqBelow: (seq: number) => {
        const below = this.rows.filter((r) => r.seq < seq).map((r) => r.seq);
        return Promise.resolve(below.length > 0 ? Math.min(...below) : null);
      },
      findPage: (filter: unknown) => {
        this.pages.push(filter);
        return Promise.resolve([]);
      },
    } as unknown as AuditLogRepository;
  }
}

describe('AuditLogService', () => {
  const config = loadConfig({ WORKBENCH_AUDIT_KEY: 'ab'.repeat(32) });
  const clock = { now: () => new Date('2026-01-01T00:00:00.000Z') };
  const permissions = new RolePermissionsProvider();
  let log: MemoryLog;
  let service: AuditLogService;
  beforeEach(() => {
    log = new MemoryLog();
    service = new AuditLogService(log.repository(), config, clock, permissions);
  });

  it('accepts a checkpoint of the empty log, which anchors on the genesis hash', async () => {
    const checkpoint = await service.checkpoint();
    expect(checkpoint).toMatchObject({ seq: 0, hash: GENESIS_HASH });
    expect(await service.verifyCheckpoint(checkpoint)).toEqual({ valid: true, problem: null });
    expect(await service.verifyCheckpoint({ ...checkpoint, hash: 'f'.repeat(64) })).toMatchObject({ valid: false });
  });

  it('walks on to entries appended while it verifies, instead of calling them forged or the tail deleted', async () => {
    log.append(5);
    log.onFirstHeadRead = () => log.append(2);
    expect(await service.verify()).toMatchObject({ valid: true, entries: 7, headSeq: 7, firstBadSeq: null });
  });

  it('is invalid when the head row is missing, with entries or without', async () => {
    log.append(3);
    log.head = null;
    expect(await service.verify()).toMatchObject({
      valid: false,
      entries: 3,
      headSeq: 0,
      firstBadSeq: null,
      problem: expect.stringContaining('head'),
    });
    log.rows = [];
    expect(await service.verify()).toMatchObject({ valid: false, firstBadSeq: null });
  });

  it("scopes the list by permission, not by role name: read-all lists everything, read alone only the reader's audits", async () => {
    const actor = (role: Actor['role']) => ({ id: `${role}-id`, role }) as Actor;
    for (const role of ['admin', 'governance_specialist'] as const) await service.list(actor(role), {}, 10);
    await service.list(actor('auditor'), { entityType: 'audit' }, 10);
    expect(log.pages).toEqual([
      { auditorId: undefined },
      { auditorId: undefined },
      { entityType: 'audit', auditorId: 'auditor-id' },
    ]);
    const withoutReadAll = {
      allows: (_role: string, permission: string) => permission !== 'audit-log:read-all',
      can: (_actor: Actor, permission: string) => permission !== 'audit-log:read-all',
    } as RolePermissionsProvider;
    await new AuditLogService(log.repository(), config, clock, withoutReadAll).list(actor('admin'), {}, 10);
    expect(log.pages[3]).toEqual({ auditorId: 'admin-id' });
  });
});

/**
 * Tampering as someone with database access would do it, each detected by the full walk with the entry to blame.
 * The entries are real links (linkHash over the fields, payload hash over the canonical payload).
 */
describe('AuditLogService.verify on a tampered log', () => {
  const config = loadConfig({ WORKBENCH_AUDIT_KEY: 'ab'.repeat(32) });
  const clock = { now: () => new Date('2026-01-01T00:00:00.000Z') };
  let log: MemoryLog;
  let service: AuditLogService;
  beforeEach(() => {
    log = new MemoryLog();
    log.append(6);
    service = new AuditLogService(log.repository(), config, clock, new RolePermissionsProvider());
  });
  const entry = (seq: number) => log.rows.find((r) => r.seq === seq)!;
  /** Recomputes an entry's own hash after an edit, as a careful forger would. */
  const rehash = (seq: number) => {
    entry(seq).hash = linkHash(entry(seq));
  };

  it('accepts the untouched log', async () => {
    expect(await service.verify()).toMatchObject({ valid: true, entries: 6, headSeq: 6, firstBadSeq: null });
  });

  it('names the entry whose payload was changed, even when its payload hash was not touched', async () => {
    entry(3).payload = payloadText({ seq: 3, approved: true });
    expect(await service.verify()).toMatchObject({
      valid: false,
      firstBadSeq: 3,
      problem: expect.stringMatching(/payload/),
    });
  });

  it('names the entry whose payload and payload hash were both changed: its own hash no longer recomputes', async () => {
    entry(3).payload = payloadText({ seq: 3, approved: true });
    entry(3).payloadHash = sha256Hex(entry(3).payload);
    expect(await service.verify()).toMatchObject({
      valid: false,
      firstBadSeq: 3,
      problem: expect.stringMatching(/hash/),
    });
  });

  it('names the first missing seq of a removed entry', async () => {
    log.rows = log.rows.filter((r) => r.seq !== 4);
    expect(await service.verify()).toMatchObject({
      valid: false,
      firstBadSeq: 4,
      problem: expect.stringMatching(/missing/),
    });
  });

  it('names the removed last entry, which only the head row still records', async () => {
    log.rows = log.rows.filter((r) => r.seq !== 6);
    expect(await service.verify()).toMatchObject({
      valid: false,
      firstBadSeq: 6,
      problem: expect.stringMatching(/deleted/),
    });
  });

  it('names where reordered entries break the chain', async () => {
    entry(2).seq = 3;
    log.rows[2].seq = 2;
    expect(await service.verify()).toMatchObject({ valid: false, firstBadSeq: 2 });
  });

  it('names the entry whose previous hash was changed, even with its own hash recomputed', async () => {
    entry(4).prevHash = 'f'.repeat(64);
    rehash(4);
    expect(await service.verify()).toMatchObject({
      valid: false,
      firstBadSeq: 4,
      problem: expect.stringMatching(/previous-hash/),
    });
  });

  it('names the last entry of a tail rewritten consistently, against the hash the head records', async () => {
    entry(5).payload = payloadText({ seq: 5, approved: true });
    entry(5).payloadHash = sha256Hex(entry(5).payload);
    rehash(5);
    entry(6).prevHash = entry(5).hash;
    rehash(6);
    expect(await service.verify()).toMatchObject({
      valid: false,
      firstBadSeq: 6,
      problem: expect.stringMatching(/head/),
    });
  });

  it('names an entry tampered with past the first batch of the walk', async () => {
    log.append(2500);
    entry(2300).payload = payloadText({ seq: 2300, approved: true });
    expect(await service.verify()).toMatchObject({ valid: false, firstBadSeq: 2300 });
  });
});
