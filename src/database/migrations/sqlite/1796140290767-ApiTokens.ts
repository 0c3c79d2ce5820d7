import { MigrationInterface, QueryRunner } from 'typeorm';

/** API tokens for pipelines (issue 20.1): only the SHA-256 of each token is stored. */
export class ApiTokens1796140290767 implements MigrationInterface {
  name = 'ApiTokens1796140290767';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "api_tokens" ("id" varchar(36) PRIMARY KEY NOT NULL, "tokenHash" varchar(64) NOT NULL, "name" varchar(120) NOT NULL, "userId" varchar(36) NOT NULL, "permissions" text NOT NULL, "systemIds" text, "createdAt" varchar(24) NOT NULL, "expiresAt" varchar(24) NOT NULL, "revokedAt" varchar(24), "lastUsedAt" varchar(24), "lastUsedFrom" varchar(64))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_api_tokens_token_hash" ON "api_tokens" ("tokenHash") `);
    await queryRunner.query(`CREATE INDEX "IDX_api_tokens_user" ON "api_tokens" ("userId") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_api_tokens_user"`);
    await queryRunner.query(`DROP INDEX "UQ_api_tokens_token_hash"`);
    await queryRunner.query(`DROP TABLE "api_tokens"`);
  }
}
