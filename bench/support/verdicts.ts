/**
 * How a benchmark judges its own run: how much of the work it measured, and whether a goal is
 * met. A goal counts as met only when every part of the work was measured (a timed-out activation,
 * a camera that never played, a rate that failed below the reported one is not a pass). Pure.
 */
import { maxOf } from '../../native-bridge/extremes.js';

/** How much of the work a figure covers. */
export interface Coverage {
  measured: number;
  expected: number;
  complete: boolean;
}

/** Complete when there was work and all of it was measured. */
export const coverage = (measured: number, expected: number): Coverage => ({ measured, expected, complete: expected > 0 && measured === expected });

/** `figure ≤ limit`, and the figure covers all of the work. */
export const goalMet = (covered: Coverage, figure: number, limit: number): boolean => covered.complete && figure <= limit;

/** One wall window's visible camera cells of a scenario's grid, each with its first frame (epoch ms) or null. */
export interface WindowCells {
  cells: readonly { id: string; firstAt: number | null }[];
}

/**
 * scenario-recall's first frame of one activation: the last first frame over every camera of the
 * grid in every window showing it; censored (the deadline, a lower bound) unless every camera of
 * the grid showed in some window and had a frame in each window showing it.
 */
export function firstFrameOf(windows: readonly WindowCells[], gridCameras: readonly string[], t0: number, endAt: number): { ms: number; censored: boolean; cameras: Coverage } {
  const shown = windows.flatMap((w) => w.cells);
  const measured = gridCameras.filter((id) => {
    const own = shown.filter((c) => c.id === id);
    return own.length > 0 && own.every((c) => c.firstAt !== null);
  });
  const cameras = coverage(measured.length, gridCameras.length);
  // every cell of the grid, never an empty list: no frame is no instant frame
  const ms = cameras.complete ? maxOf(shown.filter((c) => gridCameras.includes(c.id)).map((c) => c.firstAt!)) - t0 : endAt - t0;
  return { ms, censored: !cameras.complete, cameras };
}

/** One rate of the ingest benchmark. */
export interface RateResult {
  rate: number;
  achieved: number;
  published: number;
  committed: number;
  gaps: number;
}

/** Published readings that never reached the cache (negative: more committed than published). */
export const readingsLost = (r: Pick<RateResult, 'published' | 'committed'>): number => r.published - r.committed;

/** A rate ran clean: held within 5 %, every reading committed exactly once, no gap. */
export const rateClean = (r: RateResult): boolean => readingsLost(r) === 0 && r.gaps === 0 && r.achieved >= r.rate * 0.95;

/** The highest rate that ran clean together with every lower rate (0 if the lowest failed). */
export function highestCleanRate(results: readonly RateResult[]): number {
  let highest = 0;
  for (const r of [...results].sort((a, b) => a.rate - b.rate)) {
    if (!rateClean(r)) break;
    highest = r.rate;
  }
  return highest;
}
