import { Injectable } from '@nestjs/common';
import { AccessScope } from '../access-scope/access-scope.service';
import type { Actor } from '../common/auth.decorators';
import type { MetricDirection } from '../evidence/entities/evidence.entity';
import { metricPasses } from '../evidence/kinds/structured-evidence';
import { EvaluationMetricsRepository, MeasuredMetric } from './evaluation-metrics.repository';

/** The chart keeps the latest points only: the page stays small however many evaluations a pipeline pushes. */
const CHART_POINTS = 12;
const WIDTH = 240;
const HEIGHT = 60;
const PAD = 6;

export interface MetricChart {
  width: number;
  height: number;
  /** SVG polyline points of the values, oldest to newest. */
  line: string;
  thresholdY: number;
  dots: Array<{ x: number; y: number; pass: boolean; label: string }>;
  /** The value range the chart spans, for its accessible description. */
  min: number;
  max: number;
}

export interface MetricSeries {
  name: string;
  unit: string;
  direction: MetricDirection;
  latest: {
    value: number;
    threshold: number;
    pass: boolean;
    measuredAt: string;
    model: string;
    dataset: string;
    evidenceId: string;
    reviewStatus: string;
  };
  evaluations: number;
  chart: MetricChart;
}

export interface ControlMetrics {
  controlCode: string;
  passing: number;
  failing: number;
  metrics: MetricSeries[];
}

/**
 * The system page's metrics section: per control, the latest value of each evaluation metric with pass/fail, and the
 * geometry of a small history chart (values against the threshold) that the template draws as inline SVG.
 */
@Injectable()
export class EvaluationMetricsService {
  constructor(
    private readonly metrics: EvaluationMetricsRepository,
    private readonly scope: AccessScope,
  ) {}

  async forSystem(actor: Actor, systemId: string): Promise<ControlMetrics[]> {
    await this.scope.assertSystemVisible(actor, systemId);
    const byControl = new Map<string, Map<string, MeasuredMetric[]>>();
    for (const row of await this.metrics.findBySystem(systemId)) {
      let series = byControl.get(row.controlCode);
      if (!series) byControl.set(row.controlCode, (series = new Map<string, MeasuredMetric[]>()));
      const points = series.get(row.name);
      if (points) points.push(row);
      else series.set(row.name, [row]);
    }
    return [...byControl.entries()].map(([controlCode, series]) => {
      const metrics = [...series.entries()].map(([name, points]) => seriesOf(name, points));
      const passing = metrics.filter((m) => m.latest.pass).length;
      return { controlCode, passing, failing: metrics.length - passing, metrics };
    });
  }
}

function seriesOf(name: string, all: MeasuredMetric[]): MetricSeries {
  const last = all[all.length - 1];
  return {
    name,
    unit: last.unit,
    direction: last.direction,
    latest: {
      value: last.value,
      threshold: last.threshold,
      pass: metricPasses(last),
      measuredAt: last.measuredAt,
      model: last.model,
      dataset: last.dataset,
      evidenceId: last.evidenceId,
      reviewStatus: last.reviewStatus,
    },
    evaluations: all.length,
    chart: chartOf(all.slice(-CHART_POINTS)),
  };
}

/** Values against their threshold, scaled to a fixed box; a single evaluation is a dot in the middle. */
export function chartOf(
  points: Array<Pick<MeasuredMetric, 'value' | 'threshold' | 'direction' | 'measuredAt'>>,
): MetricChart {
  const values = points.flatMap((p) => [p.value, p.threshold]);
  let min = Math.min(...values);
  let max = Math.max(...values);
  if (max === min) {
    min -= 1;
    max += 1;
  }
  const y = (v: number) => round(HEIGHT - PAD - ((v - min) / (max - min)) * (HEIGHT - 2 * PAD));
  const x = (i: number) => round(points.length === 1 ? WIDTH / 2 : PAD + (i * (WIDTH - 2 * PAD)) / (points.length - 1));
  const dots = points.map((p, i) => ({
    x: x(i),
    y: y(p.value),
    pass: metricPasses(p),
    label: `${p.measuredAt.slice(0, 10)}: ${p.value} (threshold ${p.threshold})`,
  }));
  return {
    width: WIDTH,
    height: HEIGHT,
    line: dots.map((d) => `${d.x},${d.y}`).join(' '),
    thresholdY: y(points[points.length - 1].threshold),
    dots,
    min,
    max,
  };
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
