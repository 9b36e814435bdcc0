/**
 * Indicators (bộ chỉ số) as the windows see them: current value, status against the target, the
 * figures per commune, and a recent history for trend sparklines and charts. The definitions are
 * layouts/indicators/*.yaml (scenario-files.ts); the host computes the values
 * (electron/node/indicators). Pure zod: host, renderer and tests import it. It imports nothing of
 * the contract's (contract.ts imports it, and scenario-files.ts imports contract.ts), so the
 * definition's fields are restated here rather than taken from scenario-files.ts.
 */
import { z } from 'zod';

/** met / at-risk / not-met by indicatorStatus (scenario-files.ts); no-data while the source has nothing to give. */
export const indicatorState = z.enum(['met', 'at-risk', 'not-met', 'no-data']);
export type IndicatorState = z.infer<typeof indicatorState>;

/** [epoch ms, value]: compact, since a chart may carry thousands. */
export const historyPoint = z.tuple([z.int(), z.number()]);
export type HistoryPoint = z.infer<typeof historyPoint>;

export const communeFigure = z.strictObject({
  /** The commune as the source names it (a sensor's commune, a table row's area, a dataset's commune property). */
  area: z.string().min(1).max(256),
  value: z.number(),
  /** Against the same target when the figure is a rate, share or level (mean, min, max); null for counts and sums. */
  status: indicatorState.nullable(),
});
export type CommuneFigure = z.infer<typeof communeFigure>;

/** What changes as the data moves. */
export const indicatorCurrent = z.strictObject({
  id: z.string().min(1).max(64),
  value: z.number().nullable(),
  status: indicatorState,
  /** When the status last changed (epoch ms). */
  statusSince: z.int(),
  /** Time of the data behind the value: newest reading, dataset import, or a table period's start. */
  dataAt: z.int().nullable(),
  /** A table source's period ("2025-09", "2025-Q3", …), shown beside the value. */
  period: z.string().max(16).nullable(),
  /** Sorted by commune; empty when the source carries no communes. */
  communes: z.array(communeFigure).max(4000),
});
export type IndicatorCurrent = z.infer<typeof indicatorCurrent>;

export const indicatorSourceKind = z.enum(['sensors', 'live-count', 'dataset', 'table']);
export type IndicatorSourceKind = z.infer<typeof indicatorSourceKind>;

/** The definition's fields a tile shows, with the current value and recent history. */
export const indicatorView = indicatorCurrent.extend({
  title: z.strictObject({ vi: z.string(), en: z.string() }),
  unit: z.string(),
  target: z.number(),
  direction: z.enum(['higher-better', 'lower-better']),
  atRisk: z.union([z.strictObject({ percent: z.number() }), z.strictObject({ absolute: z.number() })]),
  frequency: z.enum(['realtime', 'daily', 'weekly', 'monthly', 'quarterly', 'yearly']),
  sector: z.string(),
  adminLevel: z.enum(['province', 'commune']),
  source: indicatorSourceKind,
  /** Oldest first, at most the request's historyPoints. */
  history: z.array(historyPoint),
});
export type IndicatorView = z.infer<typeof indicatorView>;

/** Counts by status within a sector group (the wall's "aggregated figures by group"). */
export const indicatorGroup = z.strictObject({
  sector: z.string().min(1).max(64),
  total: z.int().min(0),
  met: z.int().min(0),
  atRisk: z.int().min(0),
  notMet: z.int().min(0),
  noData: z.int().min(0),
});
export type IndicatorGroup = z.infer<typeof indicatorGroup>;

const indicatorId = z.string().min(1).max(64);

export const indicatorsListRequest = z.strictObject({
  /** Only these indicators; absent = all. */
  ids: z.array(indicatorId).max(256).optional(),
  /** Only these sector groups; absent = all. */
  sectors: z.array(z.string().min(1).max(64)).max(64).optional(),
  historyPoints: z.int().min(0).max(1000).default(120),
});

export const indicatorsListResponse = z.strictObject({
  indicators: z.array(indicatorView),
  /** Every group of the loaded indicators, whatever the filter. */
  groups: z.array(indicatorGroup),
});

/** A time range of indicator histories, for charts; downsampled to about maxPoints by bucket means. */
export const indicatorsHistoryRequest = z
  .strictObject({
    ids: z.array(indicatorId).min(1).max(16),
    from: z.int().min(0),
    /** Absent = now. */
    to: z.int().min(0).optional(),
    maxPoints: z.int().min(2).max(5000).default(500),
  })
  .refine((r) => r.to === undefined || r.to >= r.from, { path: ['to'], message: 'to comes after from' });

export const indicatorsHistoryResponse = z.strictObject({
  series: z.array(z.strictObject({ id: indicatorId, points: z.array(historyPoint), bucketMs: z.int().min(1).nullable() })),
});

/** Broadcast at most about once a second: the indicators whose value or status changed, with the history point each added, if any. */
export const indicatorsChangedEvent = z.strictObject({
  at: z.int(),
  indicators: z.array(indicatorCurrent.extend({ point: historyPoint.nullable() })),
  groups: z.array(indicatorGroup),
});
export type IndicatorsChangedEvent = z.infer<typeof indicatorsChangedEvent>;
