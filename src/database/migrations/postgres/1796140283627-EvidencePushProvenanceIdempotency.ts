import { MigrationInterface, QueryRunner } from 'typeorm';

/** Evidence provenance (the pipeline run it came from) and the Idempotency-Keys of evidence pushes (issue 20.2). */
export class EvidencePushProvenanceIdempotency1796140283627 implements MigrationInterface {
  name = 'EvidencePushProvenanceIdempotency1796140283627';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "evidence" ADD "provenance" text`);
    await queryRunner.query(
      `CREATE TABLE "idempotency_keys" ("id" character varying(36) NOT NULL, "callerScope" character varying(80) NOT NULL, "key" character varying(200) NOT NULL, "fingerprint" character varying(64) NOT NULL, "evidenceId" character varying(36) NOT NULL, "receipt" text NOT NULL, "createdAt" character varying(24) NOT NULL, CONSTRAINT "PK_idempotency_keys" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_idempotency_keys_caller_key" ON "idempotency_keys" ("callerScope", "key") `,
    );
    await queryRunner.query(`CREATE INDEX "IDX_idempotency_keys_created" ON "idempotency_keys" ("createdAt") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_idempotency_keys_created"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_idempotency_keys_caller_key"`);
    await queryRunner.query(`DROP TABLE "idempotency_keys"`);
    await queryRunner.query(`ALTER TABLE "evidence" DROP COLUMN "provenance"`);
  }
}
