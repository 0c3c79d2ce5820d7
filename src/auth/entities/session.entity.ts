import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TIMESTAMP_COLUMN } from '../../common/time';

/** A login session. Only the SHA-256 of the bearer token is stored, so a database dump yields no usable token. */
@Entity('sessions')
export class SessionEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Index('UQ_sessions_token_hash', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  tokenHash: string;

  @Index('IDX_sessions_user')
  @Column({ type: 'varchar', length: 36 })
  userId: string;

  @Column({ type: 'varchar', length: 64 })
  csrfToken: string;

  @Column(TIMESTAMP_COLUMN)
  createdAt: string;

  @Column(TIMESTAMP_COLUMN)
  expiresAt: string;

  @Column({ ...TIMESTAMP_COLUMN, nullable: true })
  revokedAt: string | null;
}
