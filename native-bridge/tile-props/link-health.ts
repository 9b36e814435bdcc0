import { z } from 'zod';

/** Props of the gateway link health tile. */
export const linkHealthProps = z.strictObject({
  /** Show seq, gaps, snapshots and rejected counters. */
  showCounters: z.boolean().default(true),
});
