import { MigrationInterface, QueryRunner } from 'typeorm';

export class PackClaimLease1796117574829 implements MigrationInterface {
  name = 'PackClaimLease1796117574829';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "evidence_packs" ADD COLUMN "leaseUntil" varchar(24)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "evidence_packs" DROP COLUMN "leaseUntil"`);
  }
}
