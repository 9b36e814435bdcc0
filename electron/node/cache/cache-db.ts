/**
 * The telemetry cache's SQLite side: schema (numbered migrations in PRAGMA user_version, applied in
 * one transaction), the batched insert path, queries, and the retention / size-bound job.
 *
 * Synchronous (better-sqlite3-multiple-ciphers; the file is encrypted, sqlite-cipher.ts): it runs
 * inside the cache worker (cache-worker.ts), never on the host's event loop. Exported as a class so the worker stays a thin message loop.
 *
 * Durability: journal_mode=WAL + synchronous=NORMAL. A committed transaction is in the WAL file
 * before COMMIT returns, so it survives a crash or SIGKILL of the process; it may be lost on power
 * loss or an OS crash (the WAL is fsynced only at checkpoints). That is the right trade for bulk
 * telemetry: what must never be lost (commands, acks, audit) lives in the host DB (database.ts,
 * synchronous=FULL).
 */
import type Database from 'better-sqlite3-multiple-ciphers';
import { statSync } from 'node:fs';
import type { StateItem } from '../../../native-bridge/gateway-protocol.js';
import { openSqliteFile } from '../sqlite-files.js';
import type { StorageKey } from '../storage-key.js';
import type { CacheStats, LatestResult, ReadingAt, RetentionOptions, RetentionResult, Row, SeriesResult } from './cache-protocol.js';

const MIGRATIONS: readonly string[] = [
  // 1: latest state, readings history, rollups, events history, per-gateway last update.
  `
  -- The last known state of every (gateway, type, id): what the wall draws at start with every
  -- gateway offline. The latest value of a sensor is one primary-key lookup here.
  CREATE TABLE latest (
    gateway TEXT NOT NULL,
    type TEXT NOT NULL,
    id TEXT NOT NULL,
    item TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    PRIMARY KEY (gateway, type, id)
  ) WITHOUT ROWID;
  CREATE TABLE gateways (
    gateway TEXT PRIMARY KEY,
    last_update INTEGER NOT NULL
  ) WITHOUT ROWID;
  -- Raw readings. Sensor ids are assumed unique across gateways (series() is keyed by sensor id).
  -- One row per (sensor, reading time): a repeated reading (e.g. in a snapshot) overwrites itself.
  CREATE TABLE readings (
    sensor TEXT NOT NULL,
    at INTEGER NOT NULL,
    value REAL NOT NULL,
    extra TEXT,
    PRIMARY KEY (sensor, at)
  ) WITHOUT ROWID;
  CREATE INDEX readings_at ON readings(at);
  CREATE TABLE rollups (
    sensor TEXT NOT NULL,
    bucket_start INTEGER NOT NULL,
    avg REAL NOT NULL,
    min REAL NOT NULL,
    max REAL NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (sensor, bucket_start)
  ) WITHOUT ROWID;
  CREATE INDEX rollups_bucket_start ON rollups(bucket_start);
  -- Every distinct state of an event (by its time and cleared flag); deleted_at when the gateway
  -- deleted it.
  CREATE TABLE events (
    gateway TEXT NOT NULL,
    id TEXT NOT NULL,
    at INTEGER NOT NULL,
    cleared INTEGER NOT NULL,
    severity TEXT NOT NULL,
    category TEXT NOT NULL,
    item TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    deleted_at INTEGER,
    PRIMARY KEY (gateway, id, at, cleared)
  ) WITHOUT ROWID;
  CREATE INDEX events_at ON events(at);
  `,
];

export const CACHE_SCHEMA_VERSION = MIGRATIONS.length;

/** Rows deleted per statement when enforcing the size bound. */
const TRIM_CHUNK = 20_000;

export interface CacheDbOptions {
  key: StorageKey;
  retention: RetentionOptions;
  maxBytes: number;
}

export class CacheDb {
  readonly db: Database.Database;
  /** Where a damaged cache file was moved before this empty one was started, else null (the cache is rebuilt from the gateways). */
  readonly movedAside: string | null;
  private readonly retention: RetentionOptions;
  private readonly maxBytes: number;
  batches = 0;
  committed = 0;
  failed = 0;
  lastCommitMs = 0;
  lastCommitAt = 0;

