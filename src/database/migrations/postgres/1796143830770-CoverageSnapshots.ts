import { MigrationInterface, QueryRunner } from 'typeorm';

/** Daily coverage snapshots per system and framework, for the dashboard's trend (issue 17.10). Derived data. */
export class CoverageSnapshots1796143830770 implements MigrationInterface {
  name = 'CoverageSnapshots1796143830770';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "coverage_snapshots" ("day" character varying(10) NOT NULL, "systemId" character varying(36) NOT NULL, "framework" character varying(64) NOT NULL, "applicable" integer NOT NULL, "covered" integer NOT NULL, "partial" integer NOT NULL, "gap" integer NOT NULL, CONSTRAINT "PK_coverage_snapshots" PRIMARY KEY ("day", "systemId", "framework"))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "coverage_snapshots"`);
  }
}
