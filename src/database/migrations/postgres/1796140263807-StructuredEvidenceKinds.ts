import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Structured evidence kinds (issue 20.4, 20.5): evidence records where a defaulted valid-until came from, and the
 * metrics of an evaluation are kept beside the control tests they produced. The new kinds (evaluation, ai_bom) need
 * no schema change: the kind column has no check constraint. Existing evidence keeps its valid-until (basis null).
 */
export class StructuredEvidenceKinds1796140263807 implements MigrationInterface {
  name = 'StructuredEvidenceKinds1796140263807';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "evidence" ADD "validUntilBasis" character varying(80)`);
    await queryRunner.query(
      `CREATE TABLE "evaluation_metrics" ("testId" character varying(36) NOT NULL, "evidenceId" character varying(36) NOT NULL, "systemId" character varying(36) NOT NULL, "controlCode" character varying(32) NOT NULL, "name" character varying(80) NOT NULL, "value" double precision NOT NULL, "threshold" double precision NOT NULL, "direction" character varying(16) NOT NULL, "unit" character varying(24) NOT NULL DEFAULT '', "model" character varying(210) NOT NULL, "dataset" character varying(210) NOT NULL, "measuredAt" character varying(24) NOT NULL, CONSTRAINT "PK_22f3dd04d4e8aa7e98882d2e4e4" PRIMARY KEY ("testId"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_evaluation_metrics_evidence" ON "evaluation_metrics" ("evidenceId") `);
    await queryRunner.query(
      `CREATE INDEX "IDX_evaluation_metrics_system" ON "evaluation_metrics" ("systemId", "controlCode", "name", "measuredAt") `,
    );
    await queryRunner.query(
      `ALTER TABLE "evaluation_metrics" ADD CONSTRAINT "FK_22f3dd04d4e8aa7e98882d2e4e4" FOREIGN KEY ("testId") REFERENCES "control_tests"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "evaluation_metrics" ADD CONSTRAINT "FK_b5eb8491f533b48bb309112a2fc" FOREIGN KEY ("evidenceId") REFERENCES "evidence"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "evaluation_metrics" DROP CONSTRAINT "FK_b5eb8491f533b48bb309112a2fc"`);
    await queryRunner.query(`ALTER TABLE "evaluation_metrics" DROP CONSTRAINT "FK_22f3dd04d4e8aa7e98882d2e4e4"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_evaluation_metrics_system"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_evaluation_metrics_evidence"`);
    await queryRunner.query(`DROP TABLE "evaluation_metrics"`);
    await queryRunner.query(`ALTER TABLE "evidence" DROP COLUMN "validUntilBasis"`);
  }
}
