import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TIMESTAMP_COLUMN } from '../../common/time';

/**
 * One row (id 1) whose version goes up in the same transaction as every catalog write (policy load, OSCAL import).
 * Every instance compares it with the version its in-memory CatalogIndex was built from, so a write on one instance
 * is seen by all of them on their next read.
 */
@Entity('catalog_version')
export class CatalogVersionEntity {
  @PrimaryColumn({ type: 'integer' })
  id: number;

  @Column({ type: 'integer' })
  version: number;

  @Column(TIMESTAMP_COLUMN)
  changedAt: string;
}
