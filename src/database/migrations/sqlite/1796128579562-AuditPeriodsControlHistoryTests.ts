import { MigrationInterface, QueryRunner } from 'typeorm';
import { writeControlHistoryAndAuditTypes } from '../control-history-data';

/**
 * Audits gain a type (point_in_time | period) and a management assertion with its sign-off; control implementations
 * gain a named owner (a user), a status history and control tests with linked evidence. Existing audits become
 * point-in-time audits and every existing implementation gets its first history row (control-history-data.ts).
 */
export class AuditPeriodsControlHistoryTests1796128579562 implements MigrationInterface {
  name = 'AuditPeriodsControlHistoryTests1796128579562';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "control_status_changes" ("id" varchar(36) PRIMARY KEY NOT NULL, "implementationId" varchar(36) NOT NULL, "systemId" varchar(36) NOT NULL, "controlCode" varchar(32) NOT NULL, "fromStatus" varchar(16), "status" varchar(16) NOT NULL, "justification" text, "actor" varchar(254) NOT NULL, "changedAt" varchar(24) NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_control_status_changes_system" ON "control_status_changes" ("systemId", "changedAt") `,
    );
    await queryRunner.query(
      `CREATE TABLE "control_tests" ("id" varchar(36) PRIMARY KEY NOT NULL, "implementationId" varchar(36) NOT NULL, "systemId" varchar(36) NOT NULL, "controlCode" varchar(32) NOT NULL, "testedAt" varchar(24) NOT NULL, "procedure" text NOT NULL, "populationSize" integer, "sampleSize" integer, "result" varchar(16) NOT NULL, "notes" text NOT NULL DEFAULT (''), "testerId" varchar(36) NOT NULL, "recordedAt" varchar(24) NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_control_tests_system" ON "control_tests" ("systemId", "controlCode", "testedAt") `,
    );
    await queryRunner.query(
      `CREATE TABLE "control_test_evidence" ("testId" varchar(36) NOT NULL, "evidenceId" varchar(36) NOT NULL, PRIMARY KEY ("testId", "evidenceId"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_control_test_evidence_evidence" ON "control_test_evidence" ("evidenceId") `,
    );
    await queryRunner.query(
      `CREATE TABLE "temporary_audits" ("id" varchar(36) PRIMARY KEY NOT NULL, "name" varchar(200) NOT NULL, "frameworks" text NOT NULL, "periodStart" varchar(24) NOT NULL, "periodEnd" varchar(24) NOT NULL, "createdBy" varchar(36) NOT NULL, "createdAt" varchar(24) NOT NULL, "type" varchar(16) NOT NULL DEFAULT ('point_in_time'), "assertionText" text, "assertionUpdatedBy" varchar(36), "assertionUpdatedAt" varchar(24), "assertionSignedBy" varchar(36), "assertionSignedByName" varchar(120), "assertionSignedAt" varchar(24))`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_audits"("id", "name", "frameworks", "periodStart", "periodEnd", "createdBy", "createdAt") SELECT "id", "name", "frameworks", "periodStart", "periodEnd", "createdBy", "createdAt" FROM "audits"`,
    );
    await queryRunner.query(`DROP TABLE "audits"`);
    await queryRunner.query(`ALTER TABLE "temporary_audits" RENAME TO "audits"`);
    await queryRunner.query(`DROP INDEX "UQ_control_implementations_pair"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_control_implementations" ("id" varchar(36) PRIMARY KEY NOT NULL, "systemId" varchar(36) NOT NULL, "controlCode" varchar(32) NOT NULL, "status" varchar(16) NOT NULL, "statement" text NOT NULL DEFAULT (''), "justification" text, "owner" varchar(200) NOT NULL DEFAULT (''), "lastReviewedAt" varchar(24), "nextReviewDue" varchar(24), "updatedAt" varchar(24) NOT NULL, "ownerUserId" varchar(36), CONSTRAINT "FK_593dd72a306c311cba0095e2d0c" FOREIGN KEY ("controlCode") REFERENCES "controls" ("code") ON DELETE RESTRICT ON UPDATE NO ACTION, CONSTRAINT "FK_c485095743d6ebff61fd39ccf3b" FOREIGN KEY ("systemId") REFERENCES "ai_systems" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_control_implementations"("id", "systemId", "controlCode", "status", "statement", "justification", "owner", "lastReviewedAt", "nextReviewDue", "updatedAt") SELECT "id", "systemId", "controlCode", "status", "statement", "justification", "owner", "lastReviewedAt", "nextReviewDue", "updatedAt" FROM "control_implementations"`,
    );
    await queryRunner.query(`DROP TABLE "control_implementations"`);
    await queryRunner.query(`ALTER TABLE "temporary_control_implementations" RENAME TO "control_implementations"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_control_implementations_pair" ON "control_implementations" ("systemId", "controlCode") `,
    );
    await queryRunner.query(`DROP INDEX "UQ_control_implementations_pair"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_control_implementations" ("id" varchar(36) PRIMARY KEY NOT NULL, "systemId" varchar(36) NOT NULL, "controlCode" varchar(32) NOT NULL, "status" varchar(16) NOT NULL, "statement" text NOT NULL DEFAULT (''), "justification" text, "owner" varchar(200) NOT NULL DEFAULT (''), "lastReviewedAt" varchar(24), "nextReviewDue" varchar(24), "updatedAt" varchar(24) NOT NULL, "ownerUserId" varchar(36), CONSTRAINT "FK_593dd72a306c311cba0095e2d0c" FOREIGN KEY ("controlCode") REFERENCES "controls" ("code") ON DELETE RESTRICT ON UPDATE NO ACTION, CONSTRAINT "FK_c485095743d6ebff61fd39ccf3b" FOREIGN KEY ("systemId") REFERENCES "ai_systems" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION, CONSTRAINT "FK_df0e85cdaa5c57374d8eaa97c01" FOREIGN KEY ("ownerUserId") REFERENCES "users" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_control_implementations"("id", "systemId", "controlCode", "status", "statement", "justification", "owner", "lastReviewedAt", "nextReviewDue", "updatedAt", "ownerUserId") SELECT "id", "systemId", "controlCode", "status", "statement", "justification", "owner", "lastReviewedAt", "nextReviewDue", "updatedAt", "ownerUserId" FROM "control_implementations"`,
    );
    await queryRunner.query(`DROP TABLE "control_implementations"`);
    await queryRunner.query(`ALTER TABLE "temporary_control_implementations" RENAME TO "control_implementations"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_control_implementations_pair" ON "control_implementations" ("systemId", "controlCode") `,
    );
    await queryRunner.query(`DROP INDEX "IDX_control_status_changes_system"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_control_status_changes" ("id" varchar(36) PRIMARY KEY NOT NULL, "implementationId" varchar(36) NOT NULL, "systemId" varchar(36) NOT NULL, "controlCode" varchar(32) NOT NULL, "fromStatus" varchar(16), "status" varchar(16) NOT NULL, "justification" text, "actor" varchar(254) NOT NULL, "changedAt" varchar(24) NOT NULL, CONSTRAINT "FK_61748a060e67337e78aea05e89e" FOREIGN KEY ("implementationId") REFERENCES "control_implementations" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_control_status_changes"("id", "implementationId", "systemId", "controlCode", "fromStatus", "status", "justification", "actor", "changedAt") SELECT "id", "implementationId", "systemId", "controlCode", "fromStatus", "status", "justification", "actor", "changedAt" FROM "control_status_changes"`,
    );
    await queryRunner.query(`DROP TABLE "control_status_changes"`);
    await queryRunner.query(`ALTER TABLE "temporary_control_status_changes" RENAME TO "control_status_changes"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_control_status_changes_system" ON "control_status_changes" ("systemId", "changedAt") `,
    );
    await queryRunner.query(`DROP INDEX "IDX_control_tests_system"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_control_tests" ("id" varchar(36) PRIMARY KEY NOT NULL, "implementationId" varchar(36) NOT NULL, "systemId" varchar(36) NOT NULL, "controlCode" varchar(32) NOT NULL, "testedAt" varchar(24) NOT NULL, "procedure" text NOT NULL, "populationSize" integer, "sampleSize" integer, "result" varchar(16) NOT NULL, "notes" text NOT NULL DEFAULT (''), "testerId" varchar(36) NOT NULL, "recordedAt" varchar(24) NOT NULL, CONSTRAINT "FK_2dc0f6930093014b707af3bdea7" FOREIGN KEY ("implementationId") REFERENCES "control_implementations" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION, CONSTRAINT "FK_18ce48c6c134017e63162286e87" FOREIGN KEY ("testerId") REFERENCES "users" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_control_tests"("id", "implementationId", "systemId", "controlCode", "testedAt", "procedure", "populationSize", "sampleSize", "result", "notes", "testerId", "recordedAt") SELECT "id", "implementationId", "systemId", "controlCode", "testedAt", "procedure", "populationSize", "sampleSize", "result", "notes", "testerId", "recordedAt" FROM "control_tests"`,
    );
    await queryRunner.query(`DROP TABLE "control_tests"`);
    await queryRunner.query(`ALTER TABLE "temporary_control_tests" RENAME TO "control_tests"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_control_tests_system" ON "control_tests" ("systemId", "controlCode", "testedAt") `,
    );
    await queryRunner.query(`DROP INDEX "IDX_control_test_evidence_evidence"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_control_test_evidence" ("testId" varchar(36) NOT NULL, "evidenceId" varchar(36) NOT NULL, CONSTRAINT "FK_fad7be0d988add4597bb77bbb13" FOREIGN KEY ("testId") REFERENCES "control_tests" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION, CONSTRAINT "FK_9dfe044f8e843666ceca4b538e5" FOREIGN KEY ("evidenceId") REFERENCES "evidence" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION, PRIMARY KEY ("testId", "evidenceId"))`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_control_test_evidence"("testId", "evidenceId") SELECT "testId", "evidenceId" FROM "control_test_evidence"`,
    );
    await queryRunner.query(`DROP TABLE "control_test_evidence"`);
    await queryRunner.query(`ALTER TABLE "temporary_control_test_evidence" RENAME TO "control_test_evidence"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_control_test_evidence_evidence" ON "control_test_evidence" ("evidenceId") `,
    );
    await writeControlHistoryAndAuditTypes(queryRunner, 'sqlite', this.name);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_control_test_evidence_evidence"`);
    await queryRunner.query(`ALTER TABLE "control_test_evidence" RENAME TO "temporary_control_test_evidence"`);
    await queryRunner.query(
      `CREATE TABLE "control_test_evidence" ("testId" varchar(36) NOT NULL, "evidenceId" varchar(36) NOT NULL, PRIMARY KEY ("testId", "evidenceId"))`,
    );
    await queryRunner.query(
      `INSERT INTO "control_test_evidence"("testId", "evidenceId") SELECT "testId", "evidenceId" FROM "temporary_control_test_evidence"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_control_test_evidence"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_control_test_evidence_evidence" ON "control_test_evidence" ("evidenceId") `,
    );
    await queryRunner.query(`DROP INDEX "IDX_control_tests_system"`);
    await queryRunner.query(`ALTER TABLE "control_tests" RENAME TO "temporary_control_tests"`);
    await queryRunner.query(
      `CREATE TABLE "control_tests" ("id" varchar(36) PRIMARY KEY NOT NULL, "implementationId" varchar(36) NOT NULL, "systemId" varchar(36) NOT NULL, "controlCode" varchar(32) NOT NULL, "testedAt" varchar(24) NOT NULL, "procedure" text NOT NULL, "populationSize" integer, "sampleSize" integer, "result" varchar(16) NOT NULL, "notes" text NOT NULL DEFAULT (''), "testerId" varchar(36) NOT NULL, "recordedAt" varchar(24) NOT NULL)`,
    );
    await queryRunner.query(
      `INSERT INTO "control_tests"("id", "implementationId", "systemId", "controlCode", "testedAt", "procedure", "populationSize", "sampleSize", "result", "notes", "testerId", "recordedAt") SELECT "id", "implementationId", "systemId", "controlCode", "testedAt", "procedure", "populationSize", "sampleSize", "result", "notes", "testerId", "recordedAt" FROM "temporary_control_tests"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_control_tests"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_control_tests_system" ON "control_tests" ("systemId", "controlCode", "testedAt") `,
    );
    await queryRunner.query(`DROP INDEX "IDX_control_status_changes_system"`);
    await queryRunner.query(`ALTER TABLE "control_status_changes" RENAME TO "temporary_control_status_changes"`);
    await queryRunner.query(
      `CREATE TABLE "control_status_changes" ("id" varchar(36) PRIMARY KEY NOT NULL, "implementationId" varchar(36) NOT NULL, "systemId" varchar(36) NOT NULL, "controlCode" varchar(32) NOT NULL, "fromStatus" varchar(16), "status" varchar(16) NOT NULL, "justification" text, "actor" varchar(254) NOT NULL, "changedAt" varchar(24) NOT NULL)`,
    );
    await queryRunner.query(
      `INSERT INTO "control_status_changes"("id", "implementationId", "systemId", "controlCode", "fromStatus", "status", "justification", "actor", "changedAt") SELECT "id", "implementationId", "systemId", "controlCode", "fromStatus", "status", "justification", "actor", "changedAt" FROM "temporary_control_status_changes"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_control_status_changes"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_control_status_changes_system" ON "control_status_changes" ("systemId", "changedAt") `,
    );
    await queryRunner.query(`DROP INDEX "UQ_control_implementations_pair"`);
    await queryRunner.query(`ALTER TABLE "control_implementations" RENAME TO "temporary_control_implementations"`);
    await queryRunner.query(
      `CREATE TABLE "control_implementations" ("id" varchar(36) PRIMARY KEY NOT NULL, "systemId" varchar(36) NOT NULL, "controlCode" varchar(32) NOT NULL, "status" varchar(16) NOT NULL, "statement" text NOT NULL DEFAULT (''), "justification" text, "owner" varchar(200) NOT NULL DEFAULT (''), "lastReviewedAt" varchar(24), "nextReviewDue" varchar(24), "updatedAt" varchar(24) NOT NULL, "ownerUserId" varchar(36), CONSTRAINT "FK_593dd72a306c311cba0095e2d0c" FOREIGN KEY ("controlCode") REFERENCES "controls" ("code") ON DELETE RESTRICT ON UPDATE NO ACTION, CONSTRAINT "FK_c485095743d6ebff61fd39ccf3b" FOREIGN KEY ("systemId") REFERENCES "ai_systems" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`,
    );
    await queryRunner.query(
      `INSERT INTO "control_implementations"("id", "systemId", "controlCode", "status", "statement", "justification", "owner", "lastReviewedAt", "nextReviewDue", "updatedAt", "ownerUserId") SELECT "id", "systemId", "controlCode", "status", "statement", "justification", "owner", "lastReviewedAt", "nextReviewDue", "updatedAt", "ownerUserId" FROM "temporary_control_implementations"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_control_implementations"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_control_implementations_pair" ON "control_implementations" ("systemId", "controlCode") `,
    );
    await queryRunner.query(`DROP INDEX "UQ_control_implementations_pair"`);
    await queryRunner.query(`ALTER TABLE "control_implementations" RENAME TO "temporary_control_implementations"`);
    await queryRunner.query(
      `CREATE TABLE "control_implementations" ("id" varchar(36) PRIMARY KEY NOT NULL, "systemId" varchar(36) NOT NULL, "controlCode" varchar(32) NOT NULL, "status" varchar(16) NOT NULL, "statement" text NOT NULL DEFAULT (''), "justification" text, "owner" varchar(200) NOT NULL DEFAULT (''), "lastReviewedAt" varchar(24), "nextReviewDue" varchar(24), "updatedAt" varchar(24) NOT NULL, CONSTRAINT "FK_593dd72a306c311cba0095e2d0c" FOREIGN KEY ("controlCode") REFERENCES "controls" ("code") ON DELETE RESTRICT ON UPDATE NO ACTION, CONSTRAINT "FK_c485095743d6ebff61fd39ccf3b" FOREIGN KEY ("systemId") REFERENCES "ai_systems" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`,
    );
    await queryRunner.query(
      `INSERT INTO "control_implementations"("id", "systemId", "controlCode", "status", "statement", "justification", "owner", "lastReviewedAt", "nextReviewDue", "updatedAt") SELECT "id", "systemId", "controlCode", "status", "statement", "justification", "owner", "lastReviewedAt", "nextReviewDue", "updatedAt" FROM "temporary_control_implementations"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_control_implementations"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_control_implementations_pair" ON "control_implementations" ("systemId", "controlCode") `,
    );
    await queryRunner.query(`ALTER TABLE "audits" RENAME TO "temporary_audits"`);
    await queryRunner.query(
      `CREATE TABLE "audits" ("id" varchar(36) PRIMARY KEY NOT NULL, "name" varchar(200) NOT NULL, "frameworks" text NOT NULL, "periodStart" varchar(24) NOT NULL, "periodEnd" varchar(24) NOT NULL, "createdBy" varchar(36) NOT NULL, "createdAt" varchar(24) NOT NULL)`,
    );
    await queryRunner.query(
      `INSERT INTO "audits"("id", "name", "frameworks", "periodStart", "periodEnd", "createdBy", "createdAt") SELECT "id", "name", "frameworks", "periodStart", "periodEnd", "createdBy", "createdAt" FROM "temporary_audits"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_audits"`);
    await queryRunner.query(`DROP INDEX "IDX_control_test_evidence_evidence"`);
    await queryRunner.query(`DROP TABLE "control_test_evidence"`);
    await queryRunner.query(`DROP INDEX "IDX_control_tests_system"`);
    await queryRunner.query(`DROP TABLE "control_tests"`);
    await queryRunner.query(`DROP INDEX "IDX_control_status_changes_system"`);
    await queryRunner.query(`DROP TABLE "control_status_changes"`);
  }
}
