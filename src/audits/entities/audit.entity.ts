import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { TIMESTAMP_COLUMN } from '../../common/time';
import { AiSystemEntity } from '../../ai-systems/entities/ai-system.entity';
import { UserEntity } from '../../users/entities/user.entity';

export const AUDIT_TYPES = ['point_in_time', 'period'] as const;
export type AuditType = (typeof AUDIT_TYPES)[number];

/** The longest management assertion accepted (issue 16). */
export const ASSERTION_MAX_LENGTH = 20000;

/**
 * An audit engagement: what an auditor may see is the systems listed here. A point-in-time audit looks at its period
 * end; a period audit (e.g. SOC 2 Type II) at the whole period. The management assertion is signed off by a named
 * person; editing it afterwards clears the sign-off.
 */
@Entity('audits')
export class AuditEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 16, default: 'point_in_time' })
  type: AuditType;

  @Column({ type: 'simple-json' })
  frameworks: string[];

  @Column(TIMESTAMP_COLUMN)
  periodStart: string;

  @Column(TIMESTAMP_COLUMN)
  periodEnd: string;

  @Column({ type: 'text', nullable: true })
  assertionText: string | null;

  @Column({ type: 'varchar', length: 36, nullable: true })
  assertionUpdatedBy: string | null;

  @Column({ ...TIMESTAMP_COLUMN, nullable: true })
  assertionUpdatedAt: string | null;

  /** The user who signed the assertion off, with their name as it was then. */
  @Column({ type: 'varchar', length: 36, nullable: true })
  assertionSignedBy: string | null;

  @Column({ type: 'varchar', length: 120, nullable: true })
  assertionSignedByName: string | null;

  @Column({ ...TIMESTAMP_COLUMN, nullable: true })
  assertionSignedAt: string | null;

  @Column({ type: 'varchar', length: 36 })
  createdBy: string;

  @Column(TIMESTAMP_COLUMN)
  createdAt: string;
}

@Entity('audit_systems')
@Index('IDX_audit_systems_system', ['systemId'])
export class AuditSystemEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  auditId: string;

  @PrimaryColumn({ type: 'varchar', length: 36 })
  systemId: string;

  @ManyToOne(() => AuditEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'auditId' })
  audit?: AuditEntity;

  @ManyToOne(() => AiSystemEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'systemId' })
  system?: AiSystemEntity;
}

@Entity('audit_auditors')
@Index('IDX_audit_auditors_user', ['userId'])
export class AuditAuditorEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  auditId: string;

  @PrimaryColumn({ type: 'varchar', length: 36 })
  userId: string;

  @ManyToOne(() => AuditEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'auditId' })
  audit?: AuditEntity;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'userId' })
  user?: UserEntity;
}
