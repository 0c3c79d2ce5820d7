import { MigrationInterface, QueryRunner } from 'typeorm';

export class CatalogVersion1796118447046 implements MigrationInterface {
  name = 'CatalogVersion1796118447046';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "catalog_version" ("id" integer PRIMARY KEY NOT NULL, "version" integer NOT NULL, "changedAt" varchar(24) NOT NULL)`,
    );
    await queryRunner.query(
      `INSERT INTO "catalog_version" ("id", "version", "changedAt") VALUES (1, 1, '1970-01-01T00:00:00.000Z')`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "catalog_version"`);
  }
}
