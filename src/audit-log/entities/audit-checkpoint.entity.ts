import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TIMESTAMP_COLUMN } from '../../common/time';

/**
 * A signed tree head of the audit log (RFC 9162): the first treeSize entries, their Merkle root, when, and an
 * Ed25519 signature over checkpointText(). Written only after the chain up to treeSize verified, so the next
 * verification starts here instead of at entry 1.
 */
@Entity('audit_checkpoints')
export class AuditCheckpointEntity {
  @PrimaryColumn({ type: 'integer' })
  treeSize: number;

  @Column({ type: 'varchar', length: 64 })
  rootHash: string;

  /** The chain hash of entry treeSize, where the next walk of the chain links on. */
  @Column({ type: 'varchar', length: 64 })
  headHash: string;

  @Column(TIMESTAMP_COLUMN)
  at: string;

  /** The roots of the tree's perfect subtrees, largest first (JSON array of hex): the next root extends them. */
  @Column({ type: 'text' })
  peaks: string;

  @Column({ type: 'varchar', length: 64 })
  keyFingerprint: string;

  /** Ed25519, base64. */
  @Column({ type: 'varchar', length: 100 })
  signature: string;
}
