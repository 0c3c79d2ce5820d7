import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { TIMESTAMP_COLUMN } from '../../common/time';
import { AiSystemEntity } from '../../ai-systems/entities/ai-system.entity';
import { UserEntity } from '../../users/entities/user.entity';

/** An audit engagement: what an auditor may see is the systems listed here. */
@Entity('audits')
export class AuditEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'simple-json' })
  frameworks: string[];

  @Column(TIMESTAMP_COLUMN)
  periodStart: string;

  @Column(TIMESTAMP_COLUMN)
  periodEnd: string;

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
