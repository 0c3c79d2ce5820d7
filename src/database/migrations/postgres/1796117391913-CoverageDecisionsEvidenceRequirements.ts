import { MigrationInterface, QueryRunner } from 'typeorm';

export class CoverageDecisionsEvidenceRequirements1796117391913 implements MigrationInterface {
  name = 'CoverageDecisionsEvidenceRequirements1796117391913';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "requirement_decisions" ("id" character varying(36) NOT NULL, "systemId" character varying(36) NOT NULL, "requirementId" character varying(36) NOT NULL, "decision" character varying(32) NOT NULL, "rationale" text NOT NULL, "decidedBy" character varying(36) NOT NULL, "decidedAt" character varying(24) NOT NULL, CONSTRAINT "PK_4f298bf7624b1ccd03058690ba9" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_requirement_decisions_pair" ON "requirement_decisions" ("systemId", "requirementId") `,
    );
    await queryRunner.query(
      `CREATE TABLE "evidence_requirements" ("evidenceId" character varying(36) NOT NULL, "requirementId" character varying(36) NOT NULL, CONSTRAINT "PK_7cb13d4fdaf85a3682d67e0613d" PRIMARY KEY ("evidenceId", "requirementId"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_evidence_requirements_requirement" ON "evidence_requirements" ("requirementId") `,
    );
    await queryRunner.query(
      `ALTER TABLE "requirement_decisions" ADD CONSTRAINT "FK_6f6dd209ce1a131eff79d2cb308" FOREIGN KEY ("systemId") REFERENCES "ai_systems"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "requirement_decisions" ADD CONSTRAINT "FK_223c03e67ce68183b4cbfcc53fa" FOREIGN KEY ("requirementId") REFERENCES "requirements"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "evidence_requirements" ADD CONSTRAINT "FK_bf69f37abe5a91cb07f9b00413c" FOREIGN KEY ("evidenceId") REFERENCES "evidence"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "evidence_requirements" ADD CONSTRAINT "FK_6911282fa5974730eaa3029ecd2" FOREIGN KEY ("requirementId") REFERENCES "requirements"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "evidence_requirements" DROP CONSTRAINT "FK_6911282fa5974730eaa3029ecd2"`);
    await queryRunner.query(`ALTER TABLE "evidence_requirements" DROP CONSTRAINT "FK_bf69f37abe5a91cb07f9b00413c"`);
    await queryRunner.query(`ALTER TABLE "requirement_decisions" DROP CONSTRAINT "FK_223c03e67ce68183b4cbfcc53fa"`);
    await queryRunner.query(`ALTER TABLE "requirement_decisions" DROP CONSTRAINT "FK_6f6dd209ce1a131eff79d2cb308"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_evidence_requirements_requirement"`);
    await queryRunner.query(`DROP TABLE "evidence_requirements"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_requirement_decisions_pair"`);
    await queryRunner.query(`DROP TABLE "requirement_decisions"`);
  }
}
