import { z } from 'zod';

/**
 * Props of a single live camera. `stream` 'auto' picks the smallest stream that still covers the
 * tile at the display's pixel density (sub for small tiles, main for big ones).
 */
export const cameraProps = z.strictObject({
  /** A camera id of the live registry; '' = no camera chosen yet. */
  cameraId: z.string().max(128).default(''),
  stream: z.enum(['auto', 'main', 'sub']).default('auto'),
  showName: z.boolean().default(true),
});
