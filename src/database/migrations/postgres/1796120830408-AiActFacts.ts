import { MigrationInterface, QueryRunner } from 'typeorm';
import { writeAiActFacts } from '../ai-act-facts-data';

/**
 * EU AI Act facts (Art. 2(1) reach, role, Art. 5 screening, Annex I and III, Art. 6(3), Art. 50, GPAI) on which the
 * risk tier is now computed. Existing systems get what their old use-case domain determines and are flagged for the
 * rest (ai-act-facts-data.ts has the mapping); each row's change is audited in the migration's transaction.
 */
export class AiActFacts1796120830408 implements MigrationInterface {
  name = 'AiActFacts1796120830408';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "ai_systems" ADD "aiActEuNexus" boolean`);
    await queryRunner.query(`ALTER TABLE "ai_systems" ADD "aiActRole" character varying(16)`);
    await queryRunner.query(`ALTER TABLE "ai_systems" ADD "aiActEstablishedInEu" boolean`);
    await queryRunner.query(`ALTER TABLE "ai_systems" ADD "aiActPublicSector" character varying(24)`);
    await queryRunner.query(`ALTER TABLE "ai_systems" ADD "prohibitedPractices" text`);
    await queryRunner.query(`ALTER TABLE "ai_systems" ADD "annexIProduct" boolean`);
    await queryRunner.query(`ALTER TABLE "ai_systems" ADD "annexIIIArea" character varying(2)`);
    await queryRunner.query(`ALTER TABLE "ai_systems" ADD "annexIIIPoint" character varying(8)`);
    await queryRunner.query(`ALTER TABLE "ai_systems" ADD "art6Derogation" character varying(2)`);
    await queryRunner.query(`ALTER TABLE "ai_systems" ADD "profilesPeople" boolean`);
    await queryRunner.query(`ALTER TABLE "ai_systems" ADD "transparencyTriggers" text`);
    await queryRunner.query(`ALTER TABLE "ai_systems" ADD "gpaiModel" character varying(24)`);
    await writeAiActFacts(queryRunner, 'postgres', this.name);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "ai_systems" DROP COLUMN "gpaiModel"`);
    await queryRunner.query(`ALTER TABLE "ai_systems" DROP COLUMN "transparencyTriggers"`);
    await queryRunner.query(`ALTER TABLE "ai_systems" DROP COLUMN "profilesPeople"`);
    await queryRunner.query(`ALTER TABLE "ai_systems" DROP COLUMN "art6Derogation"`);
    await queryRunner.query(`ALTER TABLE "ai_systems" DROP COLUMN "annexIIIPoint"`);
    await queryRunner.query(`ALTER TABLE "ai_systems" DROP COLUMN "annexIIIArea"`);
    await queryRunner.query(`ALTER TABLE "ai_systems" DROP COLUMN "annexIProduct"`);
    await queryRunner.query(`ALTER TABLE "ai_systems" DROP COLUMN "prohibitedPractices"`);
    await queryRunner.query(`ALTER TABLE "ai_systems" DROP COLUMN "aiActPublicSector"`);
    await queryRunner.query(`ALTER TABLE "ai_systems" DROP COLUMN "aiActEstablishedInEu"`);
    await queryRunner.query(`ALTER TABLE "ai_systems" DROP COLUMN "aiActRole"`);
    await queryRunner.query(`ALTER TABLE "ai_systems" DROP COLUMN "aiActEuNexus"`);
  }
}
