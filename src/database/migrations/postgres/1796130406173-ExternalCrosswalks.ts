import { MigrationInterface, QueryRunner } from 'typeorm';

/** Imported OSCAL mapping collections (external crosswalk sources) and their links (issue 22.2). */
export class ExternalCrosswalks1796130406173 implements MigrationInterface {
  name = 'ExternalCrosswalks1796130406173';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "external_crosswalk_sources" ("id" character varying(36) NOT NULL, "collectionUuid" character varying(36) NOT NULL, "title" character varying(300) NOT NULL, "method" character varying(16) NOT NULL, "matchingRationale" character varying(16) NOT NULL, "contentHash" character varying(64) NOT NULL, "linkCount" integer NOT NULL, "importedBy" character varying(320) NOT NULL, "importedAt" character varying(24) NOT NULL, CONSTRAINT "PK_6befa6e94f5d48ae9b755cbd762" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "external_crosswalk_links" ("id" character varying(36) NOT NULL, "sourceId" character varying(36) NOT NULL, "fromFramework" character varying(64) NOT NULL, "fromRef" character varying(64) NOT NULL, "toFramework" character varying(64) NOT NULL, "toRef" character varying(64) NOT NULL, "relationship" character varying(32) NOT NULL, "strength" integer, "remarks" text NOT NULL DEFAULT '', "mapUuid" character varying(36) NOT NULL, "position" integer NOT NULL, CONSTRAINT "PK_1dd89ec6093c8ad5987f320e26c" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_external_crosswalk_links_pair" ON "external_crosswalk_links" ("fromFramework", "toFramework") `,
    );
    await queryRunner.query(
      `ALTER TABLE "external_crosswalk_links" ADD CONSTRAINT "FK_392c2c3804ede3d5d4faf669376" FOREIGN KEY ("sourceId") REFERENCES "external_crosswalk_sources"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "external_crosswalk_links" DROP CONSTRAINT "FK_392c2c3804ede3d5d4faf669376"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_external_crosswalk_links_pair"`);
    await queryRunner.query(`DROP TABLE "external_crosswalk_links"`);
    await queryRunner.query(`DROP TABLE "external_crosswalk_sources"`);
  }
}
