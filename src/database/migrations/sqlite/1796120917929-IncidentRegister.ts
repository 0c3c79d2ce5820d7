import { MigrationInterface, QueryRunner } from 'typeorm';

export class IncidentRegister1796120917929 implements MigrationInterface {
  name = 'IncidentRegister1796120917929';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "incidents" ("id" varchar(36) PRIMARY KEY NOT NULL, "title" varchar(200) NOT NULL, "description" text NOT NULL DEFAULT (''), "detectedAt" varchar(24) NOT NULL, "becameAwareAt" varchar(24) NOT NULL, "reporter" varchar(200) NOT NULL, "severity" varchar(16) NOT NULL, "status" varchar(16) NOT NULL, "categories" text NOT NULL, "aiActKind" varchar(40), "aiActDeath" boolean NOT NULL DEFAULT (0), "aiActRole" varchar(16), "gdprRisk" varchar(16), "affectedCount" integer, "affectedByState" text NOT NULL, "atlasTechniques" text NOT NULL, "reviewSummary" text, "reviewControlsChanged" text, "reviewedBy" varchar(36), "reviewedAt" varchar(24), "containedAt" varchar(24), "resolvedAt" varchar(24), "closedAt" varchar(24), "revision" integer NOT NULL, "createdBy" varchar(36) NOT NULL, "createdAt" varchar(24) NOT NULL, "updatedAt" varchar(24) NOT NULL)`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_incidents_status" ON "incidents" ("status", "becameAwareAt") `);
    await queryRunner.query(
      `CREATE TABLE "incident_systems" ("incidentId" varchar(36) NOT NULL, "systemId" varchar(36) NOT NULL, PRIMARY KEY ("incidentId", "systemId"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_incident_systems_system" ON "incident_systems" ("systemId") `);
    await queryRunner.query(
      `CREATE TABLE "incident_evidence" ("incidentId" varchar(36) NOT NULL, "evidenceId" varchar(36) NOT NULL, PRIMARY KEY ("incidentId", "evidenceId"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "incident_obligations" ("id" varchar(36) PRIMARY KEY NOT NULL, "incidentId" varchar(36) NOT NULL, "key" varchar(80) NOT NULL, "ruleId" varchar(64) NOT NULL, "regime" varchar(16) NOT NULL, "legalBasis" varchar(200) NOT NULL, "title" varchar(400) NOT NULL, "recipient" varchar(400) NOT NULL, "required" boolean NOT NULL, "notRequiredReason" text, "dueAt" varchar(24), "timing" text NOT NULL, "counting" text NOT NULL, "assumptions" text NOT NULL, "createdAt" varchar(24) NOT NULL, "updatedAt" varchar(24) NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_incident_obligations_key" ON "incident_obligations" ("incidentId", "key") `,
    );
    await queryRunner.query(
      `CREATE TABLE "incident_notifications" ("id" varchar(36) PRIMARY KEY NOT NULL, "incidentId" varchar(36) NOT NULL, "obligationId" varchar(36) NOT NULL, "recipient" varchar(400) NOT NULL, "sentAt" varchar(24) NOT NULL, "channel" varchar(24) NOT NULL, "reference" varchar(200) NOT NULL DEFAULT (''), "sender" varchar(200) NOT NULL, "evidenceId" varchar(36), "late" boolean NOT NULL, "lateReason" text, "recordedBy" varchar(36) NOT NULL, "recordedAt" varchar(24) NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_incident_notifications_incident" ON "incident_notifications" ("incidentId", "sentAt") `,
    );
    await queryRunner.query(
      `CREATE TABLE "incident_events" ("id" varchar(36) PRIMARY KEY NOT NULL, "incidentId" varchar(36) NOT NULL, "at" varchar(24) NOT NULL, "actor" varchar(254) NOT NULL, "kind" varchar(32) NOT NULL, "summary" text NOT NULL)`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_incident_events_incident" ON "incident_events" ("incidentId", "at") `);
    await queryRunner.query(`DROP INDEX "IDX_incident_systems_system"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_incident_systems" ("incidentId" varchar(36) NOT NULL, "systemId" varchar(36) NOT NULL, CONSTRAINT "FK_c237a3669d190c4b0defebfc1b7" FOREIGN KEY ("incidentId") REFERENCES "incidents" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION, CONSTRAINT "FK_b5eb794a9ab5923eabc334d31ba" FOREIGN KEY ("systemId") REFERENCES "ai_systems" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION, PRIMARY KEY ("incidentId", "systemId"))`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_incident_systems"("incidentId", "systemId") SELECT "incidentId", "systemId" FROM "incident_systems"`,
    );
    await queryRunner.query(`DROP TABLE "incident_systems"`);
    await queryRunner.query(`ALTER TABLE "temporary_incident_systems" RENAME TO "incident_systems"`);
    await queryRunner.query(`CREATE INDEX "IDX_incident_systems_system" ON "incident_systems" ("systemId") `);
    await queryRunner.query(
      `CREATE TABLE "temporary_incident_evidence" ("incidentId" varchar(36) NOT NULL, "evidenceId" varchar(36) NOT NULL, CONSTRAINT "FK_37083c3fa6c4029cc3098c589bc" FOREIGN KEY ("incidentId") REFERENCES "incidents" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION, CONSTRAINT "FK_9a90a91f09a9d3a1735c196935b" FOREIGN KEY ("evidenceId") REFERENCES "evidence" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION, PRIMARY KEY ("incidentId", "evidenceId"))`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_incident_evidence"("incidentId", "evidenceId") SELECT "incidentId", "evidenceId" FROM "incident_evidence"`,
    );
    await queryRunner.query(`DROP TABLE "incident_evidence"`);
    await queryRunner.query(`ALTER TABLE "temporary_incident_evidence" RENAME TO "incident_evidence"`);
    await queryRunner.query(`DROP INDEX "UQ_incident_obligations_key"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_incident_obligations" ("id" varchar(36) PRIMARY KEY NOT NULL, "incidentId" varchar(36) NOT NULL, "key" varchar(80) NOT NULL, "ruleId" varchar(64) NOT NULL, "regime" varchar(16) NOT NULL, "legalBasis" varchar(200) NOT NULL, "title" varchar(400) NOT NULL, "recipient" varchar(400) NOT NULL, "required" boolean NOT NULL, "notRequiredReason" text, "dueAt" varchar(24), "timing" text NOT NULL, "counting" text NOT NULL, "assumptions" text NOT NULL, "createdAt" varchar(24) NOT NULL, "updatedAt" varchar(24) NOT NULL, CONSTRAINT "FK_4a38f4ddd09666a58ee30292ae5" FOREIGN KEY ("incidentId") REFERENCES "incidents" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_incident_obligations"("id", "incidentId", "key", "ruleId", "regime", "legalBasis", "title", "recipient", "required", "notRequiredReason", "dueAt", "timing", "counting", "assumptions", "createdAt", "updatedAt") SELECT "id", "incidentId", "key", "ruleId", "regime", "legalBasis", "title", "recipient", "required", "notRequiredReason", "dueAt", "timing", "counting", "assumptions", "createdAt", "updatedAt" FROM "incident_obligations"`,
    );
    await queryRunner.query(`DROP TABLE "incident_obligations"`);
    await queryRunner.query(`ALTER TABLE "temporary_incident_obligations" RENAME TO "incident_obligations"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_incident_obligations_key" ON "incident_obligations" ("incidentId", "key") `,
    );
    await queryRunner.query(`DROP INDEX "IDX_incident_notifications_incident"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_incident_notifications" ("id" varchar(36) PRIMARY KEY NOT NULL, "incidentId" varchar(36) NOT NULL, "obligationId" varchar(36) NOT NULL, "recipient" varchar(400) NOT NULL, "sentAt" varchar(24) NOT NULL, "channel" varchar(24) NOT NULL, "reference" varchar(200) NOT NULL DEFAULT (''), "sender" varchar(200) NOT NULL, "evidenceId" varchar(36), "late" boolean NOT NULL, "lateReason" text, "recordedBy" varchar(36) NOT NULL, "recordedAt" varchar(24) NOT NULL, CONSTRAINT "FK_16ba1082d4f1d81bb588519910c" FOREIGN KEY ("incidentId") REFERENCES "incidents" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION, CONSTRAINT "FK_e0133bfba19780e0116919c8fb1" FOREIGN KEY ("obligationId") REFERENCES "incident_obligations" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION, CONSTRAINT "FK_cd4f03ce2194fa62299d08239a6" FOREIGN KEY ("evidenceId") REFERENCES "evidence" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_incident_notifications"("id", "incidentId", "obligationId", "recipient", "sentAt", "channel", "reference", "sender", "evidenceId", "late", "lateReason", "recordedBy", "recordedAt") SELECT "id", "incidentId", "obligationId", "recipient", "sentAt", "channel", "reference", "sender", "evidenceId", "late", "lateReason", "recordedBy", "recordedAt" FROM "incident_notifications"`,
    );
    await queryRunner.query(`DROP TABLE "incident_notifications"`);
    await queryRunner.query(`ALTER TABLE "temporary_incident_notifications" RENAME TO "incident_notifications"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_incident_notifications_incident" ON "incident_notifications" ("incidentId", "sentAt") `,
    );
    await queryRunner.query(`DROP INDEX "IDX_incident_events_incident"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_incident_events" ("id" varchar(36) PRIMARY KEY NOT NULL, "incidentId" varchar(36) NOT NULL, "at" varchar(24) NOT NULL, "actor" varchar(254) NOT NULL, "kind" varchar(32) NOT NULL, "summary" text NOT NULL, CONSTRAINT "FK_3aa9fb9ea475af8d1e4b571adfd" FOREIGN KEY ("incidentId") REFERENCES "incidents" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_incident_events"("id", "incidentId", "at", "actor", "kind", "summary") SELECT "id", "incidentId", "at", "actor", "kind", "summary" FROM "incident_events"`,
    );
    await queryRunner.query(`DROP TABLE "incident_events"`);
    await queryRunner.query(`ALTER TABLE "temporary_incident_events" RENAME TO "incident_events"`);
    await queryRunner.query(`CREATE INDEX "IDX_incident_events_incident" ON "incident_events" ("incidentId", "at") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_incident_events_incident"`);
    await queryRunner.query(`ALTER TABLE "incident_events" RENAME TO "temporary_incident_events"`);
    await queryRunner.query(
      `CREATE TABLE "incident_events" ("id" varchar(36) PRIMARY KEY NOT NULL, "incidentId" varchar(36) NOT NULL, "at" varchar(24) NOT NULL, "actor" varchar(254) NOT NULL, "kind" varchar(32) NOT NULL, "summary" text NOT NULL)`,
    );
    await queryRunner.query(
      `INSERT INTO "incident_events"("id", "incidentId", "at", "actor", "kind", "summary") SELECT "id", "incidentId", "at", "actor", "kind", "summary" FROM "temporary_incident_events"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_incident_events"`);
    await queryRunner.query(`CREATE INDEX "IDX_incident_events_incident" ON "incident_events" ("incidentId", "at") `);
    await queryRunner.query(`DROP INDEX "IDX_incident_notifications_incident"`);
    await queryRunner.query(`ALTER TABLE "incident_notifications" RENAME TO "temporary_incident_notifications"`);
    await queryRunner.query(
      `CREATE TABLE "incident_notifications" ("id" varchar(36) PRIMARY KEY NOT NULL, "incidentId" varchar(36) NOT NULL, "obligationId" varchar(36) NOT NULL, "recipient" varchar(400) NOT NULL, "sentAt" varchar(24) NOT NULL, "channel" varchar(24) NOT NULL, "reference" varchar(200) NOT NULL DEFAULT (''), "sender" varchar(200) NOT NULL, "evidenceId" varchar(36), "late" boolean NOT NULL, "lateReason" text, "recordedBy" varchar(36) NOT NULL, "recordedAt" varchar(24) NOT NULL)`,
    );
    await queryRunner.query(
      `INSERT INTO "incident_notifications"("id", "incidentId", "obligationId", "recipient", "sentAt", "channel", "reference", "sender", "evidenceId", "late", "lateReason", "recordedBy", "recordedAt") SELECT "id", "incidentId", "obligationId", "recipient", "sentAt", "channel", "reference", "sender", "evidenceId", "late", "lateReason", "recordedBy", "recordedAt" FROM "temporary_incident_notifications"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_incident_notifications"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_incident_notifications_incident" ON "incident_notifications" ("incidentId", "sentAt") `,
    );
    await queryRunner.query(`DROP INDEX "UQ_incident_obligations_key"`);
    await queryRunner.query(`ALTER TABLE "incident_obligations" RENAME TO "temporary_incident_obligations"`);
    await queryRunner.query(
      `CREATE TABLE "incident_obligations" ("id" varchar(36) PRIMARY KEY NOT NULL, "incidentId" varchar(36) NOT NULL, "key" varchar(80) NOT NULL, "ruleId" varchar(64) NOT NULL, "regime" varchar(16) NOT NULL, "legalBasis" varchar(200) NOT NULL, "title" varchar(400) NOT NULL, "recipient" varchar(400) NOT NULL, "required" boolean NOT NULL, "notRequiredReason" text, "dueAt" varchar(24), "timing" text NOT NULL, "counting" text NOT NULL, "assumptions" text NOT NULL, "createdAt" varchar(24) NOT NULL, "updatedAt" varchar(24) NOT NULL)`,
    );
    await queryRunner.query(
      `INSERT INTO "incident_obligations"("id", "incidentId", "key", "ruleId", "regime", "legalBasis", "title", "recipient", "required", "notRequiredReason", "dueAt", "timing", "counting", "assumptions", "createdAt", "updatedAt") SELECT "id", "incidentId", "key", "ruleId", "regime", "legalBasis", "title", "recipient", "required", "notRequiredReason", "dueAt", "timing", "counting", "assumptions", "createdAt", "updatedAt" FROM "temporary_incident_obligations"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_incident_obligations"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_incident_obligations_key" ON "incident_obligations" ("incidentId", "key") `,
    );
    await queryRunner.query(`ALTER TABLE "incident_evidence" RENAME TO "temporary_incident_evidence"`);
    await queryRunner.query(
      `CREATE TABLE "incident_evidence" ("incidentId" varchar(36) NOT NULL, "evidenceId" varchar(36) NOT NULL, PRIMARY KEY ("incidentId", "evidenceId"))`,
    );
    await queryRunner.query(
      `INSERT INTO "incident_evidence"("incidentId", "evidenceId") SELECT "incidentId", "evidenceId" FROM "temporary_incident_evidence"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_incident_evidence"`);
    await queryRunner.query(`DROP INDEX "IDX_incident_systems_system"`);
    await queryRunner.query(`ALTER TABLE "incident_systems" RENAME TO "temporary_incident_systems"`);
    await queryRunner.query(
      `CREATE TABLE "incident_systems" ("incidentId" varchar(36) NOT NULL, "systemId" varchar(36) NOT NULL, PRIMARY KEY ("incidentId", "systemId"))`,
    );
    await queryRunner.query(
      `INSERT INTO "incident_systems"("incidentId", "systemId") SELECT "incidentId", "systemId" FROM "temporary_incident_systems"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_incident_systems"`);
    await queryRunner.query(`CREATE INDEX "IDX_incident_systems_system" ON "incident_systems" ("systemId") `);
    await queryRunner.query(`DROP INDEX "IDX_incident_events_incident"`);
    await queryRunner.query(`DROP TABLE "incident_events"`);
    await queryRunner.query(`DROP INDEX "IDX_incident_notifications_incident"`);
    await queryRunner.query(`DROP TABLE "incident_notifications"`);
    await queryRunner.query(`DROP INDEX "UQ_incident_obligations_key"`);
    await queryRunner.query(`DROP TABLE "incident_obligations"`);
    await queryRunner.query(`DROP TABLE "incident_evidence"`);
    await queryRunner.query(`DROP INDEX "IDX_incident_systems_system"`);
    await queryRunner.query(`DROP TABLE "incident_systems"`);
    await queryRunner.query(`DROP INDEX "IDX_incidents_status"`);
    await queryRunner.query(`DROP TABLE "incidents"`);
  }
}
