import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { CLOCK, Clock, iso } from '../common/time';
import { APP_CONFIG, AppConfig } from '../config/app.config';
import { TransactionRunner } from '../database/transaction-runner';
import { obligationDue } from '../events/domain-events';
import { EventsService } from '../events/events.service';
import { ObligationDueRepository } from './obligation-due.repository';

/** How far ahead an incident obligation counts as coming due (an overdue one too, until it is notified). */
export const OBLIGATION_DUE_HORIZON_MS = 24 * 3_600_000;
const CHECK_EVERY_MS = 5 * 60_000;
const SWEEP_ACTOR = 'system:obligation-due';

/**
 * Records an obligation.due event for each required incident obligation due within 24 hours that has no notification
 * recorded: once per obligation and due time (a recomputed due time is a new event). Runs every five minutes on every
 * instance while the task sweep is on (WORKBENCH_SWEEP_INTERVAL_MINUTES > 0); the dedupe key keeps two instances
 * from recording it twice.
 */
@Injectable()
export class ObligationDueSweep implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('ObligationDue');
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    private readonly obligations: ObligationDueRepository,
    private readonly events: EventsService,
    private readonly tx: TransactionRunner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.sweepIntervalMinutes === 0) return;
    this.timer = setInterval(() => void this.run(), CHECK_EVERY_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Records the events due now; returns how many. */
  run(): Promise<number> {
    if (this.running) return this.running;
    this.running = this.sweep()
      .catch((error) => {
        this.logger.error(`obligation-due sweep failed: ${(error as Error).message}`);
        return 0;
      })
      .finally(() => (this.running = undefined));
    return this.running;
  }

  private async sweep(): Promise<number> {
    const horizon = iso(new Date(this.clock.now().getTime() + OBLIGATION_DUE_HORIZON_MS));
    const due = await this.obligations.findComingDue(horizon);
    if (due.length === 0) return 0;
    return this.tx.run(async (tx) => {
      let recorded = 0;
      for (const { obligation, incident } of due)
        if (await this.events.record(tx, obligationDue(obligation, incident, SWEEP_ACTOR))) recorded++;
      return recorded;
    });
  }
}
