import { MigrationInterface, QueryRunner } from 'typeorm';

export class IncidentRegister1796120917929 implements MigrationInterface {
  name = 'IncidentRegister1796120917929';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "incidents" ("id" character varying(36) NOT NULL, "title" character varying(200) NOT NULL, "description" text NOT NULL DEFAULT '', "detectedAt" character varying(24) NOT NULL, "becameAwareAt" character varying(24) NOT NULL, "reporter" character varying(200) NOT NULL, "severity" character varying(16) NOT NULL, "status" character varying(16) NOT NULL, "categories" text NOT NULL, "aiActKind" character varying(40), "aiActDeath" boolean NOT NULL DEFAULT false, "aiActRole" character varying(16), "gdprRisk" character varying(16), "affectedCount" integer, "affectedByState" text NOT NULL, "atlasTechniques" text NOT NULL, "reviewSummary" text, "reviewControlsChanged" text, "reviewedBy" character varying(36), "reviewedAt" character varying(24), "containedAt" character varying(24), "resolvedAt" character varying(24), "closedAt" character varying(24), "revision" integer NOT NULL, "createdBy" character varying(36) NOT NULL, "createdAt" character varying(24) NOT NULL, "updatedAt" character varying(24) NOT NULL, CONSTRAINT "PK_ccb34c01719889017e2246469f9" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_incidents_status" ON "incidents" ("status", "becameAwareAt") `);
    await queryRunner.query(
      `CREATE TABLE "incident_systems" ("incidentId" character varying(36) NOT NULL, "systemId" character varying(36) NOT NULL, CONSTRAINT "PK_dcccf5bd512cf0921feabb09ae9" PRIMARY KEY ("incidentId", "systemId"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_incident_systems_system" ON "incident_systems" ("systemId") `);
    await queryRunner.query(
      `CREATE TABLE "incident_evidence" ("incidentId" character varying(36) NOT NULL, "evidenceId" character varying(36) NOT NULL, CONSTRAINT "PK_a534b4cb4cc6073ae1e59d658b7" PRIMARY KEY ("incidentId", "evidenceId"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "incident_obligations" ("id" character varying(36) NOT NULL, "incidentId" character varying(36) NOT NULL, "key" character varying(80) NOT NULL, "ruleId" character varying(64) NOT NULL, "regime" character varying(16) NOT NULL, "legalBasis" character varying(200) NOT NULL, "title" character varying(400) NOT NULL, "recipient" character varying(400) NOT NULL, "required" boolean NOT NULL, "notRequiredReason" text, "dueAt" character varying(24), "timing" text NOT NULL, "counting" text NOT NULL, "assumptions" text NOT NULL, "createdAt" character varying(24) NOT NULL, "updatedAt" character varying(24) NOT NULL, CONSTRAINT "PK_fbf7d3ee6302c451031a5388443" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_incident_obligations_key" ON "incident_obligations" ("incidentId", "key") `,
    );
    await queryRunner.query(
      `CREATE TABLE "incident_notifications" ("id" character varying(36) NOT NULL, "incidentId" character varying(36) NOT NULL, "obligationId" character varying(36) NOT NULL, "recipient" character varying(400) NOT NULL, "sentAt" character varying(24) NOT NULL, "channel" character varying(24) NOT NULL, "reference" character varying(200) NOT NULL DEFAULT '', "sender" character varying(200) NOT NULL, "evidenceId" character varying(36), "late" boolean NOT NULL, "lateReason" text, "recordedBy" character varying(36) NOT NULL, "recordedAt" character varying(24) NOT NULL, CONSTRAINT "PK_48597d225b5e03870aa30afc4d7" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_incident_notifications_incident" ON "incident_notifications" ("incidentId", "sentAt") `,
    );
    await queryRunner.query(
      `CREATE TABLE "incident_events" ("id" character varying(36) NOT NULL, "incidentId" character varying(36) NOT NULL, "at" character varying(24) NOT NULL, "actor" character varying(254) NOT NULL, "kind" character varying(32) NOT NULL, "summary" text NOT NULL, CONSTRAINT "PK_1230e0a50df3503eed115634297" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_incident_events_incident" ON "incident_events" ("incidentId", "at") `);
    await queryRunner.query(
      `ALTER TABLE "incident_systems" ADD CONSTRAINT "FK_c237a3669d190c4b0defebfc1b7" FOREIGN KEY ("incidentId") REFERENCES "incidents"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "incident_systems" ADD CONSTRAINT "FK_b5eb794a9ab5923eabc334d31ba" FOREIGN KEY ("systemId") REFERENCES "ai_systems"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "incident_evidence" ADD CONSTRAINT "FK_37083c3fa6c4029cc3098c589bc" FOREIGN KEY ("incidentId") REFERENCES "incidents"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "incident_evidence" ADD CONSTRAINT "FK_9a90a91f09a9d3a1735c196935b" FOREIGN KEY ("evidenceId") REFERENCES "evidence"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "incident_obligations" ADD CONSTRAINT "FK_4a38f4ddd09666a58ee30292ae5" FOREIGN KEY ("incidentId") REFERENCES "incidents"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "incident_notifications" ADD CONSTRAINT "FK_16ba1082d4f1d81bb588519910c" FOREIGN KEY ("incidentId") REFERENCES "incidents"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "incident_notifications" ADD CONSTRAINT "FK_e0133bfba19780e0116919c8fb1" FOREIGN KEY ("obligationId") REFERENCES "incident_obligations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "incident_notifications" ADD CONSTRAINT "FK_cd4f03ce2194fa62299d08239a6" FOREIGN KEY ("evidenceId") REFERENCES "evidence"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "incident_events" ADD CONSTRAINT "FK_3aa9fb9ea475af8d1e4b571adfd" FOREIGN KEY ("incidentId") REFERENCES "incidents"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "incident_events" DROP CONSTRAINT "FK_3aa9fb9ea475af8d1e4b571adfd"`);
    await queryRunner.query(`ALTER TABLE "incident_notifications" DROP CONSTRAINT "FK_cd4f03ce2194fa62299d08239a6"`);
    await queryRunner.query(`ALTER TABLE "incident_notifications" DROP CONSTRAINT "FK_e0133bfba19780e0116919c8fb1"`);
    await queryRunner.query(`ALTER TABLE "incident_notifications" DROP CONSTRAINT "FK_16ba1082d4f1d81bb588519910c"`);
    await queryRunner.query(`ALTER TABLE "incident_obligations" DROP CONSTRAINT "FK_4a38f4ddd09666a58ee30292ae5"`);
    await queryRunner.query(`ALTER TABLE "incident_evidence" DROP CONSTRAINT "FK_9a90a91f09a9d3a1735c196935b"`);
    await queryRunner.query(`ALTER TABLE "incident_evidence" DROP CONSTRAINT "FK_37083c3fa6c4029cc3098c589bc"`);
    await queryRunner.query(`ALTER TABLE "incident_systems" DROP CONSTRAINT "FK_b5eb794a9ab5923eabc334d31ba"`);
    await queryRunner.query(`ALTER TABLE "incident_systems" DROP CONSTRAINT "FK_c237a3669d190c4b0defebfc1b7"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_incident_events_incident"`);
    await queryRunner.query(`DROP TABLE "incident_events"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_incident_notifications_incident"`);
    await queryRunner.query(`DROP TABLE "incident_notifications"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_incident_obligations_key"`);
    await queryRunner.query(`DROP TABLE "incident_obligations"`);
    await queryRunner.query(`DROP TABLE "incident_evidence"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_incident_systems_system"`);
    await queryRunner.query(`DROP TABLE "incident_systems"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_incidents_status"`);
    await queryRunner.query(`DROP TABLE "incidents"`);
  }
}
