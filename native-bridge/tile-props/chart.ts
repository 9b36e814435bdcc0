import { z } from 'zod';

const indicatorId = z.string().min(1).max(64);

/** Props of the chart tile: indicator histories over time, or one indicator's figures per commune. */
export const chartProps = z.strictObject({
  mode: z.enum(['time-series', 'communes']).default('time-series'),
  /** Indicators to draw (time-series: up to 6 lines; communes: the first one). */
  ids: z.array(indicatorId).max(6).default([]),
  /** How far back the time series goes. */
  rangeHours: z.int().min(1).max(24 * 800).default(24),
  /** A dashed line at the (first) indicator's target. */
  showTarget: z.boolean().default(true),
});
