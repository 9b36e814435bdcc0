/**
 * `npm run bench -- host-kill-loop [kills]`: SIGKILLs a real host `kills` times (default 100) under
 * a console's stream of wall and field commands; prints restarts survived, acknowledged commands
 * lost (must be 0) and commands applied but not acknowledged (bench/support/kill-loop.ts).
 */
import { killLoop, type KillLoopResult } from './support/kill-loop.js';

export async function run(args: string[]): Promise<KillLoopResult> {
  const kills = Number(args[0] ?? 100);
  if (!Number.isInteger(kills) || kills < 1) throw new Error(`kills must be a whole number ≥ 1, not "${args[0]}"`);
  return killLoop(kills, (line) => console.error(line));
}
