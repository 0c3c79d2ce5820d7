import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { conflict, notFound } from '../common/domain-errors';
import { CLOCK, Clock, iso } from '../common/time';
import { TransactionRunner, Tx } from '../database/transaction-runner';
import { SigningKeyService } from '../signing/signing-key.service';
import { signatureMatches } from '../signing/signing-keys';
import { GENESIS_HASH } from './audit-chain';
import { CheckpointView, checkpointText, InclusionProofView } from './audit-checkpoint';
import { AuditCheckpointsRepository } from './audit-checkpoints.repository';
import { AuditLogRepository } from './audit-log.repository';
import { AuditLogEntryView, AuditLogService, ChainVerification, toEntryView } from './audit-log.service';
import { AuditCheckpointEntity } from './entities/audit-checkpoint.entity';
import { MerkleFrontier, MerkleTree } from './merkle';

/** How often each instance checkpoints the log on its own (besides before every pack and on demand). */
export const CHECKPOINT_INTERVAL_MS = 15 * 60 * 1000;
const HASH_BATCH = 10_000;

export interface ExtractEntry extends AuditLogEntryView {
  leafIndex: number;
  proof: string[];
}

export interface ExtractScope {
  packId: string;
  auditId: string | null;
  systemId: string | null;
  asOf: string;
}

function toView(checkpoint: AuditCheckpointEntity): CheckpointView {
  return {
    treeSize: checkpoint.treeSize,
    rootHash: checkpoint.rootHash,
    at: checkpoint.at,
    algorithm: 'Ed25519',
    keyFingerprint: checkpoint.keyFingerprint,
    signature: checkpoint.signature,
    signedText: checkpointText(checkpoint),
  };
}

/**
 * Signed Merkle checkpoints of the audit log (RFC 9162 tree heads) and inclusion proofs against them. A checkpoint
 * is written only after the chain up to it verified; the next verification walks on from the latest one, so the
 * cost of checking the log before a pack grows with the entries since then, not with the log. The full walk stays
 * in AuditLogService.verify (GET /api/v1/audit-log/verify, npm run audit:verify). Writing a checkpoint is not audited:
 * it changes no record, and an entry for it would leave every checkpoint one entry behind the log.
 */
