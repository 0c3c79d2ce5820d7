import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Structured evidence kinds (issue 20.4, 20.5): evidence records where a defaulted valid-until came from, and the
 * metrics of an evaluation are kept beside the control tests they produced. The new kinds (evaluation, ai_bom) need
 * no schema change: the kind column has no check constraint. Existing evidence keeps its valid-until (basis null).
 */
export class StructuredEvidenceKinds1796140263807 implements MigrationInterface {
  name = 'StructuredEvidenceKinds1796140263807';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "evidence" ADD COLUMN "validUntilBasis" varchar(80)`);
    await queryRunner.query(
      `CREATE TABLE "evaluation_metrics" ("testId" varchar(36) PRIMARY KEY NOT NULL, "evidenceId" varchar(36) NOT NULL, "systemId" varchar(36) NOT NULL, "controlCode" varchar(32) NOT NULL, "name" varchar(80) NOT NULL, "value" double precision NOT NULL, "threshold" double precision NOT NULL, "direction" varchar(16) NOT NULL, "unit" varchar(24) NOT NULL DEFAULT (''), "model" varchar(210) NOT NULL, "dataset" varchar(210) NOT NULL, "measuredAt" varchar(24) NOT NULL, CONSTRAINT "FK_22f3dd04d4e8aa7e98882d2e4e4" FOREIGN KEY ("testId") REFERENCES "control_tests" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION, CONSTRAINT "FK_b5eb8491f533b48bb309112a2fc" FOREIGN KEY ("evidenceId") REFERENCES "evidence" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_evaluation_metrics_evidence" ON "evaluation_metrics" ("evidenceId") `);
    await queryRunner.query(
      `CREATE INDEX "IDX_evaluation_metrics_system" ON "evaluation_metrics" ("systemId", "controlCode", "name", "measuredAt") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_evaluation_metrics_system"`);
    await queryRunner.query(`DROP INDEX "IDX_evaluation_metrics_evidence"`);
    await queryRunner.query(`DROP TABLE "evaluation_metrics"`);
    await queryRunner.query(`ALTER TABLE "evidence" DROP COLUMN "validUntilBasis"`);
  }
}
