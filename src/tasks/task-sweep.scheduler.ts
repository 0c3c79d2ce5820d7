import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { APP_CONFIG, AppConfig } from '../config/app.config';
import { TaskSweepService } from './task-sweep.service';

/**
 * Runs the sweep every sweepIntervalMinutes (0 disables it). Nothing runs at start-up: the first sweep comes one
 * interval later, so booting (and every test app) stays fast. ScheduleModule clears the interval on shutdown.
 */
@Injectable()
export class TaskSweepScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger('TaskSweep');
  private running = false;

  constructor(
    private readonly sweep: TaskSweepService,
    private readonly registry: SchedulerRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.sweepIntervalMinutes === 0) return;
    const handle = setInterval(() => void this.tick(), this.config.sweepIntervalMinutes * 60_000);
    handle.unref();
    this.registry.addInterval('tasks-sweep', handle);
  }

  private async tick(): Promise<void> {
    // A sweep slower than the interval must not overlap itself.
    if (this.running) return;
    this.running = true;
    try {
      await this.sweep.run();
    } catch (error) {
      this.logger.error(
        `task sweep failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
    } finally {
      this.running = false;
    }
  }
}
