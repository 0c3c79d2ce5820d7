import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { PolicyLoader } from './catalog/policy-loader.service';
import { UsersService } from './users/users.service';

/** Start-up work that needs the migrated schema: load policies/ (idempotent), then make sure an admin exists. */
@Injectable()
export class AppBootstrap implements OnApplicationBootstrap {
  constructor(
    private readonly policies: PolicyLoader,
    private readonly users: UsersService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.policies.load();
    await this.users.bootstrapFirstAdmin();
  }
}
