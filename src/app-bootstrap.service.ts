import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { PolicyLoader } from './catalog/policy-loader.service';
import { looseBits } from './common/private-files';
import { APP_CONFIG, AppConfig } from './config/app.config';
import { DatabaseReadiness } from './database/database-readiness';
import { EvidenceService } from './evidence/evidence.service';
import { UsersService } from './users/users.service';

/**
 * Start-up work that needs the migrated schema: load policies/ (idempotent), make sure an admin exists, and sweep
 * evidence files left by a crash mid-upload.
 */
@Injectable()
export class AppBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger('Bootstrap');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly policies: PolicyLoader,
    private readonly users: UsersService,
    private readonly evidence: EvidenceService,
    private readonly database: DatabaseReadiness,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Under the start-up lock: instances started together would otherwise both load the policies into an empty
    // catalog or both create the first admin; the second now finds both done.
    await this.database.underStartupLock(async () => {
      await this.policies.load();
      await this.users.bootstrapFirstAdmin();
    });
    await this.evidence.sweepOrphans();
    // The app creates its data directory 0700 but leaves the mode of one that already existed to the operator.
    if (looseBits(this.config.dataDir))
      this.logger.warn(`the data directory ${this.config.dataDir} is open to other users; chmod 700 it`);
  }
}
