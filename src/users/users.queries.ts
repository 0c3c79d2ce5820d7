import { Injectable } from '@nestjs/common';
import { UserEntity } from './entities/user.entity';
import { UsersRepository } from './users.repository';

/**
 * The reads of user records that other modules make (sign-in, tasks, controls, audits, packs), so that they depend on
 * this module's service and never on its repository. Changes go through UsersService.
 */
@Injectable()
export class UsersQueries {
  constructor(private readonly users: UsersRepository) {}

  findById(id: string): Promise<UserEntity | null> {
    return this.users.findById(id);
  }

  /** Matched without regard to case, as the records store it lower-cased. */
  findByEmail(email: string): Promise<UserEntity | null> {
    return this.users.findByEmail(email);
  }

  findByIds(ids: string[]): Promise<UserEntity[]> {
    return this.users.findByIds(ids);
  }
}