  private readonly stmt;
  private readonly applyRows: (rows: readonly Row[]) => void;
  private readonly replaceTx: (gatewayId: string, items: readonly StateItem[], receivedAt: number) => void;

  constructor(
    readonly file: string,
    options: CacheDbOptions,
  ) {
    this.retention = options.retention;
    this.maxBytes = options.maxBytes;
    const opened = openSqliteFile(file, {
      kind: 'telemetry cache',
      key: options.key,
      setup: (db) => {
        // auto_vacuum can only be chosen before the first table exists; INCREMENTAL lets the size
        // bound give pages back to the OS with PRAGMA incremental_vacuum (no full VACUUM ever).
        if ((db.pragma('user_version', { simple: true }) as number) === 0 && (db.pragma('page_count', { simple: true }) as number) <= 1) {
          db.pragma('auto_vacuum = INCREMENTAL');
        }
        db.pragma('journal_mode = WAL');
        // See the header: durable against process crash, not against power loss.
        db.pragma('synchronous = NORMAL');
        db.pragma('busy_timeout = 5000');
        // Checkpoints truncate the WAL back to this size, so a burst does not leave a huge -wal file.
        db.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
        db.pragma('cache_size = -16000');
        db.pragma('temp_store = MEMORY');
        migrate(db, file);
      },
      onDamage: { rebuild: true },
    });
    const db = opened.db;
    this.db = db;
    this.movedAside = opened.movedAside;

    this.stmt = {
      upsertLatest: db.prepare(
        `INSERT INTO latest (gateway, type, id, item, received_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (gateway, type, id) DO UPDATE SET item = excluded.item, received_at = excluded.received_at`,
      ),
      deleteLatest: db.prepare('DELETE FROM latest WHERE gateway = ? AND type = ? AND id = ?'),
      clearGateway: db.prepare('DELETE FROM latest WHERE gateway = ?'),
      upsertReading: db.prepare(
        `INSERT INTO readings (sensor, at, value, extra) VALUES (?, ?, ?, ?)
         ON CONFLICT (sensor, at) DO UPDATE SET value = excluded.value, extra = excluded.extra`,
      ),
      upsertEvent: db.prepare(
        `INSERT INTO events (gateway, id, at, cleared, severity, category, item, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (gateway, id, at, cleared) DO UPDATE SET severity = excluded.severity, category = excluded.category,
           item = excluded.item, received_at = excluded.received_at, deleted_at = NULL`,
      ),
      markEventDeleted: db.prepare('UPDATE events SET deleted_at = ? WHERE gateway = ? AND id = ? AND deleted_at IS NULL'),
      touchGateway: db.prepare(
        `INSERT INTO gateways (gateway, last_update) VALUES (?, ?)
         ON CONFLICT (gateway) DO UPDATE SET last_update = max(last_update, excluded.last_update)`,
      ),
      latest: db.prepare('SELECT gateway, item, received_at FROM latest ORDER BY gateway, type, id').raw(true),
      gateways: db.prepare('SELECT gateway, last_update FROM gateways').raw(true),
      countRaw: db.prepare('SELECT count(*) FROM readings WHERE sensor = ? AND at >= ? AND at <= ?').pluck(),
      countRollups: db.prepare('SELECT count(*) FROM rollups WHERE sensor = ? AND bucket_start >= ? AND bucket_start <= ?').pluck(),
      readingAt: db.prepare('SELECT at, value FROM readings WHERE sensor = ? AND at <= ? ORDER BY at DESC LIMIT 1').raw(true),
      rollupAt: db.prepare('SELECT bucket_start, avg FROM rollups WHERE sensor = ? AND bucket_start <= ? ORDER BY bucket_start DESC LIMIT 1').raw(true),
      rawSeries: db.prepare('SELECT at, value FROM readings WHERE sensor = ? AND at >= ? AND at <= ? ORDER BY at').raw(true),
      // Output bucket b covers [from + b·w, from + (b+1)·w). A rollup row falls in the bucket of its
      // bucket_start. Parameters are CAST because better-sqlite3 binds numbers beyond int32 as REAL,
      // and REAL arithmetic would turn the bucket index into a fraction.
      bucketSeries: db
        .prepare(
          `WITH parts AS (
             SELECT (at - CAST(@from AS INTEGER)) / CAST(@w AS INTEGER) AS b, sum(value) AS s, count(*) AS c, min(value) AS lo, max(value) AS hi
               FROM readings WHERE sensor = @sensor AND at >= @from AND at <= @to GROUP BY b
             UNION ALL
             SELECT (bucket_start - CAST(@from AS INTEGER)) / CAST(@w AS INTEGER) AS b, sum(avg * count), sum(count), min(min), max(max)
               FROM rollups WHERE sensor = @sensor AND bucket_start >= @from AND bucket_start <= @to GROUP BY b
           )
           SELECT b, sum(s) / sum(c), min(lo), max(hi) FROM parts GROUP BY b ORDER BY b`,
        )
        .raw(true),
      rollUp: db.prepare(
        `INSERT INTO rollups (sensor, bucket_start, avg, min, max, count)
           SELECT sensor, (at / CAST(@bucket AS INTEGER)) * CAST(@bucket AS INTEGER) AS bs, avg(value), min(value), max(value), count(*)
             FROM readings WHERE at < @cutoff GROUP BY sensor, bs
         ON CONFLICT (sensor, bucket_start) DO UPDATE SET
           avg = (avg * count + excluded.avg * excluded.count) / (count + excluded.count),
           min = min(min, excluded.min), max = max(max, excluded.max), count = count + excluded.count`,
      ),
      deleteRawBefore: db.prepare('DELETE FROM readings WHERE at < ?'),
      deleteRollupsBefore: db.prepare('DELETE FROM rollups WHERE bucket_start < ?'),
      deleteEventsBefore: db.prepare('DELETE FROM events WHERE at < ?'),
    };

    const s = this.stmt;
    const record = (gatewayId: string, item: StateItem, receivedAt: number): void => {
      const json = JSON.stringify(item);
      s.upsertLatest.run(gatewayId, item.type, item.id, json, receivedAt);
      if (item.type === 'reading') {
        s.upsertReading.run(item.id, item.at, item.value, Object.keys(item.extra).length > 0 ? JSON.stringify(item.extra) : null);
      } else if (item.type === 'event') {
        s.upsertEvent.run(gatewayId, item.id, item.at, item.cleared ? 1 : 0, item.severity, item.category, json, receivedAt);
      }
    };
    this.applyRows = db.transaction((rows: readonly Row[]) => {
      const touched = new Map<string, number>();
      for (const row of rows) {
        if (row.op === 'set') {
          record(row.g, row.item, row.r);
        } else {
          s.deleteLatest.run(row.g, row.item.type, row.item.id);
          if (row.item.type === 'event') s.markEventDeleted.run(row.r, row.g, row.item.id);
        }
        touched.set(row.g, Math.max(touched.get(row.g) ?? 0, row.r));
      }
      for (const [gatewayId, at] of touched) s.touchGateway.run(gatewayId, at);
    });
    this.replaceTx = db.transaction((gatewayId: string, items: readonly StateItem[], receivedAt: number) => {
      s.clearGateway.run(gatewayId);
      for (const item of items) record(gatewayId, item, receivedAt);
      s.touchGateway.run(gatewayId, receivedAt);
    });
  }

