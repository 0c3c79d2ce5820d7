import { MigrationInterface, QueryRunner } from 'typeorm';
import { readLegacySystems, writeDerivedFacts } from '../applicability-facts-data';

/**
 * Applicability facts (HIPAA role, GDPR Art. 3 and duty facts, SOC 2 categories) replace soc2InScope. The table is
 * rebuilt once (SQLite adds no NOT NULL column without a default); the derived answers and review flags are then
 * written row by row, each with its audit-log entry, in the migration's transaction.
 */
export class ApplicabilityFacts1796117804057 implements MigrationInterface {
  name = 'ApplicabilityFacts1796117804057';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const systems = await readLegacySystems(queryRunner);
    await queryRunner.query(`DROP INDEX "IDX_ai_systems_name"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_ai_systems" ("id" varchar(36) PRIMARY KEY NOT NULL, "name" varchar(200) NOT NULL, "purpose" text NOT NULL, "owner" varchar(200) NOT NULL, "lifecycleStage" varchar(16) NOT NULL, "modelKind" varchar(16) NOT NULL, "useCaseDomain" varchar(40) NOT NULL, "vendor" varchar(200) NOT NULL DEFAULT (''), "thirdPartyModels" text NOT NULL, "autonomy" varchar(24) NOT NULL, "humanOversight" text NOT NULL DEFAULT (''), "significantDecisions" boolean NOT NULL DEFAULT (0), "personalData" boolean NOT NULL DEFAULT (0), "specialCategoryData" boolean NOT NULL DEFAULT (0), "phi" boolean NOT NULL DEFAULT (0), "childrensData" boolean NOT NULL DEFAULT (0), "jurisdictions" text NOT NULL, "computedRiskTier" varchar(16) NOT NULL, "riskTierReason" text NOT NULL, "riskTierOverride" varchar(16), "riskTierOverrideJustification" text, "modelVersion" varchar(80) NOT NULL DEFAULT (''), "modelVersionChangedAt" varchar(24), "trainingDataVersion" varchar(80) NOT NULL DEFAULT (''), "archivedAt" varchar(24), "createdAt" varchar(24) NOT NULL, "updatedAt" varchar(24) NOT NULL, "hipaaRole" varchar(24), "gdprEstablishment" boolean, "gdprOffersToEu" boolean, "gdprMonitorsEu" boolean, "gdprRole" varchar(24), "gdprConsentBasis" boolean, "gdprCriminalData" boolean, "gdprPublicBody" boolean, "gdprLargeScaleMonitoring" boolean, "gdprLargeScaleSensitiveData" boolean, "gdprThirdCountryTransfers" boolean, "gdprArchivingOrResearch" boolean, "soc2Categories" text NOT NULL, "applicabilityReviewFacts" text NOT NULL)`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_ai_systems"("id", "name", "purpose", "owner", "lifecycleStage", "modelKind", "useCaseDomain", "vendor", "thirdPartyModels", "autonomy", "humanOversight", "significantDecisions", "personalData", "specialCategoryData", "phi", "childrensData", "jurisdictions", "computedRiskTier", "riskTierReason", "riskTierOverride", "riskTierOverrideJustification", "modelVersion", "modelVersionChangedAt", "trainingDataVersion", "archivedAt", "createdAt", "updatedAt", "soc2Categories", "applicabilityReviewFacts") SELECT "id", "name", "purpose", "owner", "lifecycleStage", "modelKind", "useCaseDomain", "vendor", "thirdPartyModels", "autonomy", "humanOversight", "significantDecisions", "personalData", "specialCategoryData", "phi", "childrensData", "jurisdictions", "computedRiskTier", "riskTierReason", "riskTierOverride", "riskTierOverrideJustification", "modelVersion", "modelVersionChangedAt", "trainingDataVersion", "archivedAt", "createdAt", "updatedAt", '[]', '[]' FROM "ai_systems"`,
    );
    await queryRunner.query(`DROP TABLE "ai_systems"`);
    await queryRunner.query(`ALTER TABLE "temporary_ai_systems" RENAME TO "ai_systems"`);
    await queryRunner.query(`CREATE INDEX "IDX_ai_systems_name" ON "ai_systems" ("name") `);
    await writeDerivedFacts(queryRunner, 'sqlite', systems, this.name);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_ai_systems_name"`);
    await queryRunner.query(`ALTER TABLE "ai_systems" RENAME TO "temporary_ai_systems"`);
    await queryRunner.query(
      `CREATE TABLE "ai_systems" ("id" varchar(36) PRIMARY KEY NOT NULL, "name" varchar(200) NOT NULL, "purpose" text NOT NULL, "owner" varchar(200) NOT NULL, "lifecycleStage" varchar(16) NOT NULL, "modelKind" varchar(16) NOT NULL, "useCaseDomain" varchar(40) NOT NULL, "vendor" varchar(200) NOT NULL DEFAULT (''), "thirdPartyModels" text NOT NULL, "autonomy" varchar(24) NOT NULL, "humanOversight" text NOT NULL DEFAULT (''), "significantDecisions" boolean NOT NULL DEFAULT (0), "personalData" boolean NOT NULL DEFAULT (0), "specialCategoryData" boolean NOT NULL DEFAULT (0), "phi" boolean NOT NULL DEFAULT (0), "childrensData" boolean NOT NULL DEFAULT (0), "jurisdictions" text NOT NULL, "soc2InScope" boolean NOT NULL DEFAULT (0), "computedRiskTier" varchar(16) NOT NULL, "riskTierReason" text NOT NULL, "riskTierOverride" varchar(16), "riskTierOverrideJustification" text, "modelVersion" varchar(80) NOT NULL DEFAULT (''), "modelVersionChangedAt" varchar(24), "trainingDataVersion" varchar(80) NOT NULL DEFAULT (''), "archivedAt" varchar(24), "createdAt" varchar(24) NOT NULL, "updatedAt" varchar(24) NOT NULL)`,
    );
    await queryRunner.query(
      `INSERT INTO "ai_systems"("id", "name", "purpose", "owner", "lifecycleStage", "modelKind", "useCaseDomain", "vendor", "thirdPartyModels", "autonomy", "humanOversight", "significantDecisions", "personalData", "specialCategoryData", "phi", "childrensData", "jurisdictions", "soc2InScope", "computedRiskTier", "riskTierReason", "riskTierOverride", "riskTierOverrideJustification", "modelVersion", "modelVersionChangedAt", "trainingDataVersion", "archivedAt", "createdAt", "updatedAt") SELECT "id", "name", "purpose", "owner", "lifecycleStage", "modelKind", "useCaseDomain", "vendor", "thirdPartyModels", "autonomy", "humanOversight", "significantDecisions", "personalData", "specialCategoryData", "phi", "childrensData", "jurisdictions", CASE WHEN "soc2Categories" <> '[]' THEN 1 ELSE 0 END, "computedRiskTier", "riskTierReason", "riskTierOverride", "riskTierOverrideJustification", "modelVersion", "modelVersionChangedAt", "trainingDataVersion", "archivedAt", "createdAt", "updatedAt" FROM "temporary_ai_systems"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_ai_systems"`);
    await queryRunner.query(`CREATE INDEX "IDX_ai_systems_name" ON "ai_systems" ("name") `);
  }
}
