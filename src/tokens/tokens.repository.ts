import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, IsNull, LessThan, Or } from 'typeorm';
import { AiSystemEntity } from '../ai-systems/entities/ai-system.entity';
import { Tx } from '../database/transaction-runner';
import { Role, UserEntity } from '../users/entities/user.entity';
import { ApiTokenEntity } from './entities/api-token.entity';

/** A token row with what authentication needs of its creator, read in one query. */
export interface TokenWithCreator {
  id: string;
  name: string;
  permissions: string;
  systemIds: string | null;
  expiresAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
  userId: string;
  email: string;
  displayName: string;
  role: Role;
  disabled: boolean | number;
}

@Injectable()
export class TokensRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private get tokens() {
    return this.dataSource.getRepository(ApiTokenEntity);
  }

  /** The token and its creator in one SELECT (a join), so a request costs one read whatever it authenticates with. */
  async findWithCreator(tokenHash: string): Promise<TokenWithCreator | null> {
    const row = await this.tokens
      .createQueryBuilder('t')
      .innerJoin(UserEntity, 'u', 'u.id = t.userId')
      .select('t.id', 'id')
      .addSelect('t.name', 'name')
      .addSelect('t.permissions', 'permissions')
      .addSelect('t.systemIds', 'systemIds')
      .addSelect('t.expiresAt', 'expiresAt')
      .addSelect('t.revokedAt', 'revokedAt')
      .addSelect('t.lastUsedAt', 'lastUsedAt')
      .addSelect('u.id', 'userId')
      .addSelect('u.email', 'email')
      .addSelect('u.displayName', 'displayName')
      .addSelect('u.role', 'role')
      .addSelect('u.disabled', 'disabled')
      .where('t.tokenHash = :tokenHash', { tokenHash })
      .getRawOne<TokenWithCreator>();
    return row ?? null;
  }

  findById(id: string): Promise<ApiTokenEntity | null> {
    return this.tokens.findOneBy({ id });
  }

  /** Newest first; every token, or only one creator's. */
  find(userId?: string): Promise<ApiTokenEntity[]> {
    return this.tokens.find({ where: userId ? { userId } : {}, order: { createdAt: 'DESC', id: 'ASC' } });
  }

  /** Which of these AI system ids exist. */
  async existingSystemIds(ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await this.dataSource
      .getRepository(AiSystemEntity)
      .find({ select: { id: true }, where: { id: In([...ids]) } });
    return rows.map((r) => r.id);
  }

  async insert(tx: Tx, token: ApiTokenEntity): Promise<void> {
    await tx.getRepository(ApiTokenEntity).insert(token);
  }

  /** False when the token was already revoked (a concurrent revoke won). */
  async revoke(tx: Tx, id: string, at: string): Promise<boolean> {
    const result = await tx.getRepository(ApiTokenEntity).update({ id, revokedAt: IsNull() }, { revokedAt: at });
    return (result.affected ?? 0) > 0;
  }

  /**
   * Records a use unless one was recorded since `notBefore`: the condition is in the UPDATE, so instances racing on
   * the same token write it once, and a token used many times a second writes at most once a minute.
   */
  async recordUse(tx: Tx, id: string, at: string, from: string, notBefore: string): Promise<void> {
    await tx
      .getRepository(ApiTokenEntity)
      .update({ id, lastUsedAt: Or(IsNull(), LessThan(notBefore)) }, { lastUsedAt: at, lastUsedFrom: from });
  }
}
