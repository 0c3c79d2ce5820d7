import { MigrationInterface, QueryRunner } from 'typeorm';
import { stripStoredFormIndent } from '../textarea-indent-data';

/**
 * A data migration, no schema change: the multi-line fields the web form indented on every save (issue 17.3) lose
 * that indentation (textarea-indent-data.ts says exactly what is removed), each changed record audited.
 */
export class TextareaIndentRepair1796140070433 implements MigrationInterface {
  name = 'TextareaIndentRepair1796140070433';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await stripStoredFormIndent(queryRunner, 'sqlite', this.name);
  }

  /** The removed spaces were never meant to be there; nothing is put back. */
  public async down(): Promise<void> {}
}
