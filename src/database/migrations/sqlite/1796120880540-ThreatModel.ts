import { MigrationInterface, QueryRunner } from 'typeorm';

/** Threat-model facts of AI systems and red-team reports naming ATLAS techniques (issue 19.5). */
export class ThreatModel1796120880540 implements MigrationInterface {
  name = 'ThreatModel1796120880540';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "ai_systems" ADD COLUMN "internetFacing" boolean NOT NULL DEFAULT (0)`);
    await queryRunner.query(`ALTER TABLE "ai_systems" ADD COLUMN "usesRag" boolean NOT NULL DEFAULT (0)`);
    await queryRunner.query(`ALTER TABLE "ai_systems" ADD COLUMN "agentTools" boolean NOT NULL DEFAULT (0)`);
    await queryRunner.query(`ALTER TABLE "evidence" ADD COLUMN "atlasTechniqueIds" text`);
    await queryRunner.query(`ALTER TABLE "evidence" ADD COLUMN "redTeamOutcome" varchar(16)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "evidence" DROP COLUMN "redTeamOutcome"`);
    await queryRunner.query(`ALTER TABLE "evidence" DROP COLUMN "atlasTechniqueIds"`);
    await queryRunner.query(`ALTER TABLE "ai_systems" DROP COLUMN "agentTools"`);
    await queryRunner.query(`ALTER TABLE "ai_systems" DROP COLUMN "usesRag"`);
    await queryRunner.query(`ALTER TABLE "ai_systems" DROP COLUMN "internetFacing"`);
  }
}
