import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { TIMESTAMP_COLUMN } from '../../common/time';
import { ControlImplementationEntity, ImplementationStatus } from './control-implementation.entity';

/**
 * One status of a control implementation from `changedAt` on: the history that lets coverage, the control matrix and
 * packs show a status as it stood at an instant. The first row of an implementation has `fromStatus` null.
 */
@Entity('control_status_changes')
@Index('IDX_control_status_changes_system', ['systemId', 'changedAt'])
export class ControlStatusChangeEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 36 })
  implementationId: string;

  @ManyToOne(() => ControlImplementationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'implementationId' })
  implementation?: ControlImplementationEntity;

  @Column({ type: 'varchar', length: 36 })
  systemId: string;

  @Column({ type: 'varchar', length: 32 })
  controlCode: string;

  @Column({ type: 'varchar', length: 16, nullable: true })
  fromStatus: ImplementationStatus | null;

  @Column({ type: 'varchar', length: 16 })
  status: ImplementationStatus;

  @Column({ type: 'text', nullable: true })
  justification: string | null;

  /** The acting user's email, as in the audit log; `system` or `migration:<name>` when no person acted. */
  @Column({ type: 'varchar', length: 254 })
  actor: string;

  @Column(TIMESTAMP_COLUMN)
  changedAt: string;
}
