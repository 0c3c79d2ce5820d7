import { Inject, Injectable, Optional } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TransactionRunner } from '../database/transaction-runner';
import { APP_CONFIG, AppConfig } from '../config/app.config';
import { RolePermissionsProvider } from '../common/role-permissions.provider';
import { Actor } from '../common/auth.decorators';
import { sha256Hex } from '../common/canonical-json';
import { invalid } from '../common/domain-errors';
import { makePrivateDir, PRIVATE_FILE_MODE } from '../common/private-files';
import { CLOCK, Clock, iso } from '../common/time';
import { Tx } from '../database/transaction-runner';
import {
  CHECKPOINT_KEY_FILE,
  checkLinks,
  checkpointSignature,
  checkpointSignatureMatches,
  GENESIS_HASH,
  linkHash,
  payloadText,
} from './audit-chain';
import { attributedPayload } from './audit-attribution';
import { AuditLogRepository } from './audit-log.repository';
import { AuditLogEntryEntity, AuditLogHeadEntity } from './entities/audit-log-entry.entity';

export interface AuditEvent {
  actor: string;
  action: string;
  entityType: string;
  entityId: string;
  payload?: unknown;
}

export interface ChainVerification {
  valid: boolean;
  entries: number;
  headSeq: number;
  headHash: string;
  firstBadSeq: number | null;
  problem: string | null;
  checkedAt: string;
}

export type AuditLogEntryView = Pick<
  AuditLogEntryEntity,
  'seq' | 'at' | 'actor' | 'action' | 'entityType' | 'entityId' | 'payload' | 'payloadHash' | 'prevHash' | 'hash'
>;

export function toEntryView(e: AuditLogEntryEntity): AuditLogEntryView {
  return {
    seq: e.seq,
    at: e.at,
    actor: e.actor,
    action: e.action,
    entityType: e.entityType,
    entityId: e.entityId,
    payload: e.payload,
    payloadHash: e.payloadHash,
    prevHash: e.prevHash,
    hash: e.hash,
  };
}

export interface SignedCheckpoint {
  seq: number;
  hash: string;
  at: string;
  algorithm: 'HMAC-SHA256';
  signature: string;
}

const VERIFY_BATCH = 2000;

/** seq null when no entry is to blame (the head row itself is missing). */
type VerifyProblem = { seq: number | null; problem: string };

/** The walked chain (1..end) against the head row, which every append updates in the entry's transaction. */
function compareHead(
  head: AuditLogHeadEntity | null,
  end: { seq: number; hash: string },
  entries: number,
): VerifyProblem | null {
  if (!head)
    return {
      seq: null,
      problem: `the audit_log_head row is missing (the log holds ${entries} entries): nothing records where the chain ends`,
    };
  if (end.seq < head.seq)
    return {
      seq: end.seq + 1,
      problem: `chain ends at ${end.seq} but the head records ${head.seq}: entries were deleted`,
    };
  if (end.seq > head.seq) {
    return {
      seq: head.seq + 1,
      problem: `entries ${head.seq + 1}..${end.seq} lie past the head (${head.seq}): the service did not append them`,
    };
  }
  if (end.hash !== head.hash)
    return { seq: end.seq, problem: `entry ${end.seq} does not match the hash the head records` };
  return null;
}

@Injectable()
export class AuditLogService {
  private checkpointKey?: Buffer;

  constructor(
    private readonly repository: AuditLogRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly permissions: RolePermissionsProvider,
    @Optional() private readonly tx?: TransactionRunner,
  ) {}

  /** Appends one entry inside the caller's transaction, so the change and its entry commit or fail together. */
  async append(tx: Tx, event: AuditEvent): Promise<AuditLogEntryEntity> {
    const head = await this.repository.lockHead(tx);
    // A change made with an API token names the token beside its creator (the actor); see audit-attribution.ts.
    const payload = payloadText(attributedPayload(event.payload, event.actor));
    const entry = Object.assign(new AuditLogEntryEntity(), {
      seq: head.seq + 1,
      at: iso(this.clock.now()),
      actor: event.actor,
      action: event.action,
      entityType: event.entityType,
      entityId: event.entityId,
      payload,
      payloadHash: sha256Hex(payload),
      prevHash: head.hash,
    });
    entry.hash = linkHash(entry);
    await this.repository.insert(tx, entry);
    return entry;
  }

  /**
   * Walks the chain from seq 1, then holds the head row against the table: the chain must end exactly at the head
   * (same seq and hash) and no row may sit outside 1..head. The head is read after the walk, so entries appended
   * meanwhile (a row and its head update commit together) extend the walk instead of looking like a forgery.
   */
  verify(): Promise<ChainVerification> {
    return this.verifyFrom({ seq: 0, hash: GENESIS_HASH });
  }

