import { MigrationInterface, QueryRunner } from 'typeorm';

/** Imported OSCAL mapping collections (external crosswalk sources) and their links (issue 22.2). */
export class ExternalCrosswalks1796130358502 implements MigrationInterface {
  name = 'ExternalCrosswalks1796130358502';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "external_crosswalk_sources" ("id" varchar(36) PRIMARY KEY NOT NULL, "collectionUuid" varchar(36) NOT NULL, "title" varchar(300) NOT NULL, "method" varchar(16) NOT NULL, "matchingRationale" varchar(16) NOT NULL, "contentHash" varchar(64) NOT NULL, "linkCount" integer NOT NULL, "importedBy" varchar(320) NOT NULL, "importedAt" varchar(24) NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE TABLE "external_crosswalk_links" ("id" varchar(36) PRIMARY KEY NOT NULL, "sourceId" varchar(36) NOT NULL, "fromFramework" varchar(64) NOT NULL, "fromRef" varchar(64) NOT NULL, "toFramework" varchar(64) NOT NULL, "toRef" varchar(64) NOT NULL, "relationship" varchar(32) NOT NULL, "strength" integer, "remarks" text NOT NULL DEFAULT (''), "mapUuid" varchar(36) NOT NULL, "position" integer NOT NULL, CONSTRAINT "FK_392c2c3804ede3d5d4faf669376" FOREIGN KEY ("sourceId") REFERENCES "external_crosswalk_sources" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_external_crosswalk_links_pair" ON "external_crosswalk_links" ("fromFramework", "toFramework") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_external_crosswalk_links_pair"`);
    await queryRunner.query(`DROP TABLE "external_crosswalk_links"`);
    await queryRunner.query(`DROP TABLE "external_crosswalk_sources"`);
  }
}
