import { MigrationInterface, QueryRunner } from 'typeorm';
import { writeControlHistoryAndAuditTypes } from '../control-history-data';

/**
 * Audits gain a type (point_in_time | period) and a management assertion with its sign-off; control implementations
 * gain a named owner (a user), a status history and control tests with linked evidence. Existing audits become
 * point-in-time audits and every existing implementation gets its first history row (control-history-data.ts).
 */
export class AuditPeriodsControlHistoryTests1796128654528 implements MigrationInterface {
  name = 'AuditPeriodsControlHistoryTests1796128654528';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "control_status_changes" ("id" character varying(36) NOT NULL, "implementationId" character varying(36) NOT NULL, "systemId" character varying(36) NOT NULL, "controlCode" character varying(32) NOT NULL, "fromStatus" character varying(16), "status" character varying(16) NOT NULL, "justification" text, "actor" character varying(254) NOT NULL, "changedAt" character varying(24) NOT NULL, CONSTRAINT "PK_ded9643a78594fc5b04efc36301" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_control_status_changes_system" ON "control_status_changes" ("systemId", "changedAt") `,
    );
    await queryRunner.query(
      `CREATE TABLE "control_tests" ("id" character varying(36) NOT NULL, "implementationId" character varying(36) NOT NULL, "systemId" character varying(36) NOT NULL, "controlCode" character varying(32) NOT NULL, "testedAt" character varying(24) NOT NULL, "procedure" text NOT NULL, "populationSize" integer, "sampleSize" integer, "result" character varying(16) NOT NULL, "notes" text NOT NULL DEFAULT '', "testerId" character varying(36) NOT NULL, "recordedAt" character varying(24) NOT NULL, CONSTRAINT "PK_ae9c5fdfb9c9775a06fc1bc7fc1" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_control_tests_system" ON "control_tests" ("systemId", "controlCode", "testedAt") `,
    );
    await queryRunner.query(
      `CREATE TABLE "control_test_evidence" ("testId" character varying(36) NOT NULL, "evidenceId" character varying(36) NOT NULL, CONSTRAINT "PK_f9ad73e7c6b2a536066dfc06237" PRIMARY KEY ("testId", "evidenceId"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_control_test_evidence_evidence" ON "control_test_evidence" ("evidenceId") `,
    );
    await queryRunner.query(`ALTER TABLE "audits" ADD "type" character varying(16) NOT NULL DEFAULT 'point_in_time'`);
    await queryRunner.query(`ALTER TABLE "audits" ADD "assertionText" text`);
    await queryRunner.query(`ALTER TABLE "audits" ADD "assertionUpdatedBy" character varying(36)`);
    await queryRunner.query(`ALTER TABLE "audits" ADD "assertionUpdatedAt" character varying(24)`);
    await queryRunner.query(`ALTER TABLE "audits" ADD "assertionSignedBy" character varying(36)`);
    await queryRunner.query(`ALTER TABLE "audits" ADD "assertionSignedByName" character varying(120)`);
    await queryRunner.query(`ALTER TABLE "audits" ADD "assertionSignedAt" character varying(24)`);
    await queryRunner.query(`ALTER TABLE "control_implementations" ADD "ownerUserId" character varying(36)`);
    await queryRunner.query(
      `ALTER TABLE "control_implementations" ADD CONSTRAINT "FK_df0e85cdaa5c57374d8eaa97c01" FOREIGN KEY ("ownerUserId") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "control_status_changes" ADD CONSTRAINT "FK_61748a060e67337e78aea05e89e" FOREIGN KEY ("implementationId") REFERENCES "control_implementations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "control_tests" ADD CONSTRAINT "FK_2dc0f6930093014b707af3bdea7" FOREIGN KEY ("implementationId") REFERENCES "control_implementations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "control_tests" ADD CONSTRAINT "FK_18ce48c6c134017e63162286e87" FOREIGN KEY ("testerId") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "control_test_evidence" ADD CONSTRAINT "FK_fad7be0d988add4597bb77bbb13" FOREIGN KEY ("testId") REFERENCES "control_tests"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "control_test_evidence" ADD CONSTRAINT "FK_9dfe044f8e843666ceca4b538e5" FOREIGN KEY ("evidenceId") REFERENCES "evidence"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await writeControlHistoryAndAuditTypes(queryRunner, 'postgres', this.name);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "control_test_evidence" DROP CONSTRAINT "FK_9dfe044f8e843666ceca4b538e5"`);
    await queryRunner.query(`ALTER TABLE "control_test_evidence" DROP CONSTRAINT "FK_fad7be0d988add4597bb77bbb13"`);
    await queryRunner.query(`ALTER TABLE "control_tests" DROP CONSTRAINT "FK_18ce48c6c134017e63162286e87"`);
    await queryRunner.query(`ALTER TABLE "control_tests" DROP CONSTRAINT "FK_2dc0f6930093014b707af3bdea7"`);
    await queryRunner.query(`ALTER TABLE "control_status_changes" DROP CONSTRAINT "FK_61748a060e67337e78aea05e89e"`);
    await queryRunner.query(`ALTER TABLE "control_implementations" DROP CONSTRAINT "FK_df0e85cdaa5c57374d8eaa97c01"`);
    await queryRunner.query(`ALTER TABLE "control_implementations" DROP COLUMN "ownerUserId"`);
    await queryRunner.query(`ALTER TABLE "audits" DROP COLUMN "assertionSignedAt"`);
    await queryRunner.query(`ALTER TABLE "audits" DROP COLUMN "assertionSignedByName"`);
    await queryRunner.query(`ALTER TABLE "audits" DROP COLUMN "assertionSignedBy"`);
    await queryRunner.query(`ALTER TABLE "audits" DROP COLUMN "assertionUpdatedAt"`);
    await queryRunner.query(`ALTER TABLE "audits" DROP COLUMN "assertionUpdatedBy"`);
    await queryRunner.query(`ALTER TABLE "audits" DROP COLUMN "assertionText"`);
    await queryRunner.query(`ALTER TABLE "audits" DROP COLUMN "type"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_control_test_evidence_evidence"`);
    await queryRunner.query(`DROP TABLE "control_test_evidence"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_control_tests_system"`);
    await queryRunner.query(`DROP TABLE "control_tests"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_control_status_changes_system"`);
    await queryRunner.query(`DROP TABLE "control_status_changes"`);
  }
}