  /**
   * The same walk from an entry already verified (a signed checkpoint's), handing each verified batch to onBatch:
   * the incremental check before a pack is assembled. Entries up to `start` are taken as verified.
   */
  async verifyFrom(
    start: { seq: number; hash: string },
    onBatch?: (links: AuditLogEntryEntity[]) => void,
  ): Promise<ChainVerification> {
    let previous = start;
    let problem: VerifyProblem | null;
    let entries = start.seq;
    let head: AuditLogHeadEntity | null = null;
    for (;;) {
      const batch = await this.repository.findBatchAfter(previous.seq, VERIFY_BATCH);
      if (batch.length > 0) {
        problem = checkLinks(batch, previous);
        if (problem) break;
        onBatch?.(batch);
        entries += batch.length;
        const last = batch[batch.length - 1];
        previous = { seq: last.seq, hash: last.hash };
        continue;
      }
      head = await this.repository.findHead();
      if (head && head.seq > previous.seq && (await this.repository.findBatchAfter(previous.seq, 1)).length > 0)
        continue;
      problem = compareHead(head, previous, entries);
      break;
    }
    head ??= await this.repository.findHead();
    // A row below seq 1 is never walked, and comes before any other problem.
    const hidden = await this.repository.findLowestSeqBelow(1);
    if (hidden !== null)
      problem = { seq: hidden, problem: `entry ${hidden} lies outside the chain, which starts at 1` };
    return {
      valid: problem === null,
      entries,
      headSeq: head?.seq ?? 0,
      headHash: head?.hash ?? '',
      firstBadSeq: problem?.seq ?? null,
      problem: problem?.problem ?? null,
      checkedAt: iso(this.clock.now()),
    };
  }

  async head(): Promise<{ seq: number; hash: string }> {
    const head = await this.repository.findHead();
    return { seq: head?.seq ?? 0, hash: head?.hash ?? GENESIS_HASH };
  }

  /** A signed statement of the current head: kept outside the database, it later proves the tail was not rewritten. */
  async checkpoint(): Promise<SignedCheckpoint> {
    // Read in the write queue's turn: on SQLite a read beside an open write transaction shares its connection and
    // would see its entries before they commit, and a signed head must never name an entry that may yet roll back.
    const head = this.tx ? await this.tx.run(() => this.head()) : await this.head();
    const at = iso(this.clock.now());
    return {
      ...head,
      at,
      algorithm: 'HMAC-SHA256',
      signature: checkpointSignature(this.key(), head.seq, head.hash, at),
    };
  }

  async verifyCheckpoint(checkpoint: SignedCheckpoint): Promise<{ valid: boolean; problem: string | null }> {
    if (!checkpointSignatureMatches(this.key(), checkpoint)) {
      return {
        valid: false,
        problem: 'signature does not match: the checkpoint was not issued by this server or was altered',
      };
    }
    // A checkpoint of the empty log names seq 0, which has no row: it anchors on the genesis hash.
    const entry = checkpoint.seq === 0 ? { hash: GENESIS_HASH } : await this.repository.findBySeq(checkpoint.seq);
    if (!entry) return { valid: false, problem: `entry ${checkpoint.seq} no longer exists: the log was truncated` };
    if (entry.hash !== checkpoint.hash)
      return { valid: false, problem: `entry ${checkpoint.seq} has a different hash: the log was rewritten` };
    const chain = await this.verify();
    if (!chain.valid && chain.firstBadSeq !== null && chain.firstBadSeq <= checkpoint.seq) {
      return { valid: false, problem: `chain broken at ${chain.firstBadSeq}: ${chain.problem}` };
    }
    return { valid: true, problem: null };
  }

  /**
   * A page of entries. A reader without audit-log:read-all sees only the entries about the audits they are assigned
   * to (see AuditLogRepository.findPage); verify and checkpoints stay global, as they carry no payloads.
   */
  async list(
    actor: Actor,
    filter: { entityType?: string; entityId?: string; beforeSeq?: number },
    limit: number,
  ): Promise<AuditLogEntryView[]> {
    if (limit < 1 || limit > 500) throw invalid('limit must be between 1 and 500');
    const auditorId = this.permissions.can(actor, 'audit-log:read-all') ? undefined : actor.id;
    const rows = await this.repository.findPage({ ...filter, auditorId }, limit);
    return rows.map(toEntryView);
  }

  /** The checkpoint key: WORKBENCH_AUDIT_KEY, or a random key kept in the data directory (mode 0600). */
  private key(): Buffer {
    if (this.checkpointKey) return this.checkpointKey;
    if (this.config.auditKey) {
      this.checkpointKey = Buffer.from(this.config.auditKey, 'hex');
      return this.checkpointKey;
    }
    const file = path.join(this.config.dataDir, CHECKPOINT_KEY_FILE);
    if (!fs.existsSync(file)) {
      makePrivateDir(this.config.dataDir);
      try {
        fs.writeFileSync(file, randomBytes(32).toString('hex'), { mode: PRIVATE_FILE_MODE, flag: 'wx' });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
    this.checkpointKey = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'hex');
    return this.checkpointKey;
  }
}
