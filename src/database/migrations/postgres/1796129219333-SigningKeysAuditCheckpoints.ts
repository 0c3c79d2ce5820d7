import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The installation's signing keys (public halves, with validity) and the signed Merkle checkpoints of the audit log,
 * from which each verification walks on (issue 16.5-16.6, issue 18.1).
 */
export class SigningKeysAuditCheckpoints1796129219333 implements MigrationInterface {
  name = 'SigningKeysAuditCheckpoints1796129219333';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "audit_checkpoints" ("treeSize" integer NOT NULL, "rootHash" character varying(64) NOT NULL, "headHash" character varying(64) NOT NULL, "at" character varying(24) NOT NULL, "peaks" text NOT NULL, "keyFingerprint" character varying(64) NOT NULL, "signature" character varying(100) NOT NULL, CONSTRAINT "PK_dad4926404addd7127e45f909ed" PRIMARY KEY ("treeSize"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "signing_keys" ("fingerprint" character varying(64) NOT NULL, "publicKeyPem" text NOT NULL, "validFrom" character varying(24) NOT NULL, "validTo" character varying(24), CONSTRAINT "PK_4306131919a9a68a762789fd4d4" PRIMARY KEY ("fingerprint"))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "signing_keys"`);
    await queryRunner.query(`DROP TABLE "audit_checkpoints"`);
  }
}
