/**
 * Indicator values over time in the wall database (indicator_history, migration 2): what trend
 * sparklines and charts draw, kept across restarts. One row per indicator and instant.
 */
import type { HistoryPoint } from '../../../native-bridge/indicators.js';
import type { Db } from '../database.js';
import { isStorageFailure } from '../sqlite-files.js';

export class IndicatorHistory {
  private readonly insert;
  private readonly recentRows;
  private readonly rangeRows;
  private readonly bucketRows;
  private readonly countRows;
  private readonly lastRow;

  constructor(private readonly db: Db) {
    this.insert = db.prepare<[string, number, number]>('INSERT OR REPLACE INTO indicator_history (indicator, at, value) VALUES (?, ?, ?)');
    this.recentRows = db.prepare<[string, number], [number, number]>('SELECT at, value FROM indicator_history WHERE indicator = ? ORDER BY at DESC LIMIT ?').raw(true);
    this.rangeRows = db.prepare<[string, number, number], [number, number]>('SELECT at, value FROM indicator_history WHERE indicator = ? AND at >= ? AND at <= ? ORDER BY at').raw(true);
    this.countRows = db.prepare<[string, number, number], number>('SELECT count(*) FROM indicator_history WHERE indicator = ? AND at >= ? AND at <= ?').pluck();
    // a bucket's mean at the bucket's start: a chart of a month of minute samples stays a few hundred points
    this.bucketRows = db
      .prepare<{ id: string; from: number; to: number; w: number }, [number, number]>(
        `SELECT CAST(@from AS INTEGER) + ((at - CAST(@from AS INTEGER)) / CAST(@w AS INTEGER)) * CAST(@w AS INTEGER) AS b, avg(value)
         FROM indicator_history WHERE indicator = @id AND at >= @from AND at <= @to GROUP BY b ORDER BY b`,
      )
      .raw(true);
    this.lastRow = db.prepare<[string], [number, number]>('SELECT at, value FROM indicator_history WHERE indicator = ? ORDER BY at DESC LIMIT 1').raw(true);
  }

  add(id: string, at: number, value: number): void {
    try {
      this.insert.run(id, at, value);
    } catch (error) {
      // a full disk: the sample is dropped (a gap in the trend); the host's storage alert says why
      if (!isStorageFailure(error)) throw error;
    }
  }

  /** The indicator's history becomes exactly these points (a table source: the file is the truth). */
  replace(id: string, points: readonly HistoryPoint[]): void {
    // unchanged (every start re-reads the same file): no write, so a host on a full disk still starts
    const stored = this.rangeRows.all(id, -Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
    if (stored.length === points.length && stored.every(([at, value], i) => at === points[i]![0] && value === points[i]![1])) return;
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM indicator_history WHERE indicator = ?').run(id);
      for (const [at, value] of points) this.insert.run(id, at, value);
    })();
  }

  last(id: string): HistoryPoint | null {
    return this.lastRow.get(id) ?? null;
  }

  /** The newest `count` points, oldest first. */
  recent(id: string, count: number): HistoryPoint[] {
    if (count === 0) return [];
    return this.recentRows.all(id, count).reverse();
  }

  /** Points in [from, to]; bucket means when there are more than maxPoints. */
  range(id: string, from: number, to: number, maxPoints: number): { points: HistoryPoint[]; bucketMs: number | null } {
    if (this.countRows.get(id, from, to)! <= maxPoints) return { points: this.rangeRows.all(id, from, to), bucketMs: null };
    const w = Math.max(1, Math.ceil((to - from + 1) / maxPoints));
    return { points: this.bucketRows.all({ id, from, to, w }), bucketMs: w };
  }

  /** Deletes the given indicators' points older than `before` (live samples; table and dataset points are few and kept). */
  prune(ids: readonly string[], before: number): number {
    const remove = this.db.prepare('DELETE FROM indicator_history WHERE indicator = ? AND at < ?');
    return this.db.transaction(() => ids.reduce((n, id) => n + remove.run(id, before).changes, 0))();
  }
}
