import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Coverage summaries per system and framework for the dashboard, with the inputs they were computed from, and the
 * task sweep's per-system input fingerprint (issue 18.2, 18.5). Derived data: both are recomputed from the records.
 */
export class CoverageSummariesSweepStates1796140145419 implements MigrationInterface {
  name = 'CoverageSummariesSweepStates1796140145419';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "coverage_summaries" ("systemId" character varying(36) NOT NULL, "framework" character varying(64) NOT NULL, "name" character varying(200) NOT NULL, "applicable" integer NOT NULL, "covered" integer NOT NULL, "partial" integer NOT NULL, "gap" integer NOT NULL, "notApplicable" integer NOT NULL, CONSTRAINT "PK_coverage_summaries" PRIMARY KEY ("systemId", "framework"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "coverage_summary_states" ("systemId" character varying(36) NOT NULL, "inputsSeq" integer NOT NULL, "policiesHash" character varying(64) NOT NULL, "computedAt" character varying(24) NOT NULL, "recheckAfter" character varying(24) NOT NULL, "gaps" integer NOT NULL, "staleEvidence" integer NOT NULL, CONSTRAINT "PK_coverage_summary_states" PRIMARY KEY ("systemId"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "task_sweep_states" ("systemId" character varying(36) NOT NULL, "inputsSeq" integer NOT NULL, "policiesHash" character varying(64) NOT NULL, "recheckAfter" character varying(24) NOT NULL, "sweptAt" character varying(24) NOT NULL, CONSTRAINT "PK_task_sweep_states" PRIMARY KEY ("systemId"))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "task_sweep_states"`);
    await queryRunner.query(`DROP TABLE "coverage_summary_states"`);
    await queryRunner.query(`DROP TABLE "coverage_summaries"`);
  }
}
