import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The installation's signing keys (public halves, with validity) and the signed Merkle checkpoints of the audit log,
 * from which each verification walks on (issue 16.5-16.6, issue 18.1).
 */
export class SigningKeysAuditCheckpoints1796129124635 implements MigrationInterface {
  name = 'SigningKeysAuditCheckpoints1796129124635';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "audit_checkpoints" ("treeSize" integer PRIMARY KEY NOT NULL, "rootHash" varchar(64) NOT NULL, "headHash" varchar(64) NOT NULL, "at" varchar(24) NOT NULL, "peaks" text NOT NULL, "keyFingerprint" varchar(64) NOT NULL, "signature" varchar(100) NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE TABLE "signing_keys" ("fingerprint" varchar(64) PRIMARY KEY NOT NULL, "publicKeyPem" text NOT NULL, "validFrom" varchar(24) NOT NULL, "validTo" varchar(24))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "signing_keys"`);
    await queryRunner.query(`DROP TABLE "audit_checkpoints"`);
  }
}
