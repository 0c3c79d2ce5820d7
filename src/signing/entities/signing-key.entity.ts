import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TIMESTAMP_COLUMN } from '../../common/time';

/**
 * A public key that has signed bundles and checkpoints, with when it was the installation's signing key. Only the
 * public half is stored: the private key lives in the data directory or WORKBENCH_SIGNING_KEY.
 */
@Entity('signing_keys')
export class SigningKeyEntity {
  /** SHA-256 (hex) of the DER SubjectPublicKeyInfo. */
  @PrimaryColumn({ type: 'varchar', length: 64 })
  fingerprint: string;

  @Column({ type: 'text' })
  publicKeyPem: string;

  @Column(TIMESTAMP_COLUMN)
  validFrom: string;

  /** Null while it is the current key. */
  @Column({ ...TIMESTAMP_COLUMN, nullable: true })
  validTo: string | null;
}
