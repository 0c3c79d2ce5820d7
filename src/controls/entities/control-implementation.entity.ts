import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { TIMESTAMP_COLUMN } from '../../common/time';
import { AiSystemEntity } from '../../ai-systems/entities/ai-system.entity';
import { ControlEntity } from '../../catalog/entities/catalog.entities';

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

  @Column({ type: 'varchar', length: 200, default: '' })
  owner: string;

  @Column({ ...TIMESTAMP_COLUMN, nullable: true })
  lastReviewedAt: string | null;

  @Column({ ...TIMESTAMP_COLUMN, nullable: true })
  nextReviewDue: string | null;

  @Column(TIMESTAMP_COLUMN)
  updatedAt: string;
}
