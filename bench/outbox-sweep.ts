/** `npm run bench -- outbox-sweep [backlog]`: the retry sweep with 0 vs a backlog of commands for an offline gateway. */
import { measureOutboxSweep } from './support/outbox-sweep.js';

export function run(args: string[]) {
  return measureOutboxSweep(args[0] ? { backlog: Number(args[0]) } : {});
}
