import { Global, Module } from '@nestjs/common';
import { SessionsRepository } from '../auth/sessions.repository';
import { UsersController } from './users.controller';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

@Global()
@Module({
  controllers: [UsersController],
  providers: [UsersRepository, UsersService, SessionsRepository],
  exports: [UsersRepository, UsersService, SessionsRepository],
})
export class UsersModule {}