  /** One transaction for the whole batch; throws (after rolling back) if any row fails. */
  applyBatch(rows: readonly Row[]): void {
    this.timed(rows.length, () => this.applyRows(rows));
  }

  /** After a snapshot: the gateway's latest-state rows become exactly `items`; history is kept. */
  replaceGateway(gatewayId: string, items: readonly StateItem[], receivedAt: number): void {
    this.timed(items.length, () => this.replaceTx(gatewayId, items, receivedAt));
  }

  private timed(items: number, fn: () => void): void {
    const t0 = performance.now();
    try {
      fn();
    } catch (error) {
      this.failed += items;
      throw error;
    }
    this.lastCommitMs = performance.now() - t0;
    this.lastCommitAt = Date.now();
    this.batches++;
    this.committed += items;
  }

  latest(): LatestResult {
    const items = (this.stmt.latest.all() as [string, string, number][]).map(([gatewayId, json, receivedAt]) => ({
      gatewayId,
      item: JSON.parse(json) as StateItem,
      receivedAt,
    }));
    const lastUpdateByGateway: Record<string, number> = {};
    for (const [gatewayId, at] of this.stmt.gateways.all() as [string, number][]) lastUpdateByGateway[gatewayId] = at;
    return { items, lastUpdateByGateway };
  }

