import { z } from 'zod';

/** Props of the alert list fed by the host. */
export const alertListProps = z.strictObject({
  minSeverity: z.enum(['info', 'warning', 'critical']).default('info'),
  showAcknowledged: z.boolean().default(true),
  maxItems: z.int().min(1).max(200).default(50),
});
