import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { APP_CONFIG, AppConfig } from '../config/app.config';
import { CoverageSummaryService } from './coverage-summary.service';

/**
 * Refreshes the coverage summaries every coverageSummarySeconds on every instance (0 disables it); a refresh that
 * finds nothing changed reads the audit log since the last one and writes one UPDATE. The first runs one interval
 * after start-up, so booting stays fast; the dashboard computes systems that have no summary yet itself.
 */
@Injectable()
export class CoverageSummaryScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger('CoverageSummaries');

  constructor(
    private readonly summaries: CoverageSummaryService,
    private readonly registry: SchedulerRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.coverageSummarySeconds === 0) return;
    const handle = setInterval(() => {
      this.summaries
        .refresh()
        .catch((error) =>
          this.logger.error(
            `coverage summary refresh failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
          ),
        );
    }, this.config.coverageSummarySeconds * 1000);
    handle.unref();
    this.registry.addInterval('coverage-summaries', handle);
  }
}
