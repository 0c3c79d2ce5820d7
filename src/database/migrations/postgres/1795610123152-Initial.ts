import { MigrationInterface, QueryRunner } from 'typeorm';

export class Initial1795610123152 implements MigrationInterface {
  name = 'Initial1795610123152';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "ai_systems" ("id" character varying(36) NOT NULL, "name" character varying(200) NOT NULL, "purpose" text NOT NULL, "owner" character varying(200) NOT NULL, "lifecycleStage" character varying(16) NOT NULL, "modelKind" character varying(16) NOT NULL, "useCaseDomain" character varying(40) NOT NULL, "vendor" character varying(200) NOT NULL DEFAULT '', "thirdPartyModels" text NOT NULL, "autonomy" character varying(24) NOT NULL, "humanOversight" text NOT NULL DEFAULT '', "significantDecisions" boolean NOT NULL DEFAULT false, "personalData" boolean NOT NULL DEFAULT false, "specialCategoryData" boolean NOT NULL DEFAULT false, "phi" boolean NOT NULL DEFAULT false, "childrensData" boolean NOT NULL DEFAULT false, "jurisdictions" text NOT NULL, "soc2InScope" boolean NOT NULL DEFAULT false, "computedRiskTier" character varying(16) NOT NULL, "riskTierReason" text NOT NULL, "riskTierOverride" character varying(16), "riskTierOverrideJustification" text, "modelVersion" character varying(80) NOT NULL DEFAULT '', "modelVersionChangedAt" character varying(24), "trainingDataVersion" character varying(80) NOT NULL DEFAULT '', "archivedAt" character varying(24), "createdAt" character varying(24) NOT NULL, "updatedAt" character varying(24) NOT NULL, CONSTRAINT "PK_ca090df9614e1a21cf7fc9c460a" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_ai_systems_name" ON "ai_systems" ("name") `);
    await queryRunner.query(
      `CREATE TABLE "users" ("id" character varying(36) NOT NULL, "email" character varying(254) NOT NULL, "displayName" character varying(120) NOT NULL, "role" character varying(32) NOT NULL, "passwordHash" character varying(255) NOT NULL, "disabled" boolean NOT NULL DEFAULT false, "mustChangePassword" boolean NOT NULL DEFAULT false, "createdAt" character varying(24) NOT NULL, "updatedAt" character varying(24) NOT NULL, CONSTRAINT "PK_a3ffb1c0c8416b9fc6f907b7433" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_users_email" ON "users" ("email") `);
    await queryRunner.query(
      `CREATE TABLE "audits" ("id" character varying(36) NOT NULL, "name" character varying(200) NOT NULL, "frameworks" text NOT NULL, "periodStart" character varying(24) NOT NULL, "periodEnd" character varying(24) NOT NULL, "createdBy" character varying(36) NOT NULL, "createdAt" character varying(24) NOT NULL, CONSTRAINT "PK_b2d7a2089999197dc7024820f28" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "audit_systems" ("auditId" character varying(36) NOT NULL, "systemId" character varying(36) NOT NULL, CONSTRAINT "PK_9bf12d78504b799c30b68bc6fd1" PRIMARY KEY ("auditId", "systemId"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_audit_systems_system" ON "audit_systems" ("systemId") `);
    await queryRunner.query(
      `CREATE TABLE "audit_auditors" ("auditId" character varying(36) NOT NULL, "userId" character varying(36) NOT NULL, CONSTRAINT "PK_23ec62ee74e2db0bcc283c4387a" PRIMARY KEY ("auditId", "userId"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_audit_auditors_user" ON "audit_auditors" ("userId") `);
    await queryRunner.query(
      `CREATE TABLE "audit_log" ("seq" integer NOT NULL, "at" character varying(24) NOT NULL, "actor" character varying(254) NOT NULL, "action" character varying(64) NOT NULL, "entityType" character varying(48) NOT NULL, "entityId" character varying(120) NOT NULL, "payload" text NOT NULL, "payloadHash" character varying(64) NOT NULL, "prevHash" character varying(64) NOT NULL, "hash" character varying(64) NOT NULL, CONSTRAINT "PK_ce5b9b7d945cab0a6c604bafd9e" PRIMARY KEY ("seq"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "audit_log_head" ("id" integer NOT NULL, "seq" integer NOT NULL, "hash" character varying(64) NOT NULL, CONSTRAINT "PK_e4fb9057c8cf44bff4fac58526c" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "sessions" ("id" character varying(36) NOT NULL, "tokenHash" character varying(64) NOT NULL, "userId" character varying(36) NOT NULL, "csrfToken" character varying(64) NOT NULL, "createdAt" character varying(24) NOT NULL, "expiresAt" character varying(24) NOT NULL, "revokedAt" character varying(24), CONSTRAINT "PK_3238ef96f18b355b671619111bc" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_sessions_token_hash" ON "sessions" ("tokenHash") `);
    await queryRunner.query(`CREATE INDEX "IDX_sessions_user" ON "sessions" ("userId") `);
    await queryRunner.query(
      `CREATE TABLE "frameworks" ("key" character varying(64) NOT NULL, "name" character varying(200) NOT NULL, "version" character varying(120) NOT NULL, "publisher" character varying(200) NOT NULL, "source" character varying(300) NOT NULL, "licence" text NOT NULL, "contentHash" character varying(64) NOT NULL, "loadedAt" character varying(24) NOT NULL, CONSTRAINT "PK_5d89fbadcc342b084d1154c6ba8" PRIMARY KEY ("key"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "requirements" ("id" character varying(36) NOT NULL, "frameworkKey" character varying(64) NOT NULL, "ref" character varying(64) NOT NULL, "parentRef" character varying(64), "level" character varying(32) NOT NULL, "title" character varying(200) NOT NULL, "description" text NOT NULL DEFAULT '', "attributes" text NOT NULL, "isLeaf" boolean NOT NULL, "position" integer NOT NULL, "organisationalReason" text, "retiredAt" character varying(24), CONSTRAINT "PK_4e966e20a0ebaf89e4c1ed664a4" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_requirements_framework_ref" ON "requirements" ("frameworkKey", "ref") `,
    );
    await queryRunner.query(
      `CREATE TABLE "controls" ("code" character varying(32) NOT NULL, "title" character varying(200) NOT NULL, "objective" text NOT NULL, "domain" character varying(48) NOT NULL, "ownerRole" character varying(32) NOT NULL, "typicalEvidence" text NOT NULL, "testProcedure" text NOT NULL, "reviewFrequency" character varying(16) NOT NULL, "position" integer NOT NULL, "retiredAt" character varying(24), CONSTRAINT "PK_06a9f5ce9f46874d57b69a0a786" PRIMARY KEY ("code"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "control_mappings" ("id" character varying(36) NOT NULL, "controlCode" character varying(32) NOT NULL, "requirementId" character varying(36) NOT NULL, "relationship" character varying(24) NOT NULL, "strength" integer NOT NULL, "rationale" text NOT NULL, CONSTRAINT "PK_cc251e85db4377ac663efbb07b8" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_control_mappings_requirement" ON "control_mappings" ("requirementId") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_control_mappings_pair" ON "control_mappings" ("controlCode", "requirementId") `,
    );
    await queryRunner.query(
      `CREATE TABLE "policy_state" ("name" character varying(64) NOT NULL, "contentHash" character varying(64) NOT NULL, "loadedAt" character varying(24) NOT NULL, CONSTRAINT "PK_2607ef3ce51c1bd6000d6a34920" PRIMARY KEY ("name"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "control_implementations" ("id" character varying(36) NOT NULL, "systemId" character varying(36) NOT NULL, "controlCode" character varying(32) NOT NULL, "status" character varying(16) NOT NULL, "statement" text NOT NULL DEFAULT '', "justification" text, "owner" character varying(200) NOT NULL DEFAULT '', "lastReviewedAt" character varying(24), "nextReviewDue" character varying(24), "updatedAt" character varying(24) NOT NULL, CONSTRAINT "PK_d57bcc52729433ffaa62f1b3e11" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_control_implementations_pair" ON "control_implementations" ("systemId", "controlCode") `,
    );
    await queryRunner.query(
      `CREATE TABLE "evidence" ("id" character varying(36) NOT NULL, "systemId" character varying(36) NOT NULL, "kind" character varying(24) NOT NULL, "title" character varying(200) NOT NULL, "sha256" character varying(64) NOT NULL, "sizeBytes" integer NOT NULL, "mediaType" character varying(100) NOT NULL, "fileName" character varying(200) NOT NULL, "collectedAt" character varying(24) NOT NULL, "uploadedAt" character varying(24) NOT NULL, "uploadedBy" character varying(36) NOT NULL, "validUntil" character varying(24), "modelVersion" character varying(80) NOT NULL DEFAULT '', "reviewStatus" character varying(16) NOT NULL, "reviewedBy" character varying(36), "reviewedAt" character varying(24), "reviewComment" text, "supersedesId" character varying(36), "supersededById" character varying(36), CONSTRAINT "PK_b864cb5d49854f89917fc0b44b9" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_evidence_sha256" ON "evidence" ("sha256") `);
    await queryRunner.query(`CREATE INDEX "IDX_evidence_system" ON "evidence" ("systemId", "uploadedAt") `);
    await queryRunner.query(
      `CREATE TABLE "evidence_controls" ("evidenceId" character varying(36) NOT NULL, "controlCode" character varying(32) NOT NULL, CONSTRAINT "PK_7136d0ede7a4c10033c1bd4535e" PRIMARY KEY ("evidenceId", "controlCode"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_evidence_controls_control" ON "evidence_controls" ("controlCode") `);
    await queryRunner.query(
      `CREATE TABLE "evidence_packs" ("id" character varying(36) NOT NULL, "systemId" character varying(36), "auditId" character varying(36), "frameworks" text NOT NULL, "asOf" character varying(24) NOT NULL, "status" character varying(16) NOT NULL, "requestedBy" character varying(36) NOT NULL, "requestedAt" character varying(24) NOT NULL, "startedAt" character varying(24), "finishedAt" character varying(24), "claimedBy" character varying(80), "attempts" integer NOT NULL DEFAULT '0', "error" text, "pdfSha256" character varying(64), "pageCount" integer, "renderMs" integer, "manifest" text, CONSTRAINT "PK_ecd686b4d7e5e46ca192cc43600" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_evidence_packs_status" ON "evidence_packs" ("status", "requestedAt") `);
    await queryRunner.query(
      `CREATE TABLE "tasks" ("id" character varying(36) NOT NULL, "systemId" character varying(36) NOT NULL, "controlCode" character varying(32), "kind" character varying(24) NOT NULL, "title" character varying(200) NOT NULL, "description" text NOT NULL DEFAULT '', "assigneeRole" character varying(32) NOT NULL, "assigneeUserId" character varying(36), "dueDate" character varying(24), "priority" character varying(16) NOT NULL, "status" character varying(24) NOT NULL, "openSourceKey" character varying(160), "createdBy" character varying(36) NOT NULL, "createdAt" character varying(24) NOT NULL, "updatedAt" character varying(24) NOT NULL, CONSTRAINT "PK_8d12ff38fcc62aaba2cab748772" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_tasks_open_source_key" ON "tasks" ("openSourceKey") `);
    await queryRunner.query(`CREATE INDEX "IDX_tasks_system" ON "tasks" ("systemId", "status") `);
    await queryRunner.query(`CREATE INDEX "IDX_tasks_assignee" ON "tasks" ("assigneeUserId", "status") `);
    await queryRunner.query(
      `CREATE TABLE "task_events" ("id" character varying(36) NOT NULL, "taskId" character varying(36) NOT NULL, "fromStatus" character varying(24) NOT NULL, "toStatus" character varying(24) NOT NULL, "actorId" character varying(36) NOT NULL, "comment" text NOT NULL DEFAULT '', "evidenceIds" text NOT NULL, "at" character varying(24) NOT NULL, CONSTRAINT "PK_5ad150da47d65e2346ff40169cd" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_task_events_task" ON "task_events" ("taskId", "at") `);
    await queryRunner.query(
      `ALTER TABLE "audit_systems" ADD CONSTRAINT "FK_510e8e102fa4ddd0147df85897e" FOREIGN KEY ("auditId") REFERENCES "audits"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "audit_systems" ADD CONSTRAINT "FK_e22463e7bf21b5b1b9d7775d868" FOREIGN KEY ("systemId") REFERENCES "ai_systems"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "audit_auditors" ADD CONSTRAINT "FK_22e6acd92f2bff3e6e324468004" FOREIGN KEY ("auditId") REFERENCES "audits"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "audit_auditors" ADD CONSTRAINT "FK_50533c4b972d6ea347816c1bf7c" FOREIGN KEY ("userId") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "requirements" ADD CONSTRAINT "FK_b805bc1b2019a48657601974471" FOREIGN KEY ("frameworkKey") REFERENCES "frameworks"("key") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "control_mappings" ADD CONSTRAINT "FK_6db318cd157741fab796531959d" FOREIGN KEY ("controlCode") REFERENCES "controls"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "control_mappings" ADD CONSTRAINT "FK_d47a2dc5a98a1abc91071803096" FOREIGN KEY ("requirementId") REFERENCES "requirements"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "control_implementations" ADD CONSTRAINT "FK_c485095743d6ebff61fd39ccf3b" FOREIGN KEY ("systemId") REFERENCES "ai_systems"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "control_implementations" ADD CONSTRAINT "FK_593dd72a306c311cba0095e2d0c" FOREIGN KEY ("controlCode") REFERENCES "controls"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "evidence" ADD CONSTRAINT "FK_f237a26adbedeb017ef67960305" FOREIGN KEY ("systemId") REFERENCES "ai_systems"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "evidence_controls" ADD CONSTRAINT "FK_8db8fea5d08285a1d8998316362" FOREIGN KEY ("evidenceId") REFERENCES "evidence"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "evidence_controls" ADD CONSTRAINT "FK_806aaaed24a0168815a9e4defa7" FOREIGN KEY ("controlCode") REFERENCES "controls"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "tasks" ADD CONSTRAINT "FK_a34b3867ac7e0ceff3ac06d2ac2" FOREIGN KEY ("systemId") REFERENCES "ai_systems"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "task_events" ADD CONSTRAINT "FK_801a5082cea23eabfc9abac7dfd" FOREIGN KEY ("taskId") REFERENCES "tasks"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    // The chain head starts at the genesis hash; every append locks and advances this one row.
    await queryRunner.query(
      `INSERT INTO "audit_log_head" ("id", "seq", "hash") VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000')`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "task_events" DROP CONSTRAINT "FK_801a5082cea23eabfc9abac7dfd"`);
    await queryRunner.query(`ALTER TABLE "tasks" DROP CONSTRAINT "FK_a34b3867ac7e0ceff3ac06d2ac2"`);
    await queryRunner.query(`ALTER TABLE "evidence_controls" DROP CONSTRAINT "FK_806aaaed24a0168815a9e4defa7"`);
    await queryRunner.query(`ALTER TABLE "evidence_controls" DROP CONSTRAINT "FK_8db8fea5d08285a1d8998316362"`);
    await queryRunner.query(`ALTER TABLE "evidence" DROP CONSTRAINT "FK_f237a26adbedeb017ef67960305"`);
    await queryRunner.query(`ALTER TABLE "control_implementations" DROP CONSTRAINT "FK_593dd72a306c311cba0095e2d0c"`);
    await queryRunner.query(`ALTER TABLE "control_implementations" DROP CONSTRAINT "FK_c485095743d6ebff61fd39ccf3b"`);
    await queryRunner.query(`ALTER TABLE "control_mappings" DROP CONSTRAINT "FK_d47a2dc5a98a1abc91071803096"`);
    await queryRunner.query(`ALTER TABLE "control_mappings" DROP CONSTRAINT "FK_6db318cd157741fab796531959d"`);
    await queryRunner.query(`ALTER TABLE "requirements" DROP CONSTRAINT "FK_b805bc1b2019a48657601974471"`);
    await queryRunner.query(`ALTER TABLE "audit_auditors" DROP CONSTRAINT "FK_50533c4b972d6ea347816c1bf7c"`);
    await queryRunner.query(`ALTER TABLE "audit_auditors" DROP CONSTRAINT "FK_22e6acd92f2bff3e6e324468004"`);
    await queryRunner.query(`ALTER TABLE "audit_systems" DROP CONSTRAINT "FK_e22463e7bf21b5b1b9d7775d868"`);
    await queryRunner.query(`ALTER TABLE "audit_systems" DROP CONSTRAINT "FK_510e8e102fa4ddd0147df85897e"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_task_events_task"`);
    await queryRunner.query(`DROP TABLE "task_events"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_tasks_assignee"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_tasks_system"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_tasks_open_source_key"`);
    await queryRunner.query(`DROP TABLE "tasks"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_evidence_packs_status"`);
    await queryRunner.query(`DROP TABLE "evidence_packs"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_evidence_controls_control"`);
    await queryRunner.query(`DROP TABLE "evidence_controls"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_evidence_system"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_evidence_sha256"`);
    await queryRunner.query(`DROP TABLE "evidence"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_control_implementations_pair"`);
    await queryRunner.query(`DROP TABLE "control_implementations"`);
    await queryRunner.query(`DROP TABLE "policy_state"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_control_mappings_pair"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_control_mappings_requirement"`);
    await queryRunner.query(`DROP TABLE "control_mappings"`);
    await queryRunner.query(`DROP TABLE "controls"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_requirements_framework_ref"`);
    await queryRunner.query(`DROP TABLE "requirements"`);
    await queryRunner.query(`DROP TABLE "frameworks"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_sessions_user"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_sessions_token_hash"`);
    await queryRunner.query(`DROP TABLE "sessions"`);
    await queryRunner.query(`DROP TABLE "audit_log_head"`);
    await queryRunner.query(`DROP TABLE "audit_log"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_audit_auditors_user"`);
    await queryRunner.query(`DROP TABLE "audit_auditors"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_audit_systems_system"`);
    await queryRunner.query(`DROP TABLE "audit_systems"`);
    await queryRunner.query(`DROP TABLE "audits"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_users_email"`);
    await queryRunner.query(`DROP TABLE "users"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_ai_systems_name"`);
    await queryRunner.query(`DROP TABLE "ai_systems"`);
  }
}
