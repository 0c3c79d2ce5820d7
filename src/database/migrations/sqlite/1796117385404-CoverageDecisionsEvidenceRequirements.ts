import { MigrationInterface, QueryRunner } from 'typeorm';

export class CoverageDecisionsEvidenceRequirements1796117385404 implements MigrationInterface {
  name = 'CoverageDecisionsEvidenceRequirements1796117385404';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "requirement_decisions" ("id" varchar(36) PRIMARY KEY NOT NULL, "systemId" varchar(36) NOT NULL, "requirementId" varchar(36) NOT NULL, "decision" varchar(32) NOT NULL, "rationale" text NOT NULL, "decidedBy" varchar(36) NOT NULL, "decidedAt" varchar(24) NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_requirement_decisions_pair" ON "requirement_decisions" ("systemId", "requirementId") `,
    );
    await queryRunner.query(
      `CREATE TABLE "evidence_requirements" ("evidenceId" varchar(36) NOT NULL, "requirementId" varchar(36) NOT NULL, PRIMARY KEY ("evidenceId", "requirementId"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_evidence_requirements_requirement" ON "evidence_requirements" ("requirementId") `,
    );
    await queryRunner.query(`DROP INDEX "UQ_requirement_decisions_pair"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_requirement_decisions" ("id" varchar(36) PRIMARY KEY NOT NULL, "systemId" varchar(36) NOT NULL, "requirementId" varchar(36) NOT NULL, "decision" varchar(32) NOT NULL, "rationale" text NOT NULL, "decidedBy" varchar(36) NOT NULL, "decidedAt" varchar(24) NOT NULL, CONSTRAINT "FK_6f6dd209ce1a131eff79d2cb308" FOREIGN KEY ("systemId") REFERENCES "ai_systems" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION, CONSTRAINT "FK_223c03e67ce68183b4cbfcc53fa" FOREIGN KEY ("requirementId") REFERENCES "requirements" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_requirement_decisions"("id", "systemId", "requirementId", "decision", "rationale", "decidedBy", "decidedAt") SELECT "id", "systemId", "requirementId", "decision", "rationale", "decidedBy", "decidedAt" FROM "requirement_decisions"`,
    );
    await queryRunner.query(`DROP TABLE "requirement_decisions"`);
    await queryRunner.query(`ALTER TABLE "temporary_requirement_decisions" RENAME TO "requirement_decisions"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_requirement_decisions_pair" ON "requirement_decisions" ("systemId", "requirementId") `,
    );
    await queryRunner.query(`DROP INDEX "IDX_evidence_requirements_requirement"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_evidence_requirements" ("evidenceId" varchar(36) NOT NULL, "requirementId" varchar(36) NOT NULL, CONSTRAINT "FK_bf69f37abe5a91cb07f9b00413c" FOREIGN KEY ("evidenceId") REFERENCES "evidence" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION, CONSTRAINT "FK_6911282fa5974730eaa3029ecd2" FOREIGN KEY ("requirementId") REFERENCES "requirements" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION, PRIMARY KEY ("evidenceId", "requirementId"))`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_evidence_requirements"("evidenceId", "requirementId") SELECT "evidenceId", "requirementId" FROM "evidence_requirements"`,
    );
    await queryRunner.query(`DROP TABLE "evidence_requirements"`);
    await queryRunner.query(`ALTER TABLE "temporary_evidence_requirements" RENAME TO "evidence_requirements"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_evidence_requirements_requirement" ON "evidence_requirements" ("requirementId") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_evidence_requirements_requirement"`);
    await queryRunner.query(`ALTER TABLE "evidence_requirements" RENAME TO "temporary_evidence_requirements"`);
    await queryRunner.query(
      `CREATE TABLE "evidence_requirements" ("evidenceId" varchar(36) NOT NULL, "requirementId" varchar(36) NOT NULL, PRIMARY KEY ("evidenceId", "requirementId"))`,
    );
    await queryRunner.query(
      `INSERT INTO "evidence_requirements"("evidenceId", "requirementId") SELECT "evidenceId", "requirementId" FROM "temporary_evidence_requirements"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_evidence_requirements"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_evidence_requirements_requirement" ON "evidence_requirements" ("requirementId") `,
    );
    await queryRunner.query(`DROP INDEX "UQ_requirement_decisions_pair"`);
    await queryRunner.query(`ALTER TABLE "requirement_decisions" RENAME TO "temporary_requirement_decisions"`);
    await queryRunner.query(
      `CREATE TABLE "requirement_decisions" ("id" varchar(36) PRIMARY KEY NOT NULL, "systemId" varchar(36) NOT NULL, "requirementId" varchar(36) NOT NULL, "decision" varchar(32) NOT NULL, "rationale" text NOT NULL, "decidedBy" varchar(36) NOT NULL, "decidedAt" varchar(24) NOT NULL)`,
    );
    await queryRunner.query(
      `INSERT INTO "requirement_decisions"("id", "systemId", "requirementId", "decision", "rationale", "decidedBy", "decidedAt") SELECT "id", "systemId", "requirementId", "decision", "rationale", "decidedBy", "decidedAt" FROM "temporary_requirement_decisions"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_requirement_decisions"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_requirement_decisions_pair" ON "requirement_decisions" ("systemId", "requirementId") `,
    );
    await queryRunner.query(`DROP INDEX "IDX_evidence_requirements_requirement"`);
    await queryRunner.query(`DROP TABLE "evidence_requirements"`);
    await queryRunner.query(`DROP INDEX "UQ_requirement_decisions_pair"`);
    await queryRunner.query(`DROP TABLE "requirement_decisions"`);
  }
}
