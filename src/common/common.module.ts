import { Global, Module } from '@nestjs/common';
import { RolePermissionsProvider } from './role-permissions.provider';
import { CLOCK, systemClock } from './time';

/** The clock and the role -> permission table (policies/roles.yaml), which every module's rules read. */
@Global()
@Module({
  providers: [{ provide: CLOCK, useValue: systemClock }, RolePermissionsProvider],
  exports: [CLOCK, RolePermissionsProvider],
})
export class CommonModule {}
