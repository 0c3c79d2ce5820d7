import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { PolicyLoader } from './catalog/policy-loader.service';
import { EvidenceService } from './evidence/evidence.service';
import { UsersService } from './users/users.service';

/**
 * Start-up work that needs the migrated schema: load policies/ (idempotent), make sure an admin exists, and sweep
 * evidence files left by a crash mid-upload.
 */
@Injectable()
export class AppBootstrap implements OnApplicationBootstrap {
  constructor(
    private readonly policies: PolicyLoader,
    private readonly users: UsersService,
    private readonly evidence: EvidenceService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.policies.load();
    await this.users.bootstrapFirstAdmin();
    await this.evidence.sweepOrphans();
  }
}
