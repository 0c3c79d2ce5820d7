import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The dashboard's evidence expiring soon (accepted, by validUntil, the first 20) read through an index instead of a
 * scan of every evidence row on each view (issue 18.2).
 */
export class EvidenceExpiryIndex1796152632380 implements MigrationInterface {
  name = 'EvidenceExpiryIndex1796152632380';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "IDX_evidence_expiry" ON "evidence" ("reviewStatus", "validUntil") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_evidence_expiry"`);
  }
}
