import { z } from 'zod';

export const cameraGridLayouts = ['1x1', '2x2', '3x3', '4x4', 'custom'] as const;

/**
 * Props of a grid of live cameras. `cameras` are the cells in reading order ('' = empty cell);
 * `maximized` is the camera shown alone across the whole tile (null = the grid). A tour rotates
 * its cameras through the cells, page by page, every `dwellSeconds` — derived from the clock, so
 * every window showing the tile shows the same page.
 */
export const cameraGridProps = z.strictObject({
  layout: z.enum(cameraGridLayouts).default('2x2'),
  /** Used by the 'custom' layout. */
  columns: z.int().min(1).max(8).default(2),
  rows: z.int().min(1).max(8).default(2),
  cameras: z.array(z.string().max(128)).max(64).default([]),
  maximized: z.string().max(128).nullable().default(null),
  tour: z
    .strictObject({
      enabled: z.boolean().default(false),
      dwellSeconds: z.int().min(5).max(3600).default(15),
      cameras: z.array(z.string().max(128)).max(256).default([]),
    })
    .optional(),
});
