/**
 * Messages between TelemetryCache (host thread, cache-client.ts) and the cache worker
 * (cache-worker.ts, which owns the SQLite connection through CacheDb in cache-db.ts).
 * Types and constants only: both sides import it, and the worker bundle stays small.
 */
import type { StateItem } from '../../../native-bridge/gateway-protocol.js';
import type { RpcResult } from '../worker-rpc.js';
import type { StorageKey } from '../storage-key.js';

export interface RetentionOptions {
  /** Raw readings older than this (by reading time `at`) are rolled up, then deleted. Default 48 h. */
  rawMs: number;
  /** Rollups (and event history) older than this are deleted. Default 30 days. */
  rollupMs: number;
  /** Rollup bucket width. Default 60 s. */
  bucketMs: number;
}

export const DEFAULT_RETENTION: RetentionOptions = { rawMs: 48 * 3_600_000, rollupMs: 30 * 86_400_000, bucketMs: 60_000 };
export const DEFAULT_MAX_BYTES = 512 * 1024 * 1024;
export const FLUSH_INTERVAL_MS = 50;
export const FLUSH_MAX_ITEMS = 2_000;

/** What the worker needs to open the file (workerData). */
export interface WorkerConfig {
  file: string;
  key: StorageKey;
  retention: RetentionOptions;
  maxBytes: number;
  /** Period of the retention job in the worker; 0 = only on open and on request. */
  retentionIntervalMs: number;
  /** Check the size bound after every this many batches (between retention runs). */
  sizeCheckEveryBatches: number;
}

export interface Change {
  op: 'set' | 'delete';
  item: StateItem;
}

/** One validated change as it travels to the worker. */
export interface Row {
  /** gateway id */
  g: string;
  op: 'set' | 'delete';
  item: StateItem;
  /** received at (host clock, epoch ms) */
  r: number;
}

export interface LatestEntry {
  gatewayId: string;
  item: StateItem;
  receivedAt: number;
}

export interface LatestResult {
  items: LatestEntry[];
  lastUpdateByGateway: Record<string, number>;
}

export interface SeriesResult {
  at: number[];
  value: number[];
  min?: number[];
  max?: number[];
  /** Set when the series is downsampled: the width of each bucket; `at` is each bucket's start. */
  bucketMs?: number;
}

/** A sensor's last reading at or before a moment (a rollup's average once the raw readings are rolled up). */
export interface ReadingAt {
  sensorId: string;
  at: number;
  value: number;
}

export interface RetentionResult {
  /** Raw readings rolled up and deleted. */
  rolledUp: number;
  /** Rollup rows deleted for age. */
  rollupsDeleted: number;
  /** Event history rows deleted for age. */
  eventsDeleted: number;
  /** Rows deleted to honour maxBytes (raw readings first, then rollups, then events). */
  trimmedForSize: number;
  bytes: number;
}

export interface CacheStats {
  rows: { latest: number; readings: number; rollups: number; events: number; gateways: number };
  /** Database size: page_count × page_size (what maxBytes bounds). */
  bytes: number;
  freeBytes: number;
  walBytes: number;
  /** Batches committed by this worker (write batches and replaceGateway). */
  batches: number;
  /** Changes committed by this worker. */
  committed: number;
  /** Duration of the last batch transaction, ms. */
  lastCommitMs: number;
  /** When the last batch committed (epoch ms), 0 if none yet. */
  lastCommitAt: number;
  /** Changes that failed to commit (a batch's transaction rolled back). */
  failed: number;
  /** Set by the host: changes written but not yet committed, and changes dropped under overload. */
  pending: number;
  dropped: number;
}

export type Request =
  | { kind: 'batch'; rows: Row[] }
  | { kind: 'replace'; gatewayId: string; items: StateItem[]; receivedAt: number }
  | { kind: 'flush'; id: number }
  | { kind: 'latest'; id: number }
  | { kind: 'series'; id: number; sensorId: string; fromMs: number; toMs: number; maxPoints: number }
  | { kind: 'readingsAt'; id: number; sensorIds: string[]; atMs: number }
  | { kind: 'stats'; id: number }
  | { kind: 'retention'; id: number; now: number }
  | { kind: 'close'; id: number };

export type Reply =
  | { kind: 'ready' }
  | { kind: 'open-failed'; message: string }
  /** Before 'ready': the file was damaged, moved aside to `movedAside`, and an empty cache started. */
  | { kind: 'rebuilt'; movedAside: string }
  /** After each batch: `items` committed (ok) or rolled back (failed; `code` is SQLite's, e.g. SQLITE_FULL). */
  | { kind: 'batch-done'; items: number; ok: boolean; message?: string; code?: string | undefined }
  | RpcResult
  /** Something failed outside a request (e.g. the periodic retention job). */
  | { kind: 'error'; message: string; code?: string | undefined };

/** The flush reply value: committed = changes committed since open; failed = since the previous flush. */
export interface FlushReply {
  committed: number;
  failedSinceLastFlush: number;
  lastFailure?: string;
}