@Injectable()
export class AuditCheckpointService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(AuditCheckpointService.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<ChainVerification>;

  constructor(
    private readonly checkpoints: AuditCheckpointsRepository,
    private readonly entries: AuditLogRepository,
    private readonly auditLog: AuditLogService,
    private readonly signing: SigningKeyService,
    private readonly tx: TransactionRunner,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => {
      this.verifyAndCheckpoint().catch((error) =>
        this.logger.warn(`periodic audit-log checkpoint failed: ${(error as Error).message}`),
      );
    }, CHECKPOINT_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async latest(): Promise<CheckpointView | null> {
    const checkpoint = await this.checkpoints.findLatest();
    return checkpoint ? toView(checkpoint) : null;
  }

  /** The checkpoint a pack finished at `at` was assembled against (the pack's bundle proves its entries with it). */
  async latestAt(at: string): Promise<CheckpointView | null> {
    const checkpoint = await this.checkpoints.findLatestAt(at);
    return checkpoint ? toView(checkpoint) : null;
  }

  /**
   * Verifies the chain from the latest checkpoint (its signature, and that its last entry still has the hash it
   * signed) to the head, and signs a checkpoint of the head when that holds. Calls made while one runs share it.
   */
  verifyAndCheckpoint(): Promise<ChainVerification> {
    this.running ??= this.run().finally(() => (this.running = undefined));
    return this.running;
  }

  /** GET /api/v1/audit-log/proof?seq=N: entry N's inclusion proof against the latest checkpoint (one is made when N is newer). */
  async proof(seq: number): Promise<InclusionProofView> {
    const entry = await this.entries.findBySeq(seq);
    if (!entry) throw notFound('Audit-log entry', String(seq));
    let checkpoint = await this.checkpoints.findLatest();
    if (!checkpoint || checkpoint.treeSize < seq) {
      const chain = await this.verifyAndCheckpoint();
      if (!chain.valid)
        throw conflict(`The audit log does not verify, so no checkpoint can be signed: ${chain.problem}`);
      checkpoint = await this.checkpoints.findLatest();
    }
    const tree = await this.treeOf(checkpoint!);
    return {
      seq,
      leafIndex: seq - 1,
      entryHash: entry.hash,
      treeSize: checkpoint!.treeSize,
      proof: tree.inclusionProof(seq - 1),
      checkpoint: toView(checkpoint!),
    };
  }

  /**
   * The entries of a pack's scope up to the checkpoint (see AuditLogRepository.findExtract), each with its inclusion
   * proof against it. The tree is rebuilt once from the stored hashes.
   */
  async extract(scope: ExtractScope, checkpoint: CheckpointView): Promise<ExtractEntry[]> {
    const entries = (await this.entries.findExtract({ ...scope, maxSeq: checkpoint.treeSize })).map(toEntryView);
    if (entries.length === 0) return [];
    const tree = await this.treeOf(checkpoint);
    return entries.map((entry) => ({ ...entry, leafIndex: entry.seq - 1, proof: tree.inclusionProof(entry.seq - 1) }));
  }

  /**
   * The walk runs in the write queue's turn (on SQLite a read beside an open write transaction shares its connection
   * and would see entries that may yet roll back; a signed checkpoint must name committed entries only). The signing
   * key is registered first, since registering it is a write of its own.
   */
  private async run(): Promise<ChainVerification> {
    await this.signing.currentFingerprint();
    return this.tx.run((tx) => this.walkAndSign(tx));
  }

  private async walkAndSign(tx: Tx): Promise<ChainVerification> {
    const latest = await this.checkpoints.findLatest();
    let frontier = MerkleFrontier.empty();
    let start = { seq: 0, hash: GENESIS_HASH };
    if (latest) {
      const problem = await this.checkpointProblem(latest);
      if (problem) return this.broken(latest.treeSize, problem);
      frontier = MerkleFrontier.restore(latest.treeSize, JSON.parse(latest.peaks) as string[]);
      start = { seq: latest.treeSize, hash: latest.headHash };
    }
    const chain = await this.auditLog.verifyFrom(start, (links) => {
      for (const link of links) frontier.append(link.hash);
    });
    if (!chain.valid || frontier.treeSize === (latest?.treeSize ?? -1)) return chain;
    // The walk ends at the head it compared against; the frontier holds exactly the entries walked.
    const at = iso(this.clock.now());
    const rootHash = frontier.root();
    const signed = await this.signing.sign(Buffer.from(checkpointText({ treeSize: frontier.treeSize, rootHash, at })));
    const checkpoint = Object.assign(new AuditCheckpointEntity(), {
      treeSize: frontier.treeSize,
      rootHash,
      headHash: frontier.treeSize === 0 ? GENESIS_HASH : chain.headHash,
      at,
      peaks: JSON.stringify(frontier.peaksHex()),
      keyFingerprint: signed.fingerprint,
      signature: signed.signature.toString('base64'),
    });
    await this.checkpoints.insertUnlessPresent(tx, checkpoint);
    return chain;
  }

  /** A stored checkpoint is trusted only with a valid signature by a listed key, and while its last entry is intact. */
  private async checkpointProblem(checkpoint: AuditCheckpointEntity): Promise<string | null> {
    const key = await this.signing.publicKey(checkpoint.keyFingerprint);
    if (
      !key ||
      !signatureMatches(
        key.publicKeyPem,
        Buffer.from(checkpointText(checkpoint)),
        Buffer.from(checkpoint.signature, 'base64'),
      )
    )
      return `checkpoint ${checkpoint.treeSize} does not carry a valid signature by a listed signing key: the checkpoint table was altered`;
    if (checkpoint.treeSize === 0) return null;
    const entry = await this.entries.findBySeq(checkpoint.treeSize);
    if (!entry)
      return `entry ${checkpoint.treeSize}, the end of the last checkpoint, no longer exists: the log was truncated`;
    if (entry.hash !== checkpoint.headHash)
      return `entry ${checkpoint.treeSize} no longer has the hash its checkpoint signed: the log was rewritten`;
    return null;
  }

  private async broken(seq: number, problem: string): Promise<ChainVerification> {
    const head = await this.auditLog.head();
    return {
      valid: false,
      entries: head.seq,
      headSeq: head.seq,
      headHash: head.hash,
      firstBadSeq: seq,
      problem,
      checkedAt: iso(this.clock.now()),
    };
  }

  /** The whole tree of a checkpoint, from the stored entry hashes; refused when it no longer has the signed root. */
  private async treeOf(checkpoint: { treeSize: number; rootHash: string }): Promise<MerkleTree> {
    const hashes: string[] = [];
    for (let from = 1; from <= checkpoint.treeSize; from += HASH_BATCH) {
      for (const row of await this.checkpoints.findHashes(from, Math.min(checkpoint.treeSize, from + HASH_BATCH - 1)))
        hashes.push(row.hash);
    }
    const tree = new MerkleTree(hashes);
    if (hashes.length !== checkpoint.treeSize || tree.root() !== checkpoint.rootHash)
      throw conflict(
        `The audit log no longer matches checkpoint ${checkpoint.treeSize} (root ${checkpoint.rootHash}): entries were altered or removed; run npm run audit:verify`,
      );
    return tree;
  }
}
