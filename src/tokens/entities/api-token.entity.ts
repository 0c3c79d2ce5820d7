import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TIMESTAMP_COLUMN } from '../../common/time';

/**
 * An API token for pipelines (Authorization: Bearer wbt_...). Only the SHA-256 of the token is stored, so a database
 * dump yields no usable token. It acts as its creator, narrowed to `permissions` and, when set, to `systemIds`.
 */
@Entity('api_tokens')
export class ApiTokenEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Index('UQ_api_tokens_token_hash', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  tokenHash: string;

  @Column({ type: 'varchar', length: 120 })
  name: string;

  /** The creator, whose role and disabled flag are read on every use. */
  @Index('IDX_api_tokens_user')
  @Column({ type: 'varchar', length: 36 })
  userId: string;

  /** JSON array of permission names. */
  @Column({ type: 'text' })
  permissions: string;

  /** JSON array of AI system ids, or null for every system the creator sees. */
  @Column({ type: 'text', nullable: true })
  systemIds: string | null;

  @Column(TIMESTAMP_COLUMN)
  createdAt: string;

  @Column(TIMESTAMP_COLUMN)
  expiresAt: string;

  @Column({ ...TIMESTAMP_COLUMN, nullable: true })
  revokedAt: string | null;

  @Column({ ...TIMESTAMP_COLUMN, nullable: true })
  lastUsedAt: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  lastUsedFrom: string | null;
}
