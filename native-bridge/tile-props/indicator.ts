import { z } from 'zod';

const indicatorId = z.string().min(1).max(64);

/** Props of the indicator tile: which indicators (by id, or a whole sector group, or all) and how to show them. */
export const indicatorProps = z.strictObject({
  /** Indicators to show, in this order; empty = every indicator of `sector` (or all of them). */
  ids: z.array(indicatorId).max(32).default([]),
  /** A sector group (disaster-prevention, environment, transport, …); only when `ids` is empty. */
  sector: z.string().min(1).max(64).optional(),
  /** cards: one tile-filling card each (a few headline figures); list: one row each (a whole group). */
  layout: z.enum(['cards', 'list']).default('cards'),
  sparkline: z.boolean().default(true),
  /** A header line counting met / at risk / not met of what is shown. */
  summary: z.boolean().default(true),
});
