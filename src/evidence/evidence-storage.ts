import { Readable } from 'node:stream';

export interface StagedFile {
  tempPath: string;
  sha256: string;
  sizeBytes: number;
  /** The first bytes, for type detection. */
  head: Buffer;
}

/**
 * Where evidence files live: content-addressed by SHA-256, never overwritten. Local disk today; an S3-compatible
 * adapter is the next implementation of the same interface.
 */
export interface EvidenceStorage {
  /** Streams into a temp file while hashing; fsyncs it. Rejects with a too_large DomainError past maxBytes. */
  stage(stream: Readable, maxBytes: number): Promise<StagedFile>;
  /** Moves a staged file to its content address (a no-op when identical content is already stored). */
  commit(staged: StagedFile): Promise<void>;
  discard(staged: StagedFile): Promise<void>;
  /** Re-hashes the stored bytes; false when missing or altered. */
  verify(sha256: string): Promise<boolean>;
  /** Read errors (a missing file) come as the stream's 'error' event: every consumer must handle it. */
  open(sha256: string): Readable;
  exists(sha256: string): Promise<boolean>;
  /** Every stored content hash (for the orphan sweep and backups). */
  list(): Promise<string[]>;
  remove(sha256: string): Promise<void>;
  /** Removes temp files older than the given age (left by a crash mid-upload). */
  sweepTemp(olderThanMs: number): Promise<number>;
}

export const EVIDENCE_STORAGE = Symbol('EVIDENCE_STORAGE');