  /**
   * Readings of one sensor with fromMs ≤ at ≤ toMs, oldest first. Raw points when there are at
   * most maxPoints of them and no part of the range has been rolled up; otherwise at most
   * maxPoints buckets of width w = ceil((toMs − fromMs + 1) / maxPoints), bucket i starting at
   * fromMs + i·w, each with avg (value), min and max over raw readings and rollups (a rollup row
   * counts in the bucket containing its bucket_start). Empty buckets are omitted.
   */
  series(sensorId: string, fromMs: number, toMs: number, maxPoints: number): SeriesResult {
    if (!(toMs >= fromMs) || !Number.isFinite(fromMs) || !Number.isFinite(toMs)) return { at: [], value: [] };
    const points = Math.max(1, Math.floor(maxPoints));
    const raw = this.stmt.countRaw.get(sensorId, fromMs, toMs) as number;
    const rolled = this.stmt.countRollups.get(sensorId, fromMs, toMs) as number;
    if (rolled === 0 && raw <= points) {
      const rows = this.stmt.rawSeries.all(sensorId, fromMs, toMs) as [number, number][];
      return { at: rows.map((r) => r[0]), value: rows.map((r) => r[1]) };
    }
    const w = Math.ceil((toMs - fromMs + 1) / points);
    const rows = this.stmt.bucketSeries.all({ sensor: sensorId, from: fromMs, to: toMs, w }) as [number, number, number, number][];
    return {
      at: rows.map((r) => fromMs + r[0] * w),
      value: rows.map((r) => r[1]),
      min: rows.map((r) => r[2]),
      max: rows.map((r) => r[3]),
      bucketMs: w,
    };
  }

  /**
   * Each sensor's last reading at or before atMs: the raw one, else (rolled up) its latest
   * bucket's average. One primary-key range step per sensor.
   */
  readingsAt(sensorIds: readonly string[], atMs: number): ReadingAt[] {
    return sensorIds.flatMap((sensorId): ReadingAt[] => {
      const row = (this.stmt.readingAt.get(sensorId, atMs) ?? this.stmt.rollupAt.get(sensorId, atMs)) as [number, number] | undefined;
      return row ? [{ sensorId, at: row[0], value: row[1] }] : [];
    });
  }

  /**
   * Roll raw readings older than rawMs (whole buckets only) into rollups and delete them; delete
   * rollups and event history older than rollupMs; then enforce the size bound.
   */
  runRetention(now: number): RetentionResult {
    const { rawMs, rollupMs, bucketMs } = this.retention;
    const cutoff = Math.floor((now - rawMs) / bucketMs) * bucketMs;
    const aged = this.db.transaction(() => {
      this.stmt.rollUp.run({ bucket: bucketMs, cutoff });
      const rolledUp = this.stmt.deleteRawBefore.run(cutoff).changes;
      const rollupsDeleted = this.stmt.deleteRollupsBefore.run(now - rollupMs).changes;
      const eventsDeleted = this.stmt.deleteEventsBefore.run(now - rollupMs).changes;
      return { rolledUp, rollupsDeleted, eventsDeleted };
    })();
    const trimmedForSize = this.enforceSizeBound();
    return { ...aged, trimmedForSize, bytes: this.sizes().bytes };
  }

