import { Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { TokensModule } from '../tokens/tokens.module';
import { UsersModule } from '../users/users.module';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { SessionsRepository } from './sessions.repository';
import { TokenAttributionInterceptor } from './token-attribution.interceptor';

/**
 * Sign-in: sessions (cookie or bearer), API tokens and the global guard. It sits above users and tokens: users
 * tells it when a user's access changes (UsersService.onAccessChange) instead of importing it.
 */
@Module({
  imports: [UsersModule, TokensModule],
  controllers: [AuthController],
  providers: [
    AuthService,
    SessionsRepository,
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_INTERCEPTOR, useClass: TokenAttributionInterceptor },
  ],
  exports: [AuthService],
})
export class AuthModule {}
