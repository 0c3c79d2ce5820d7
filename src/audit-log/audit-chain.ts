import { createHmac, timingSafeEqual } from 'node:crypto';
import { canonicalJson, sha256Hex } from '../common/canonical-json';

export const GENESIS_HASH = '0'.repeat(64);

/** Where the checkpoint key lives in the data directory when WORKBENCH_AUDIT_KEY is not set (and in backups). */
export const CHECKPOINT_KEY_FILE = 'audit-checkpoint.key';

/** The HMAC of a checkpoint (seq, hash, at); shared by the app and the backup script so both sign alike. */
export function checkpointSignature(key: Buffer, seq: number, hash: string, at: string): string {
  return createHmac('sha256', key).update(`${seq}\n${hash}\n${at}`).digest('hex');
}

export function checkpointSignatureMatches(
  key: Buffer,
  checkpoint: { seq: number; hash: string; at: string; signature: string },
): boolean {
  const expected = Buffer.from(checkpointSignature(key, checkpoint.seq, checkpoint.hash, checkpoint.at), 'hex');
  const given = Buffer.from(String(checkpoint.signature), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export interface ChainLink {
  seq: number;
  at: string;
  actor: string;
  action: string;
  entityType: string;
  entityId: string;
  payload: string;
  payloadHash: string;
  prevHash: string;
  hash: string;
}

export function payloadText(payload: unknown): string {
  return canonicalJson(payload ?? {});
}

export function linkHash(link: Omit<ChainLink, 'hash' | 'payload'>): string {
  return sha256Hex(
    [link.prevHash, link.seq, link.at, link.actor, link.action, link.entityType, link.entityId, link.payloadHash].join(
      '\n',
    ),
  );
}

export interface ChainProblem {
  seq: number;
  problem: string;
}

/**
 * Checks one batch of links in seq order against the previous link's seq and hash. Returns the first problem:
 * a missing or repeated seq (deleted or reordered rows), a payload that no longer matches its hash (edited payload),
 * a broken back-link, or a hash that does not recompute (edited metadata).
 */
export function checkLinks(links: ChainLink[], previous: { seq: number; hash: string }): ChainProblem | null {
  let expectedSeq = previous.seq + 1;
  let prevHash = previous.hash;
  for (const link of links) {
    if (link.seq !== expectedSeq) {
      return { seq: expectedSeq, problem: `entry ${expectedSeq} is missing (next entry found is ${link.seq})` };
    }
    if (sha256Hex(link.payload) !== link.payloadHash) {
      return { seq: link.seq, problem: 'payload does not match its recorded hash' };
    }
    if (link.prevHash !== prevHash) {
      return { seq: link.seq, problem: 'previous-hash link does not match the preceding entry' };
    }
    if (linkHash(link) !== link.hash) {
      return { seq: link.seq, problem: 'entry hash does not recompute from its fields' };
    }
    prevHash = link.hash;
    expectedSeq++;
  }
  return null;
}
