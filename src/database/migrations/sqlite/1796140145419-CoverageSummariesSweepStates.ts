import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Coverage summaries per system and framework for the dashboard, with the inputs they were computed from, and the
 * task sweep's per-system input fingerprint (issue 18.2, 18.5). Derived data: both are recomputed from the records.
 */
export class CoverageSummariesSweepStates1796140145419 implements MigrationInterface {
  name = 'CoverageSummariesSweepStates1796140145419';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "coverage_summaries" ("systemId" varchar(36) NOT NULL, "framework" varchar(64) NOT NULL, "name" varchar(200) NOT NULL, "applicable" integer NOT NULL, "covered" integer NOT NULL, "partial" integer NOT NULL, "gap" integer NOT NULL, "notApplicable" integer NOT NULL, PRIMARY KEY ("systemId", "framework"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "coverage_summary_states" ("systemId" varchar(36) PRIMARY KEY NOT NULL, "inputsSeq" integer NOT NULL, "policiesHash" varchar(64) NOT NULL, "computedAt" varchar(24) NOT NULL, "recheckAfter" varchar(24) NOT NULL, "gaps" integer NOT NULL, "staleEvidence" integer NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE TABLE "task_sweep_states" ("systemId" varchar(36) PRIMARY KEY NOT NULL, "inputsSeq" integer NOT NULL, "policiesHash" varchar(64) NOT NULL, "recheckAfter" varchar(24) NOT NULL, "sweptAt" varchar(24) NOT NULL)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "task_sweep_states"`);
    await queryRunner.query(`DROP TABLE "coverage_summary_states"`);
    await queryRunner.query(`DROP TABLE "coverage_summaries"`);
  }
}
