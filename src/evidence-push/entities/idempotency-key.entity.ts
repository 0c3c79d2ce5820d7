import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TIMESTAMP_COLUMN } from '../../common/time';

/**
 * An Idempotency-Key a caller sent with an evidence push, with what it produced. The unique (callerScope, key) index
 * makes two concurrent pushes with one key store one item: the row is written in the upload's transaction, so the
 * loser's transaction (evidence row and audit entry included) rolls back and it answers with the winner's receipt.
 */
@Entity('idempotency_keys')
@Index('IDX_idempotency_keys_caller_key', ['callerScope', 'key'], { unique: true })
@Index('IDX_idempotency_keys_created', ['createdAt'])
export class IdempotencyKeyEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  /** Whose key it is: `user:<id>`, or `token:<id>` for an API token (one pipeline's keys never meet another's). */
  @Column({ type: 'varchar', length: 80 })
  callerScope: string;

  @Column({ type: 'varchar', length: 200 })
  key: string;

  /** SHA-256 over the system, the file's SHA-256 and size, its name and every field: "the same content". */
  @Column({ type: 'varchar', length: 64 })
  fingerprint: string;

  @Column({ type: 'varchar', length: 36 })
  evidenceId: string;

  /** The receipt the first push answered with (JSON), returned as it was to every replay. */
  @Column({ type: 'text' })
  receipt: string;

  @Column(TIMESTAMP_COLUMN)
  createdAt: string;
}
