import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { TIMESTAMP_COLUMN } from '../../common/time';
import { AiSystemEntity } from '../../ai-systems/entities/ai-system.entity';
import { RequirementEntity } from '../../catalog/entities/catalog.entities';

/**
 * What a recorded decision does to a requirement of one system:
 * - excluded: not applicable to this system, for the reason given (never for a HIPAA specification);
 * - alternative_measure: a HIPAA addressable specification met by a documented equivalent alternative measure
 *   (45 CFR 164.306(d)(3)(ii)(B)(2));
 * - not_reasonable_and_appropriate: a HIPAA addressable specification documented as not reasonable and appropriate
 *   for this system, neither it nor an alternative (164.306(d)(3)(ii)(B)(1) and (2)).
 */
export const REQUIREMENT_DECISIONS = ['excluded', 'alternative_measure', 'not_reasonable_and_appropriate'] as const;
export type RequirementDecision = (typeof REQUIREMENT_DECISIONS)[number];

@Entity('requirement_decisions')
@Index('UQ_requirement_decisions_pair', ['systemId', 'requirementId'], { unique: true })
export class RequirementDecisionEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 36 })
  systemId: string;

  @ManyToOne(() => AiSystemEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'systemId' })
  system?: AiSystemEntity;

  @Column({ type: 'varchar', length: 36 })
  requirementId: string;

  @ManyToOne(() => RequirementEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'requirementId' })
  requirement?: RequirementEntity;

  @Column({ type: 'varchar', length: 32 })
  decision: RequirementDecision;

  @Column({ type: 'text' })
  rationale: string;

  @Column({ type: 'varchar', length: 36 })
  decidedBy: string;

  @Column(TIMESTAMP_COLUMN)
  decidedAt: string;
}
