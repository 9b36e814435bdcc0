import { z } from 'zod';

/** Props of the clock/status bar: time in Asia/Ho_Chi_Minh plus node and link health. */
export const clockStatusProps = z.strictObject({
  showSeconds: z.boolean().default(true),
  showDate: z.boolean().default(true),
  showLinks: z.boolean().default(true),
});
