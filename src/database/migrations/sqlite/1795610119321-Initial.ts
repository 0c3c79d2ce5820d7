import { MigrationInterface, QueryRunner } from 'typeorm';

export class Initial1795610119321 implements MigrationInterface {
  name = 'Initial1795610119321';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "ai_systems" ("id" varchar(36) PRIMARY KEY NOT NULL, "name" varchar(200) NOT NULL, "purpose" text NOT NULL, "owner" varchar(200) NOT NULL, "lifecycleStage" varchar(16) NOT NULL, "modelKind" varchar(16) NOT NULL, "useCaseDomain" varchar(40) NOT NULL, "vendor" varchar(200) NOT NULL DEFAULT (''), "thirdPartyModels" text NOT NULL, "autonomy" varchar(24) NOT NULL, "humanOversight" text NOT NULL DEFAULT (''), "significantDecisions" boolean NOT NULL DEFAULT (0), "personalData" boolean NOT NULL DEFAULT (0), "specialCategoryData" boolean NOT NULL DEFAULT (0), "phi" boolean NOT NULL DEFAULT (0), "childrensData" boolean NOT NULL DEFAULT (0), "jurisdictions" text NOT NULL, "soc2InScope" boolean NOT NULL DEFAULT (0), "computedRiskTier" varchar(16) NOT NULL, "riskTierReason" text NOT NULL, "riskTierOverride" varchar(16), "riskTierOverrideJustification" text, "modelVersion" varchar(80) NOT NULL DEFAULT (''), "modelVersionChangedAt" varchar(24), "trainingDataVersion" varchar(80) NOT NULL DEFAULT (''), "archivedAt" varchar(24), "createdAt" varchar(24) NOT NULL, "updatedAt" varchar(24) NOT NULL)`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_ai_systems_name" ON "ai_systems" ("name") `);
    await queryRunner.query(
      `CREATE TABLE "users" ("id" varchar(36) PRIMARY KEY NOT NULL, "email" varchar(254) NOT NULL, "displayName" varchar(120) NOT NULL, "role" varchar(32) NOT NULL, "passwordHash" varchar(255) NOT NULL, "disabled" boolean NOT NULL DEFAULT (0), "mustChangePassword" boolean NOT NULL DEFAULT (0), "createdAt" varchar(24) NOT NULL, "updatedAt" varchar(24) NOT NULL)`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_users_email" ON "users" ("email") `);
    await queryRunner.query(
      `CREATE TABLE "audits" ("id" varchar(36) PRIMARY KEY NOT NULL, "name" varchar(200) NOT NULL, "frameworks" text NOT NULL, "periodStart" varchar(24) NOT NULL, "periodEnd" varchar(24) NOT NULL, "createdBy" varchar(36) NOT NULL, "createdAt" varchar(24) NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE TABLE "audit_systems" ("auditId" varchar(36) NOT NULL, "systemId" varchar(36) NOT NULL, PRIMARY KEY ("auditId", "systemId"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_audit_systems_system" ON "audit_systems" ("systemId") `);
    await queryRunner.query(
      `CREATE TABLE "audit_auditors" ("auditId" varchar(36) NOT NULL, "userId" varchar(36) NOT NULL, PRIMARY KEY ("auditId", "userId"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_audit_auditors_user" ON "audit_auditors" ("userId") `);
    await queryRunner.query(
      `CREATE TABLE "audit_log" ("seq" integer PRIMARY KEY NOT NULL, "at" varchar(24) NOT NULL, "actor" varchar(254) NOT NULL, "action" varchar(64) NOT NULL, "entityType" varchar(48) NOT NULL, "entityId" varchar(120) NOT NULL, "payload" text NOT NULL, "payloadHash" varchar(64) NOT NULL, "prevHash" varchar(64) NOT NULL, "hash" varchar(64) NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE TABLE "audit_log_head" ("id" integer PRIMARY KEY NOT NULL, "seq" integer NOT NULL, "hash" varchar(64) NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE TABLE "sessions" ("id" varchar(36) PRIMARY KEY NOT NULL, "tokenHash" varchar(64) NOT NULL, "userId" varchar(36) NOT NULL, "csrfToken" varchar(64) NOT NULL, "createdAt" varchar(24) NOT NULL, "expiresAt" varchar(24) NOT NULL, "revokedAt" varchar(24))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_sessions_token_hash" ON "sessions" ("tokenHash") `);
    await queryRunner.query(`CREATE INDEX "IDX_sessions_user" ON "sessions" ("userId") `);
    await queryRunner.query(
      `CREATE TABLE "frameworks" ("key" varchar(64) PRIMARY KEY NOT NULL, "name" varchar(200) NOT NULL, "version" varchar(120) NOT NULL, "publisher" varchar(200) NOT NULL, "source" varchar(300) NOT NULL, "licence" text NOT NULL, "contentHash" varchar(64) NOT NULL, "loadedAt" varchar(24) NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE TABLE "requirements" ("id" varchar(36) PRIMARY KEY NOT NULL, "frameworkKey" varchar(64) NOT NULL, "ref" varchar(64) NOT NULL, "parentRef" varchar(64), "level" varchar(32) NOT NULL, "title" varchar(200) NOT NULL, "description" text NOT NULL DEFAULT (''), "attributes" text NOT NULL, "isLeaf" boolean NOT NULL, "position" integer NOT NULL, "organisationalReason" text, "retiredAt" varchar(24))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_requirements_framework_ref" ON "requirements" ("frameworkKey", "ref") `,
    );
    await queryRunner.query(
      `CREATE TABLE "controls" ("code" varchar(32) PRIMARY KEY NOT NULL, "title" varchar(200) NOT NULL, "objective" text NOT NULL, "domain" varchar(48) NOT NULL, "ownerRole" varchar(32) NOT NULL, "typicalEvidence" text NOT NULL, "testProcedure" text NOT NULL, "reviewFrequency" varchar(16) NOT NULL, "position" integer NOT NULL, "retiredAt" varchar(24))`,
    );
    await queryRunner.query(
      `CREATE TABLE "control_mappings" ("id" varchar(36) PRIMARY KEY NOT NULL, "controlCode" varchar(32) NOT NULL, "requirementId" varchar(36) NOT NULL, "relationship" varchar(24) NOT NULL, "strength" integer NOT NULL, "rationale" text NOT NULL)`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_control_mappings_requirement" ON "control_mappings" ("requirementId") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_control_mappings_pair" ON "control_mappings" ("controlCode", "requirementId") `,
    );
    await queryRunner.query(
      `CREATE TABLE "policy_state" ("name" varchar(64) PRIMARY KEY NOT NULL, "contentHash" varchar(64) NOT NULL, "loadedAt" varchar(24) NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE TABLE "control_implementations" ("id" varchar(36) PRIMARY KEY NOT NULL, "systemId" varchar(36) NOT NULL, "controlCode" varchar(32) NOT NULL, "status" varchar(16) NOT NULL, "statement" text NOT NULL DEFAULT (''), "justification" text, "owner" varchar(200) NOT NULL DEFAULT (''), "lastReviewedAt" varchar(24), "nextReviewDue" varchar(24), "updatedAt" varchar(24) NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_control_implementations_pair" ON "control_implementations" ("systemId", "controlCode") `,
    );
    await queryRunner.query(
      `CREATE TABLE "evidence" ("id" varchar(36) PRIMARY KEY NOT NULL, "systemId" varchar(36) NOT NULL, "kind" varchar(24) NOT NULL, "title" varchar(200) NOT NULL, "sha256" varchar(64) NOT NULL, "sizeBytes" integer NOT NULL, "mediaType" varchar(100) NOT NULL, "fileName" varchar(200) NOT NULL, "collectedAt" varchar(24) NOT NULL, "uploadedAt" varchar(24) NOT NULL, "uploadedBy" varchar(36) NOT NULL, "validUntil" varchar(24), "modelVersion" varchar(80) NOT NULL DEFAULT (''), "reviewStatus" varchar(16) NOT NULL, "reviewedBy" varchar(36), "reviewedAt" varchar(24), "reviewComment" text, "supersedesId" varchar(36), "supersededById" varchar(36))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_evidence_sha256" ON "evidence" ("sha256") `);
    await queryRunner.query(`CREATE INDEX "IDX_evidence_system" ON "evidence" ("systemId", "uploadedAt") `);
    await queryRunner.query(
      `CREATE TABLE "evidence_controls" ("evidenceId" varchar(36) NOT NULL, "controlCode" varchar(32) NOT NULL, PRIMARY KEY ("evidenceId", "controlCode"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_evidence_controls_control" ON "evidence_controls" ("controlCode") `);
    await queryRunner.query(
      `CREATE TABLE "evidence_packs" ("id" varchar(36) PRIMARY KEY NOT NULL, "systemId" varchar(36), "auditId" varchar(36), "frameworks" text NOT NULL, "asOf" varchar(24) NOT NULL, "status" varchar(16) NOT NULL, "requestedBy" varchar(36) NOT NULL, "requestedAt" varchar(24) NOT NULL, "startedAt" varchar(24), "finishedAt" varchar(24), "claimedBy" varchar(80), "attempts" integer NOT NULL DEFAULT (0), "error" text, "pdfSha256" varchar(64), "pageCount" integer, "renderMs" integer, "manifest" text)`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_evidence_packs_status" ON "evidence_packs" ("status", "requestedAt") `);
    await queryRunner.query(
      `CREATE TABLE "tasks" ("id" varchar(36) PRIMARY KEY NOT NULL, "systemId" varchar(36) NOT NULL, "controlCode" varchar(32), "kind" varchar(24) NOT NULL, "title" varchar(200) NOT NULL, "description" text NOT NULL DEFAULT (''), "assigneeRole" varchar(32) NOT NULL, "assigneeUserId" varchar(36), "dueDate" varchar(24), "priority" varchar(16) NOT NULL, "status" varchar(24) NOT NULL, "openSourceKey" varchar(160), "createdBy" varchar(36) NOT NULL, "createdAt" varchar(24) NOT NULL, "updatedAt" varchar(24) NOT NULL)`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_tasks_open_source_key" ON "tasks" ("openSourceKey") `);
    await queryRunner.query(`CREATE INDEX "IDX_tasks_system" ON "tasks" ("systemId", "status") `);
    await queryRunner.query(`CREATE INDEX "IDX_tasks_assignee" ON "tasks" ("assigneeUserId", "status") `);
    await queryRunner.query(
      `CREATE TABLE "task_events" ("id" varchar(36) PRIMARY KEY NOT NULL, "taskId" varchar(36) NOT NULL, "fromStatus" varchar(24) NOT NULL, "toStatus" varchar(24) NOT NULL, "actorId" varchar(36) NOT NULL, "comment" text NOT NULL DEFAULT (''), "evidenceIds" text NOT NULL, "at" varchar(24) NOT NULL)`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_task_events_task" ON "task_events" ("taskId", "at") `);
    await queryRunner.query(`DROP INDEX "IDX_audit_systems_system"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_audit_systems" ("auditId" varchar(36) NOT NULL, "systemId" varchar(36) NOT NULL, CONSTRAINT "FK_510e8e102fa4ddd0147df85897e" FOREIGN KEY ("auditId") REFERENCES "audits" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION, CONSTRAINT "FK_e22463e7bf21b5b1b9d7775d868" FOREIGN KEY ("systemId") REFERENCES "ai_systems" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION, PRIMARY KEY ("auditId", "systemId"))`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_audit_systems"("auditId", "systemId") SELECT "auditId", "systemId" FROM "audit_systems"`,
    );
    await queryRunner.query(`DROP TABLE "audit_systems"`);
    await queryRunner.query(`ALTER TABLE "temporary_audit_systems" RENAME TO "audit_systems"`);
    await queryRunner.query(`CREATE INDEX "IDX_audit_systems_system" ON "audit_systems" ("systemId") `);
    await queryRunner.query(`DROP INDEX "IDX_audit_auditors_user"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_audit_auditors" ("auditId" varchar(36) NOT NULL, "userId" varchar(36) NOT NULL, CONSTRAINT "FK_22e6acd92f2bff3e6e324468004" FOREIGN KEY ("auditId") REFERENCES "audits" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION, CONSTRAINT "FK_50533c4b972d6ea347816c1bf7c" FOREIGN KEY ("userId") REFERENCES "users" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION, PRIMARY KEY ("auditId", "userId"))`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_audit_auditors"("auditId", "userId") SELECT "auditId", "userId" FROM "audit_auditors"`,
    );
    await queryRunner.query(`DROP TABLE "audit_auditors"`);
    await queryRunner.query(`ALTER TABLE "temporary_audit_auditors" RENAME TO "audit_auditors"`);
    await queryRunner.query(`CREATE INDEX "IDX_audit_auditors_user" ON "audit_auditors" ("userId") `);
    await queryRunner.query(`DROP INDEX "UQ_requirements_framework_ref"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_requirements" ("id" varchar(36) PRIMARY KEY NOT NULL, "frameworkKey" varchar(64) NOT NULL, "ref" varchar(64) NOT NULL, "parentRef" varchar(64), "level" varchar(32) NOT NULL, "title" varchar(200) NOT NULL, "description" text NOT NULL DEFAULT (''), "attributes" text NOT NULL, "isLeaf" boolean NOT NULL, "position" integer NOT NULL, "organisationalReason" text, "retiredAt" varchar(24), CONSTRAINT "FK_b805bc1b2019a48657601974471" FOREIGN KEY ("frameworkKey") REFERENCES "frameworks" ("key") ON DELETE RESTRICT ON UPDATE NO ACTION)`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_requirements"("id", "frameworkKey", "ref", "parentRef", "level", "title", "description", "attributes", "isLeaf", "position", "organisationalReason", "retiredAt") SELECT "id", "frameworkKey", "ref", "parentRef", "level", "title", "description", "attributes", "isLeaf", "position", "organisationalReason", "retiredAt" FROM "requirements"`,
    );
    await queryRunner.query(`DROP TABLE "requirements"`);
    await queryRunner.query(`ALTER TABLE "temporary_requirements" RENAME TO "requirements"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_requirements_framework_ref" ON "requirements" ("frameworkKey", "ref") `,
    );
    await queryRunner.query(`DROP INDEX "IDX_control_mappings_requirement"`);
    await queryRunner.query(`DROP INDEX "UQ_control_mappings_pair"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_control_mappings" ("id" varchar(36) PRIMARY KEY NOT NULL, "controlCode" varchar(32) NOT NULL, "requirementId" varchar(36) NOT NULL, "relationship" varchar(24) NOT NULL, "strength" integer NOT NULL, "rationale" text NOT NULL, CONSTRAINT "FK_6db318cd157741fab796531959d" FOREIGN KEY ("controlCode") REFERENCES "controls" ("code") ON DELETE RESTRICT ON UPDATE NO ACTION, CONSTRAINT "FK_d47a2dc5a98a1abc91071803096" FOREIGN KEY ("requirementId") REFERENCES "requirements" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_control_mappings"("id", "controlCode", "requirementId", "relationship", "strength", "rationale") SELECT "id", "controlCode", "requirementId", "relationship", "strength", "rationale" FROM "control_mappings"`,
    );
    await queryRunner.query(`DROP TABLE "control_mappings"`);
    await queryRunner.query(`ALTER TABLE "temporary_control_mappings" RENAME TO "control_mappings"`);
    await queryRunner.query(`CREATE INDEX "IDX_control_mappings_requirement" ON "control_mappings" ("requirementId") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_control_mappings_pair" ON "control_mappings" ("controlCode", "requirementId") `,
    );
    await queryRunner.query(`DROP INDEX "UQ_control_implementations_pair"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_control_implementations" ("id" varchar(36) PRIMARY KEY NOT NULL, "systemId" varchar(36) NOT NULL, "controlCode" varchar(32) NOT NULL, "status" varchar(16) NOT NULL, "statement" text NOT NULL DEFAULT (''), "justification" text, "owner" varchar(200) NOT NULL DEFAULT (''), "lastReviewedAt" varchar(24), "nextReviewDue" varchar(24), "updatedAt" varchar(24) NOT NULL, CONSTRAINT "FK_c485095743d6ebff61fd39ccf3b" FOREIGN KEY ("systemId") REFERENCES "ai_systems" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION, CONSTRAINT "FK_593dd72a306c311cba0095e2d0c" FOREIGN KEY ("controlCode") REFERENCES "controls" ("code") ON DELETE RESTRICT ON UPDATE NO ACTION)`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_control_implementations"("id", "systemId", "controlCode", "status", "statement", "justification", "owner", "lastReviewedAt", "nextReviewDue", "updatedAt") SELECT "id", "systemId", "controlCode", "status", "statement", "justification", "owner", "lastReviewedAt", "nextReviewDue", "updatedAt" FROM "control_implementations"`,
    );
    await queryRunner.query(`DROP TABLE "control_implementations"`);
    await queryRunner.query(`ALTER TABLE "temporary_control_implementations" RENAME TO "control_implementations"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_control_implementations_pair" ON "control_implementations" ("systemId", "controlCode") `,
    );
    await queryRunner.query(`DROP INDEX "IDX_evidence_sha256"`);
    await queryRunner.query(`DROP INDEX "IDX_evidence_system"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_evidence" ("id" varchar(36) PRIMARY KEY NOT NULL, "systemId" varchar(36) NOT NULL, "kind" varchar(24) NOT NULL, "title" varchar(200) NOT NULL, "sha256" varchar(64) NOT NULL, "sizeBytes" integer NOT NULL, "mediaType" varchar(100) NOT NULL, "fileName" varchar(200) NOT NULL, "collectedAt" varchar(24) NOT NULL, "uploadedAt" varchar(24) NOT NULL, "uploadedBy" varchar(36) NOT NULL, "validUntil" varchar(24), "modelVersion" varchar(80) NOT NULL DEFAULT (''), "reviewStatus" varchar(16) NOT NULL, "reviewedBy" varchar(36), "reviewedAt" varchar(24), "reviewComment" text, "supersedesId" varchar(36), "supersededById" varchar(36), CONSTRAINT "FK_f237a26adbedeb017ef67960305" FOREIGN KEY ("systemId") REFERENCES "ai_systems" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_evidence"("id", "systemId", "kind", "title", "sha256", "sizeBytes", "mediaType", "fileName", "collectedAt", "uploadedAt", "uploadedBy", "validUntil", "modelVersion", "reviewStatus", "reviewedBy", "reviewedAt", "reviewComment", "supersedesId", "supersededById") SELECT "id", "systemId", "kind", "title", "sha256", "sizeBytes", "mediaType", "fileName", "collectedAt", "uploadedAt", "uploadedBy", "validUntil", "modelVersion", "reviewStatus", "reviewedBy", "reviewedAt", "reviewComment", "supersedesId", "supersededById" FROM "evidence"`,
    );
    await queryRunner.query(`DROP TABLE "evidence"`);
    await queryRunner.query(`ALTER TABLE "temporary_evidence" RENAME TO "evidence"`);
    await queryRunner.query(`CREATE INDEX "IDX_evidence_sha256" ON "evidence" ("sha256") `);
    await queryRunner.query(`CREATE INDEX "IDX_evidence_system" ON "evidence" ("systemId", "uploadedAt") `);
    await queryRunner.query(`DROP INDEX "IDX_evidence_controls_control"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_evidence_controls" ("evidenceId" varchar(36) NOT NULL, "controlCode" varchar(32) NOT NULL, CONSTRAINT "FK_8db8fea5d08285a1d8998316362" FOREIGN KEY ("evidenceId") REFERENCES "evidence" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION, CONSTRAINT "FK_806aaaed24a0168815a9e4defa7" FOREIGN KEY ("controlCode") REFERENCES "controls" ("code") ON DELETE RESTRICT ON UPDATE NO ACTION, PRIMARY KEY ("evidenceId", "controlCode"))`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_evidence_controls"("evidenceId", "controlCode") SELECT "evidenceId", "controlCode" FROM "evidence_controls"`,
    );
    await queryRunner.query(`DROP TABLE "evidence_controls"`);
    await queryRunner.query(`ALTER TABLE "temporary_evidence_controls" RENAME TO "evidence_controls"`);
    await queryRunner.query(`CREATE INDEX "IDX_evidence_controls_control" ON "evidence_controls" ("controlCode") `);
    await queryRunner.query(`DROP INDEX "UQ_tasks_open_source_key"`);
    await queryRunner.query(`DROP INDEX "IDX_tasks_system"`);
    await queryRunner.query(`DROP INDEX "IDX_tasks_assignee"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_tasks" ("id" varchar(36) PRIMARY KEY NOT NULL, "systemId" varchar(36) NOT NULL, "controlCode" varchar(32), "kind" varchar(24) NOT NULL, "title" varchar(200) NOT NULL, "description" text NOT NULL DEFAULT (''), "assigneeRole" varchar(32) NOT NULL, "assigneeUserId" varchar(36), "dueDate" varchar(24), "priority" varchar(16) NOT NULL, "status" varchar(24) NOT NULL, "openSourceKey" varchar(160), "createdBy" varchar(36) NOT NULL, "createdAt" varchar(24) NOT NULL, "updatedAt" varchar(24) NOT NULL, CONSTRAINT "FK_a34b3867ac7e0ceff3ac06d2ac2" FOREIGN KEY ("systemId") REFERENCES "ai_systems" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_tasks"("id", "systemId", "controlCode", "kind", "title", "description", "assigneeRole", "assigneeUserId", "dueDate", "priority", "status", "openSourceKey", "createdBy", "createdAt", "updatedAt") SELECT "id", "systemId", "controlCode", "kind", "title", "description", "assigneeRole", "assigneeUserId", "dueDate", "priority", "status", "openSourceKey", "createdBy", "createdAt", "updatedAt" FROM "tasks"`,
    );
    await queryRunner.query(`DROP TABLE "tasks"`);
    await queryRunner.query(`ALTER TABLE "temporary_tasks" RENAME TO "tasks"`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_tasks_open_source_key" ON "tasks" ("openSourceKey") `);
    await queryRunner.query(`CREATE INDEX "IDX_tasks_system" ON "tasks" ("systemId", "status") `);
    await queryRunner.query(`CREATE INDEX "IDX_tasks_assignee" ON "tasks" ("assigneeUserId", "status") `);
    await queryRunner.query(`DROP INDEX "IDX_task_events_task"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_task_events" ("id" varchar(36) PRIMARY KEY NOT NULL, "taskId" varchar(36) NOT NULL, "fromStatus" varchar(24) NOT NULL, "toStatus" varchar(24) NOT NULL, "actorId" varchar(36) NOT NULL, "comment" text NOT NULL DEFAULT (''), "evidenceIds" text NOT NULL, "at" varchar(24) NOT NULL, CONSTRAINT "FK_801a5082cea23eabfc9abac7dfd" FOREIGN KEY ("taskId") REFERENCES "tasks" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_task_events"("id", "taskId", "fromStatus", "toStatus", "actorId", "comment", "evidenceIds", "at") SELECT "id", "taskId", "fromStatus", "toStatus", "actorId", "comment", "evidenceIds", "at" FROM "task_events"`,
    );
    await queryRunner.query(`DROP TABLE "task_events"`);
    await queryRunner.query(`ALTER TABLE "temporary_task_events" RENAME TO "task_events"`);
    await queryRunner.query(`CREATE INDEX "IDX_task_events_task" ON "task_events" ("taskId", "at") `);
    // The chain head starts at the genesis hash; every append locks and advances this one row.
    await queryRunner.query(
      `INSERT INTO "audit_log_head" ("id", "seq", "hash") VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000')`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_task_events_task"`);
    await queryRunner.query(`ALTER TABLE "task_events" RENAME TO "temporary_task_events"`);
    await queryRunner.query(
      `CREATE TABLE "task_events" ("id" varchar(36) PRIMARY KEY NOT NULL, "taskId" varchar(36) NOT NULL, "fromStatus" varchar(24) NOT NULL, "toStatus" varchar(24) NOT NULL, "actorId" varchar(36) NOT NULL, "comment" text NOT NULL DEFAULT (''), "evidenceIds" text NOT NULL, "at" varchar(24) NOT NULL)`,
    );
    await queryRunner.query(
      `INSERT INTO "task_events"("id", "taskId", "fromStatus", "toStatus", "actorId", "comment", "evidenceIds", "at") SELECT "id", "taskId", "fromStatus", "toStatus", "actorId", "comment", "evidenceIds", "at" FROM "temporary_task_events"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_task_events"`);
    await queryRunner.query(`CREATE INDEX "IDX_task_events_task" ON "task_events" ("taskId", "at") `);
    await queryRunner.query(`DROP INDEX "IDX_tasks_assignee"`);
    await queryRunner.query(`DROP INDEX "IDX_tasks_system"`);
    await queryRunner.query(`DROP INDEX "UQ_tasks_open_source_key"`);
    await queryRunner.query(`ALTER TABLE "tasks" RENAME TO "temporary_tasks"`);
    await queryRunner.query(
      `CREATE TABLE "tasks" ("id" varchar(36) PRIMARY KEY NOT NULL, "systemId" varchar(36) NOT NULL, "controlCode" varchar(32), "kind" varchar(24) NOT NULL, "title" varchar(200) NOT NULL, "description" text NOT NULL DEFAULT (''), "assigneeRole" varchar(32) NOT NULL, "assigneeUserId" varchar(36), "dueDate" varchar(24), "priority" varchar(16) NOT NULL, "status" varchar(24) NOT NULL, "openSourceKey" varchar(160), "createdBy" varchar(36) NOT NULL, "createdAt" varchar(24) NOT NULL, "updatedAt" varchar(24) NOT NULL)`,
    );
    await queryRunner.query(
      `INSERT INTO "tasks"("id", "systemId", "controlCode", "kind", "title", "description", "assigneeRole", "assigneeUserId", "dueDate", "priority", "status", "openSourceKey", "createdBy", "createdAt", "updatedAt") SELECT "id", "systemId", "controlCode", "kind", "title", "description", "assigneeRole", "assigneeUserId", "dueDate", "priority", "status", "openSourceKey", "createdBy", "createdAt", "updatedAt" FROM "temporary_tasks"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_tasks"`);
    await queryRunner.query(`CREATE INDEX "IDX_tasks_assignee" ON "tasks" ("assigneeUserId", "status") `);
    await queryRunner.query(`CREATE INDEX "IDX_tasks_system" ON "tasks" ("systemId", "status") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_tasks_open_source_key" ON "tasks" ("openSourceKey") `);
    await queryRunner.query(`DROP INDEX "IDX_evidence_controls_control"`);
    await queryRunner.query(`ALTER TABLE "evidence_controls" RENAME TO "temporary_evidence_controls"`);
    await queryRunner.query(
      `CREATE TABLE "evidence_controls" ("evidenceId" varchar(36) NOT NULL, "controlCode" varchar(32) NOT NULL, PRIMARY KEY ("evidenceId", "controlCode"))`,
    );
    await queryRunner.query(
      `INSERT INTO "evidence_controls"("evidenceId", "controlCode") SELECT "evidenceId", "controlCode" FROM "temporary_evidence_controls"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_evidence_controls"`);
    await queryRunner.query(`CREATE INDEX "IDX_evidence_controls_control" ON "evidence_controls" ("controlCode") `);
    await queryRunner.query(`DROP INDEX "IDX_evidence_system"`);
    await queryRunner.query(`DROP INDEX "IDX_evidence_sha256"`);
    await queryRunner.query(`ALTER TABLE "evidence" RENAME TO "temporary_evidence"`);
    await queryRunner.query(
      `CREATE TABLE "evidence" ("id" varchar(36) PRIMARY KEY NOT NULL, "systemId" varchar(36) NOT NULL, "kind" varchar(24) NOT NULL, "title" varchar(200) NOT NULL, "sha256" varchar(64) NOT NULL, "sizeBytes" integer NOT NULL, "mediaType" varchar(100) NOT NULL, "fileName" varchar(200) NOT NULL, "collectedAt" varchar(24) NOT NULL, "uploadedAt" varchar(24) NOT NULL, "uploadedBy" varchar(36) NOT NULL, "validUntil" varchar(24), "modelVersion" varchar(80) NOT NULL DEFAULT (''), "reviewStatus" varchar(16) NOT NULL, "reviewedBy" varchar(36), "reviewedAt" varchar(24), "reviewComment" text, "supersedesId" varchar(36), "supersededById" varchar(36))`,
    );
    await queryRunner.query(
      `INSERT INTO "evidence"("id", "systemId", "kind", "title", "sha256", "sizeBytes", "mediaType", "fileName", "collectedAt", "uploadedAt", "uploadedBy", "validUntil", "modelVersion", "reviewStatus", "reviewedBy", "reviewedAt", "reviewComment", "supersedesId", "supersededById") SELECT "id", "systemId", "kind", "title", "sha256", "sizeBytes", "mediaType", "fileName", "collectedAt", "uploadedAt", "uploadedBy", "validUntil", "modelVersion", "reviewStatus", "reviewedBy", "reviewedAt", "reviewComment", "supersedesId", "supersededById" FROM "temporary_evidence"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_evidence"`);
    await queryRunner.query(`CREATE INDEX "IDX_evidence_system" ON "evidence" ("systemId", "uploadedAt") `);
    await queryRunner.query(`CREATE INDEX "IDX_evidence_sha256" ON "evidence" ("sha256") `);
    await queryRunner.query(`DROP INDEX "UQ_control_implementations_pair"`);
    await queryRunner.query(`ALTER TABLE "control_implementations" RENAME TO "temporary_control_implementations"`);
    await queryRunner.query(
      `CREATE TABLE "control_implementations" ("id" varchar(36) PRIMARY KEY NOT NULL, "systemId" varchar(36) NOT NULL, "controlCode" varchar(32) NOT NULL, "status" varchar(16) NOT NULL, "statement" text NOT NULL DEFAULT (''), "justification" text, "owner" varchar(200) NOT NULL DEFAULT (''), "lastReviewedAt" varchar(24), "nextReviewDue" varchar(24), "updatedAt" varchar(24) NOT NULL)`,
    );
    await queryRunner.query(
      `INSERT INTO "control_implementations"("id", "systemId", "controlCode", "status", "statement", "justification", "owner", "lastReviewedAt", "nextReviewDue", "updatedAt") SELECT "id", "systemId", "controlCode", "status", "statement", "justification", "owner", "lastReviewedAt", "nextReviewDue", "updatedAt" FROM "temporary_control_implementations"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_control_implementations"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_control_implementations_pair" ON "control_implementations" ("systemId", "controlCode") `,
    );
    await queryRunner.query(`DROP INDEX "UQ_control_mappings_pair"`);
    await queryRunner.query(`DROP INDEX "IDX_control_mappings_requirement"`);
    await queryRunner.query(`ALTER TABLE "control_mappings" RENAME TO "temporary_control_mappings"`);
    await queryRunner.query(
      `CREATE TABLE "control_mappings" ("id" varchar(36) PRIMARY KEY NOT NULL, "controlCode" varchar(32) NOT NULL, "requirementId" varchar(36) NOT NULL, "relationship" varchar(24) NOT NULL, "strength" integer NOT NULL, "rationale" text NOT NULL)`,
    );
    await queryRunner.query(
      `INSERT INTO "control_mappings"("id", "controlCode", "requirementId", "relationship", "strength", "rationale") SELECT "id", "controlCode", "requirementId", "relationship", "strength", "rationale" FROM "temporary_control_mappings"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_control_mappings"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_control_mappings_pair" ON "control_mappings" ("controlCode", "requirementId") `,
    );
    await queryRunner.query(`CREATE INDEX "IDX_control_mappings_requirement" ON "control_mappings" ("requirementId") `);
    await queryRunner.query(`DROP INDEX "UQ_requirements_framework_ref"`);
    await queryRunner.query(`ALTER TABLE "requirements" RENAME TO "temporary_requirements"`);
    await queryRunner.query(
      `CREATE TABLE "requirements" ("id" varchar(36) PRIMARY KEY NOT NULL, "frameworkKey" varchar(64) NOT NULL, "ref" varchar(64) NOT NULL, "parentRef" varchar(64), "level" varchar(32) NOT NULL, "title" varchar(200) NOT NULL, "description" text NOT NULL DEFAULT (''), "attributes" text NOT NULL, "isLeaf" boolean NOT NULL, "position" integer NOT NULL, "organisationalReason" text, "retiredAt" varchar(24))`,
    );
    await queryRunner.query(
      `INSERT INTO "requirements"("id", "frameworkKey", "ref", "parentRef", "level", "title", "description", "attributes", "isLeaf", "position", "organisationalReason", "retiredAt") SELECT "id", "frameworkKey", "ref", "parentRef", "level", "title", "description", "attributes", "isLeaf", "position", "organisationalReason", "retiredAt" FROM "temporary_requirements"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_requirements"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_requirements_framework_ref" ON "requirements" ("frameworkKey", "ref") `,
    );
    await queryRunner.query(`DROP INDEX "IDX_audit_auditors_user"`);
    await queryRunner.query(`ALTER TABLE "audit_auditors" RENAME TO "temporary_audit_auditors"`);
    await queryRunner.query(
      `CREATE TABLE "audit_auditors" ("auditId" varchar(36) NOT NULL, "userId" varchar(36) NOT NULL, PRIMARY KEY ("auditId", "userId"))`,
    );
    await queryRunner.query(
      `INSERT INTO "audit_auditors"("auditId", "userId") SELECT "auditId", "userId" FROM "temporary_audit_auditors"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_audit_auditors"`);
    await queryRunner.query(`CREATE INDEX "IDX_audit_auditors_user" ON "audit_auditors" ("userId") `);
    await queryRunner.query(`DROP INDEX "IDX_audit_systems_system"`);
    await queryRunner.query(`ALTER TABLE "audit_systems" RENAME TO "temporary_audit_systems"`);
    await queryRunner.query(
      `CREATE TABLE "audit_systems" ("auditId" varchar(36) NOT NULL, "systemId" varchar(36) NOT NULL, PRIMARY KEY ("auditId", "systemId"))`,
    );
    await queryRunner.query(
      `INSERT INTO "audit_systems"("auditId", "systemId") SELECT "auditId", "systemId" FROM "temporary_audit_systems"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_audit_systems"`);
    await queryRunner.query(`CREATE INDEX "IDX_audit_systems_system" ON "audit_systems" ("systemId") `);
    await queryRunner.query(`DROP INDEX "IDX_task_events_task"`);
    await queryRunner.query(`DROP TABLE "task_events"`);
    await queryRunner.query(`DROP INDEX "IDX_tasks_assignee"`);
    await queryRunner.query(`DROP INDEX "IDX_tasks_system"`);
    await queryRunner.query(`DROP INDEX "UQ_tasks_open_source_key"`);
    await queryRunner.query(`DROP TABLE "tasks"`);
    await queryRunner.query(`DROP INDEX "IDX_evidence_packs_status"`);
    await queryRunner.query(`DROP TABLE "evidence_packs"`);
    await queryRunner.query(`DROP INDEX "IDX_evidence_controls_control"`);
    await queryRunner.query(`DROP TABLE "evidence_controls"`);
    await queryRunner.query(`DROP INDEX "IDX_evidence_system"`);
    await queryRunner.query(`DROP INDEX "IDX_evidence_sha256"`);
    await queryRunner.query(`DROP TABLE "evidence"`);
    await queryRunner.query(`DROP INDEX "UQ_control_implementations_pair"`);
    await queryRunner.query(`DROP TABLE "control_implementations"`);
    await queryRunner.query(`DROP TABLE "policy_state"`);
    await queryRunner.query(`DROP INDEX "UQ_control_mappings_pair"`);
    await queryRunner.query(`DROP INDEX "IDX_control_mappings_requirement"`);
    await queryRunner.query(`DROP TABLE "control_mappings"`);
    await queryRunner.query(`DROP TABLE "controls"`);
    await queryRunner.query(`DROP INDEX "UQ_requirements_framework_ref"`);
    await queryRunner.query(`DROP TABLE "requirements"`);
    await queryRunner.query(`DROP TABLE "frameworks"`);
    await queryRunner.query(`DROP INDEX "IDX_sessions_user"`);
    await queryRunner.query(`DROP INDEX "UQ_sessions_token_hash"`);
    await queryRunner.query(`DROP TABLE "sessions"`);
    await queryRunner.query(`DROP TABLE "audit_log_head"`);
    await queryRunner.query(`DROP TABLE "audit_log"`);
    await queryRunner.query(`DROP INDEX "IDX_audit_auditors_user"`);
    await queryRunner.query(`DROP TABLE "audit_auditors"`);
    await queryRunner.query(`DROP INDEX "IDX_audit_systems_system"`);
    await queryRunner.query(`DROP TABLE "audit_systems"`);
    await queryRunner.query(`DROP TABLE "audits"`);
    await queryRunner.query(`DROP INDEX "UQ_users_email"`);
    await queryRunner.query(`DROP TABLE "users"`);
    await queryRunner.query(`DROP INDEX "IDX_ai_systems_name"`);
    await queryRunner.query(`DROP TABLE "ai_systems"`);
  }
}
