import { loadConfig } from '../config/app.config';
import { GENESIS_HASH } from './audit-chain';
import { AuditLogRepository } from './audit-log.repository';
import { AuditLogService } from './audit-log.service';

describe('AuditLogService checkpoints', () => {
  const config = loadConfig({ WORKBENCH_AUDIT_KEY: 'ab'.repeat(32) });
  const clock = { now: () => new Date('2026-01-01T00:00:00.000Z') };

  it('accepts a checkpoint of the empty log, which anchors on the genesis hash', async () => {
    const empty = {
      findHead: async () => ({ id: 1, seq: 0, hash: GENESIS_HASH }),
      findBatchAfter: async () => [],
      findBySeq: async () => null,
    } as unknown as AuditLogRepository;
    const service = new AuditLogService(empty, config, clock);
    const checkpoint = await service.checkpoint();
    expect(checkpoint).toMatchObject({ seq: 0, hash: GENESIS_HASH });
    expect(await service.verifyCheckpoint(checkpoint)).toEqual({ valid: true, problem: null });
    expect(await service.verifyCheckpoint({ ...checkpoint, hash: 'f'.repeat(64) })).toMatchObject({ valid: false });
  });
});
