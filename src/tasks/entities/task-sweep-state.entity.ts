import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TIMESTAMP_COLUMN } from '../../common/time';

/**
 * When the task sweep last looked at one system: the audit-log head read before its inputs, the policies it judged
 * with, and the instant after which time alone may change the judgment. The next sweep skips the system while no
 * entry since inputsSeq reaches it, the policies are the same and recheckAfter has not passed.
 */
@Entity('task_sweep_states')
export class TaskSweepStateEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  systemId: string;

  @Column({ type: 'integer' })
  inputsSeq: number;

  @Column({ type: 'varchar', length: 64 })
  policiesHash: string;

  @Column(TIMESTAMP_COLUMN)
  recheckAfter: string;

  @Column(TIMESTAMP_COLUMN)
  sweptAt: string;
}
