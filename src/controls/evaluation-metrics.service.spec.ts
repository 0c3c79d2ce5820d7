import { chartOf } from './evaluation-metrics.service';

describe('evaluation metric charts', () => {
  it('the history chart spans values and thresholds, a point per evaluation', () => {
    const chart = chartOf([
      { value: 0.85, threshold: 0.9, direction: 'higher_is_better', measuredAt: '2026-09-01T00:00:00.000Z' },
      { value: 0.95, threshold: 0.9, direction: 'higher_is_better', measuredAt: '2026-11-01T00:00:00.000Z' },
    ]);
    expect(chart.dots.map((d) => d.pass)).toEqual([false, true]);
    expect(chart.dots[0].y).toBeGreaterThan(chart.thresholdY);
    expect(chart.dots[1].y).toBeLessThan(chart.thresholdY);
    expect(chart.line.split(' ')).toHaveLength(2);
    expect(
      chartOf([{ value: 1, threshold: 1, direction: 'lower_is_better', measuredAt: '2026-11-01' }]).dots[0].x,
    ).toBe(chart.width / 2);
  });
});
