import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { TIMESTAMP_COLUMN } from '../../common/time';

/**
 * A crosswalk someone else asserted (an imported OSCAL mapping collection), kept beside the one the workbench derives.
 * It never feeds coverage: it is shown next to the derived links so a reader can compare them.
 */
@Entity('external_crosswalk_sources')
export class ExternalCrosswalkSourceEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  /** The mapping collection's own uuid. */
  @Column({ type: 'varchar', length: 36 })
  collectionUuid: string;

  @Column({ type: 'varchar', length: 300 })
  title: string;

  /** provenance.method of the collection: human, automation or hybrid. */
  @Column({ type: 'varchar', length: 16 })
  method: string;

  @Column({ type: 'varchar', length: 16 })
  matchingRationale: string;

  /** SHA-256 of the canonical JSON of the imported document. */
  @Column({ type: 'varchar', length: 64 })
  contentHash: string;

  @Column({ type: 'integer' })
  linkCount: number;

  @Column({ type: 'varchar', length: 320 })
  importedBy: string;

  @Column(TIMESTAMP_COLUMN)
  importedAt: string;
}

/** One source -> target pair of an imported map (a map with several sources or targets gives one row per pair). */
@Entity('external_crosswalk_links')
@Index('IDX_external_crosswalk_links_pair', ['fromFramework', 'toFramework'])
export class ExternalCrosswalkLinkEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 36 })
  sourceId: string;

  @ManyToOne(() => ExternalCrosswalkSourceEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'sourceId' })
  source?: ExternalCrosswalkSourceEntity;

  @Column({ type: 'varchar', length: 64 })
  fromFramework: string;

  @Column({ type: 'varchar', length: 64 })
  fromRef: string;

  @Column({ type: 'varchar', length: 64 })
  toFramework: string;

  @Column({ type: 'varchar', length: 64 })
  toRef: string;

  /** The OSCAL relationship of the map (equal-to ... intersects-with, or no-relationship). */
  @Column({ type: 'varchar', length: 32 })
  relationship: string;

  /** The workbench strength prop (1-10) when the collection carries one, else null. */
  @Column({ type: 'integer', nullable: true })
  strength: number | null;

  @Column({ type: 'text', default: '' })
  remarks: string;

  /** The uuid of the map in the collection. */
  @Column({ type: 'varchar', length: 36 })
  mapUuid: string;

  /** Document order, so a re-read lists the links as the collection did. */
  @Column({ type: 'integer' })
  position: number;
}