  /**
   * If the used pages exceed maxBytes, delete the oldest raw readings (then, if none are left, the
   * oldest rollups, then events) in chunks until used pages ≤ 90 % of maxBytes. Freed pages go
   * to the freelist and are reused by later inserts; if the file itself is over maxBytes,
   * PRAGMA incremental_vacuum gives the surplus free pages back to the OS (no VACUUM, which would
   * rewrite the whole file). Returns rows deleted.
   */
  enforceSizeBound(): number {
    const { pageSize } = this.sizes();
    let { pageCount, freeCount } = this.sizes();
    if (pageCount * pageSize <= this.maxBytes) return 0;
    const target = Math.floor((this.maxBytes * 0.9) / pageSize);
    const steps = [this.trimOldest('readings', 'at'), this.trimOldest('rollups', 'bucket_start'), this.trimOldest('events', 'at')];
    let deleted = 0;
    for (const step of steps) {
      while (pageCount - freeCount > target) {
        // Rows are roughly proportional to pages: delete the excess share, plus a little.
        const used = pageCount - freeCount;
        const n = step(Math.min(1, ((used - target) / used) * 1.1));
        if (n === 0) break;
        deleted += n;
        ({ pageCount, freeCount } = this.sizes());
      }
    }
    // The file is over maxBytes: give the free pages back to the OS.
    if (freeCount > 0) {
      this.db.pragma('incremental_vacuum');
      // Apply the truncation to the main file now instead of at the next automatic checkpoint.
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    }
    return deleted;
  }

  /**
   * A step deleting the oldest rows of a table (by an indexed time column): about `fraction` of
   * the rows left, at least 1 and at most TRIM_CHUNK (ties at the boundary go too). Returns rows
   * deleted.
   */
  private trimOldest(table: string, column: string): (fraction: number) => number {
    const boundary = this.db.prepare(`SELECT ${column} FROM ${table} ORDER BY ${column} LIMIT 1 OFFSET ?`).pluck();
    const count = this.db.prepare(`SELECT count(*) FROM ${table}`).pluck();
    const remove = this.db.prepare(`DELETE FROM ${table} WHERE ${column} <= ?`);
    return (fraction) => {
      const left = count.get() as number;
      if (left === 0) return 0;
      const n = Math.min(TRIM_CHUNK, Math.max(1, Math.ceil(left * fraction)));
      return remove.run(boundary.get(n - 1) as number).changes;
    };
  }

  sizes(): { pageSize: number; pageCount: number; freeCount: number; bytes: number } {
    const pageSize = this.db.pragma('page_size', { simple: true }) as number;
    const pageCount = this.db.pragma('page_count', { simple: true }) as number;
    const freeCount = this.db.pragma('freelist_count', { simple: true }) as number;
    return { pageSize, pageCount, freeCount, bytes: pageSize * pageCount };
  }

  stats(): Omit<CacheStats, 'pending' | 'dropped'> {
    const count = (table: string) => this.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
    const { bytes, freeCount, pageSize } = this.sizes();
    let walBytes = 0;
    try {
      walBytes = statSync(`${this.file}-wal`).size;
    } catch {
      // no WAL file right now
    }
    return {
      rows: { latest: count('latest'), readings: count('readings'), rollups: count('rollups'), events: count('events'), gateways: count('gateways') },
      bytes,
      freeBytes: freeCount * pageSize,
      walBytes,
      batches: this.batches,
      committed: this.committed,
      lastCommitMs: this.lastCommitMs,
      lastCommitAt: this.lastCommitAt,
      failed: this.failed,
    };
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function migrate(db: Database.Database, file: string): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(`${file} has cache schema version ${current}, newer than this build (${MIGRATIONS.length}); refusing to open it`);
  }
  db.transaction(() => {
    for (let version = current; version < MIGRATIONS.length; version++) {
      db.exec(MIGRATIONS[version]!);
      db.pragma(`user_version = ${version + 1}`);
    }
  })();
}
