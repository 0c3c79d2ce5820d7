import { MigrationInterface, QueryRunner } from 'typeorm';
import { readLegacySystems, writeDerivedFacts } from '../applicability-facts-data';

/**
 * Applicability facts (HIPAA role, GDPR Art. 3 and duty facts, SOC 2 categories) replace soc2InScope; the derived
 * answers and review flags are written row by row, each with its audit-log entry, in the migration's transaction.
 */
export class ApplicabilityFacts1796117817641 implements MigrationInterface {
  name = 'ApplicabilityFacts1796117817641';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const systems = await readLegacySystems(queryRunner);
    await queryRunner.query(`ALTER TABLE "ai_systems" DROP COLUMN "soc2InScope"`);
    await queryRunner.query(`ALTER TABLE "ai_systems" ADD "hipaaRole" character varying(24)`);
    await queryRunner.query(`ALTER TABLE "ai_systems" ADD "gdprEstablishment" boolean`);
    await queryRunner.query(`ALTER TABLE "ai_systems" ADD "gdprOffersToEu" boolean`);
    await queryRunner.query(`ALTER TABLE "ai_systems" ADD "gdprMonitorsEu" boolean`);
    await queryRunner.query(`ALTER TABLE "ai_systems" ADD "gdprRole" character varying(24)`);
    await queryRunner.query(`ALTER TABLE "ai_systems" ADD "gdprConsentBasis" boolean`);
    await queryRunner.query(`ALTER TABLE "ai_systems" ADD "gdprCriminalData" boolean`);
    await queryRunner.query(`ALTER TABLE "ai_systems" ADD "gdprPublicBody" boolean`);
    await queryRunner.query(`ALTER TABLE "ai_systems" ADD "gdprLargeScaleMonitoring" boolean`);
    await queryRunner.query(`ALTER TABLE "ai_systems" ADD "gdprLargeScaleSensitiveData" boolean`);
    await queryRunner.query(`ALTER TABLE "ai_systems" ADD "gdprThirdCountryTransfers" boolean`);
    await queryRunner.query(`ALTER TABLE "ai_systems" ADD "gdprArchivingOrResearch" boolean`);
    // The default only fills existing rows; the entity has none.
    await queryRunner.query(`ALTER TABLE "ai_systems" ADD "soc2Categories" text NOT NULL DEFAULT '[]'`);
    await queryRunner.query(`ALTER TABLE "ai_systems" ALTER COLUMN "soc2Categories" DROP DEFAULT`);
    await queryRunner.query(`ALTER TABLE "ai_systems" ADD "applicabilityReviewFacts" text NOT NULL DEFAULT '[]'`);
    await queryRunner.query(`ALTER TABLE "ai_systems" ALTER COLUMN "applicabilityReviewFacts" DROP DEFAULT`);
    await writeDerivedFacts(queryRunner, 'postgres', systems, this.name);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "ai_systems" ADD "soc2InScope" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`UPDATE "ai_systems" SET "soc2InScope" = ("soc2Categories" <> '[]')`);
    await queryRunner.query(`ALTER TABLE "ai_systems" DROP COLUMN "applicabilityReviewFacts"`);
    await queryRunner.query(`ALTER TABLE "ai_systems" DROP COLUMN "soc2Categories"`);
    await queryRunner.query(`ALTER TABLE "ai_systems" DROP COLUMN "gdprArchivingOrResearch"`);
    await queryRunner.query(`ALTER TABLE "ai_systems" DROP COLUMN "gdprThirdCountryTransfers"`);
    await queryRunner.query(`ALTER TABLE "ai_systems" DROP COLUMN "gdprLargeScaleSensitiveData"`);
    await queryRunner.query(`ALTER TABLE "ai_systems" DROP COLUMN "gdprLargeScaleMonitoring"`);
    await queryRunner.query(`ALTER TABLE "ai_systems" DROP COLUMN "gdprPublicBody"`);
    await queryRunner.query(`ALTER TABLE "ai_systems" DROP COLUMN "gdprCriminalData"`);
    await queryRunner.query(`ALTER TABLE "ai_systems" DROP COLUMN "gdprConsentBasis"`);
    await queryRunner.query(`ALTER TABLE "ai_systems" DROP COLUMN "gdprRole"`);
    await queryRunner.query(`ALTER TABLE "ai_systems" DROP COLUMN "gdprMonitorsEu"`);
    await queryRunner.query(`ALTER TABLE "ai_systems" DROP COLUMN "gdprOffersToEu"`);
    await queryRunner.query(`ALTER TABLE "ai_systems" DROP COLUMN "gdprEstablishment"`);
    await queryRunner.query(`ALTER TABLE "ai_systems" DROP COLUMN "hipaaRole"`);
  }
}
