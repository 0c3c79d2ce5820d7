import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { RolePermissionsProvider } from './role-permissions.provider';

@Global()
@Module({
  controllers: [AuthController],
  providers: [AuthService, RolePermissionsProvider, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [AuthService, RolePermissionsProvider],
})
export class AuthModule {}
