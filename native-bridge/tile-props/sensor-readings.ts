import { z } from 'zod';
import { sensorKind } from '../gateway-protocol.js';

/** Props of the live sensor readings tile: which sensors (by kind, commune) and how to show them. */
export const sensorReadingsProps = z.strictObject({
  /** Sensor kinds to show; empty = all kinds. */
  kinds: z.array(sensorKind).max(16).default([]),
  /** Only sensors of this commune (exact name, case-insensitive); absent = all communes. */
  commune: z.string().min(1).max(200).optional(),
  layout: z.enum(['table', 'cards']).default('table'),
  maxRows: z.int().min(1).max(200).default(20),
  sparkline: z.boolean().default(true),
});
