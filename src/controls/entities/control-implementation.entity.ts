import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { TIMESTAMP_COLUMN } from '../../common/time';
import { AiSystemEntity } from '../../ai-systems/entities/ai-system.entity';
import { ControlEntity } from '../../catalog/entities/catalog.entities';
import { UserEntity } from '../../users/entities/user.entity';

export const IMPLEMENTATION_STATUSES = ['not_started', 'in_progress', 'implemented', 'not_applicable'] as const;
export type ImplementationStatus = (typeof IMPLEMENTATION_STATUSES)[number];

@Entity('control_implementations')
@Index('UQ_control_implementations_pair', ['systemId', 'controlCode'], { unique: true })
export class ControlImplementationEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 36 })
  systemId: string;

  @ManyToOne(() => AiSystemEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'systemId' })
  system?: AiSystemEntity;

  @Column({ type: 'varchar', length: 32 })
  controlCode: string;

  @ManyToOne(() => ControlEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'controlCode' })
  control?: ControlEntity;

  @Column({ type: 'varchar', length: 16 })
  status: ImplementationStatus;

  @Column({ type: 'text', default: '' })
  statement: string;

  @Column({ type: 'text', nullable: true })
  justification: string | null;

  /** Free text (a role or team); the named owner is ownerUserId. */
  @Column({ type: 'varchar', length: 200, default: '' })
  owner: string;

  /** The person accountable for the control on this system; they may not test it (four-eyes). */
  @Column({ type: 'varchar', length: 36, nullable: true })
  ownerUserId: string | null;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'ownerUserId' })
  ownerUser?: UserEntity;

  @Column({ ...TIMESTAMP_COLUMN, nullable: true })
  lastReviewedAt: string | null;

  @Column({ ...TIMESTAMP_COLUMN, nullable: true })
  nextReviewDue: string | null;

  @Column(TIMESTAMP_COLUMN)
  updatedAt: string;
}
