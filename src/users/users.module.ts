import { Module } from '@nestjs/common';
import { UsersController } from './users.controller';
import { UsersQueries } from './users.queries';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

/** Accounts: the user records, their administration and passwords. Below auth, which it never imports. */
@Module({
  controllers: [UsersController],
  providers: [UsersRepository, UsersQueries, UsersService],
  exports: [UsersQueries, UsersService],
})
export class UsersModule {}
