import { MigrationInterface, QueryRunner } from 'typeorm';

/** API tokens for pipelines (issue 20.1): only the SHA-256 of each token is stored. */
export class ApiTokens1796140290767 implements MigrationInterface {
  name = 'ApiTokens1796140290767';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "api_tokens" ("id" character varying(36) NOT NULL, "tokenHash" character varying(64) NOT NULL, "name" character varying(120) NOT NULL, "userId" character varying(36) NOT NULL, "permissions" text NOT NULL, "systemIds" text, "createdAt" character varying(24) NOT NULL, "expiresAt" character varying(24) NOT NULL, "revokedAt" character varying(24), "lastUsedAt" character varying(24), "lastUsedFrom" character varying(64), CONSTRAINT "PK_c587455266b5fa8dace7194caac" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_api_tokens_token_hash" ON "api_tokens" ("tokenHash") `);
    await queryRunner.query(`CREATE INDEX "IDX_api_tokens_user" ON "api_tokens" ("userId") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_api_tokens_user"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_api_tokens_token_hash"`);
    await queryRunner.query(`DROP TABLE "api_tokens"`);
  }
}
