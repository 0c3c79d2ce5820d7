import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { conflict } from '../common/domain-errors';
import { Tx } from '../database/transaction-runner';
import { isUniqueViolation } from '../database/unique-violation';
import { UserEntity } from './entities/user.entity';

@Injectable()
export class UsersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private get users() {
    return this.dataSource.getRepository(UserEntity);
  }

  findById(id: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ id });
  }

  findByEmail(email: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ email: email.toLowerCase() });
  }

  findByIds(ids: string[]): Promise<UserEntity[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.users.createQueryBuilder('u').where('u.id IN (:...ids)', { ids }).getMany();
  }

  findAll(): Promise<UserEntity[]> {
    return this.users.find({ order: { email: 'ASC' } });
  }

  count(): Promise<number> {
    return this.users.count();
  }

  /** Throws a conflict when the e-mail is taken, including by a concurrent insert that passed the same check. */
  async insert(tx: Tx, user: UserEntity): Promise<void> {
    try {
      await tx.getRepository(UserEntity).insert(user);
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict(`A user with e-mail ${user.email} already exists`);
      throw error;
    }
  }

  async update(tx: Tx, id: string, changes: Partial<UserEntity>): Promise<void> {
    await tx.getRepository(UserEntity).update({ id }, changes);
  }
}
