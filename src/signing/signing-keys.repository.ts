import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull } from 'typeorm';
import { Tx } from '../database/transaction-runner';
import { SigningKeyEntity } from './entities/signing-key.entity';

@Injectable()
export class SigningKeysRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  findAll(): Promise<SigningKeyEntity[]> {
    return this.dataSource.getRepository(SigningKeyEntity).find({ order: { validFrom: 'DESC' } });
  }

  findByFingerprint(fingerprint: string): Promise<SigningKeyEntity | null> {
    return this.dataSource.getRepository(SigningKeyEntity).findOneBy({ fingerprint });
  }

  findCurrent(): Promise<SigningKeyEntity | null> {
    return this.dataSource.getRepository(SigningKeyEntity).findOne({ where: { validTo: IsNull() } });
  }

  /** The open keys under a lock (PostgreSQL), so two instances registering at once queue instead of both winning. */
  findCurrentForUpdate(tx: Tx): Promise<SigningKeyEntity[]> {
    const query = tx.getRepository(SigningKeyEntity).createQueryBuilder('k').where('k.validTo IS NULL');
    if (tx.connection.options.type === 'postgres') query.setLock('pessimistic_write');
    return query.getMany();
  }

  findByFingerprintIn(tx: Tx, fingerprint: string): Promise<SigningKeyEntity | null> {
    return tx.getRepository(SigningKeyEntity).findOneBy({ fingerprint });
  }

  async close(tx: Tx, fingerprint: string, validTo: string): Promise<void> {
    await tx.getRepository(SigningKeyEntity).update({ fingerprint, validTo: IsNull() }, { validTo });
  }

  async insert(tx: Tx, key: SigningKeyEntity): Promise<void> {
    await tx.getRepository(SigningKeyEntity).insert(key);
  }

  async reopen(tx: Tx, fingerprint: string): Promise<void> {
    await tx.getRepository(SigningKeyEntity).update({ fingerprint }, { validTo: null });
  }
}
