import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, Clock } from '../common/time';
import { CoverageSnapshotsRepository, FrameworkDay } from './coverage-snapshots.repository';

const TREND_DAYS = 90;
const CHART = { width: 240, height: 48 };

export interface FrameworkTrend {
  framework: string;
  /** Today's requirement counts summed over the systems (the per-framework chart). */
  latest: { applicable: number; covered: number; partial: number; gap: number; percent: number | null };
  /** Share covered per day with a snapshot, oldest first. */
  points: { day: string; percent: number | null }[];
  /** SVG geometry of the trend line (x over the last 90 days, y 0-100 %) and of today's stacked bar. */
  chart: {
    width: number;
    height: number;
    line: string;
    dots: { x: number; y: number; label: string }[];
    bar: { covered: number; partial: number; gap: number };
  };
}

const percentOf = (row: Pick<FrameworkDay, 'applicable' | 'covered'>) =>
  row.applicable ? Math.round((row.covered / row.applicable) * 100) : null;

/**
 * The dashboard's coverage over time: a daily snapshot per system and framework (copied from the coverage summaries
 * the first time a day's dashboard is drawn) and, per framework, the share of applicable requirements covered each
 * day, drawn by the server as SVG (no script).
 */
@Injectable()
export class CoverageTrendService {
  /** The last day whose snapshot this instance saw stored. */
  private snapshotDay: string | null = null;
  /** The last totals read, with the days they cover. */
  private totals?: { since: string; days: string; rows: FrameworkDay[] };

  constructor(
    private readonly snapshots: CoverageSnapshotsRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Takes today's snapshot unless it exists. A day's snapshot rows are never changed once written (any instance
   * writes them once, ON CONFLICT DO NOTHING), so once this instance has seen today's it does not look again.
   */
  async snapshotToday(): Promise<void> {
    const day = this.today();
    if (this.snapshotDay === day) return;
    if (!(await this.snapshots.hasDay(day))) await this.snapshots.snapshot(day);
    this.snapshotDay = day;
  }

  async trend(days = TREND_DAYS): Promise<FrameworkTrend[]> {
    const start = this.clock.now().getTime() - days * 86_400_000;
    const byFramework = new Map<string, FrameworkDay[]>();
    for (const row of await this.totalsSince(new Date(start).toISOString().slice(0, 10))) {
      const list = byFramework.get(row.framework);
      if (list) list.push(row);
      else byFramework.set(row.framework, [row]);
    }
    const x = (day: string) =>
      Math.round(((Date.parse(`${day}T00:00:00Z`) - start) / (days * 86_400_000)) * CHART.width);
    const y = (percent: number) => Math.round(CHART.height - (percent / 100) * CHART.height);
    return [...byFramework.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([framework, rows]) => {
        const last = rows[rows.length - 1];
        const total = last.covered + last.partial + last.gap || 1;
        const points = rows.map((r) => ({ day: r.day, percent: percentOf(r) }));
        const drawn = points.filter((p): p is { day: string; percent: number } => p.percent !== null);
        return {
          framework,
          latest: { ...last, percent: percentOf(last) },
          points,
          chart: {
            ...CHART,
            line: drawn.map((p) => `${x(p.day)},${y(p.percent)}`).join(' '),
            dots: drawn.map((p) => ({ x: x(p.day), y: y(p.percent), label: `${p.day}: ${p.percent}% covered` })),
            bar: {
              covered: Math.round((last.covered / total) * CHART.width),
              partial: Math.round((last.partial / total) * CHART.width),
              gap: Math.round((last.gap / total) * CHART.width),
            },
          },
        };
      });
  }

  /**
   * The per-day totals since a day, summed once per instance for a given set of days: a day's snapshot rows are never
   * changed once written, so the sums change only when a day is added (today's first snapshot, a restore) or
   * removed (old days deleted), which the cheap list of days shows. At a thousand systems the sums read 9,000 rows
   * per day of trend on every view otherwise.
   */
  private async totalsSince(since: string): Promise<FrameworkDay[]> {
    const days = (await this.snapshots.daysSince(since)).join(',');
    if (this.totals?.since !== since || this.totals.days !== days)
      this.totals = { since, days, rows: await this.snapshots.totalsSince(since) };
    return this.totals.rows;
  }

  private today(): string {
    return this.clock.now().toISOString().slice(0, 10);
  }
}
