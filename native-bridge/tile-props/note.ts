import { z } from 'zod';

/** Props of a text/markdown note. Markdown only: raw HTML is never rendered. */
export const noteProps = z.strictObject({
  markdown: z.string().max(20_000),
  fontScale: z.number().min(0.5).max(4).default(1),
  tone: z.enum(['neutral', 'info', 'warning', 'critical']).default('neutral'),
});
