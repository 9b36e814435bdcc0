/**
 * TelemetryCache: the host-side handle on the telemetry cache (gateway link →
 * validate → cache writer). Everything touching SQLite runs in a worker_thread (cache-worker.ts);
 * the host thread only validates, buffers and posts.
 *
 * write() validates each change against the gateway protocol's StateItem schema (a bad change
 * throws, and nothing of that call is buffered), stamps receivedAt, and buffers; the buffer is
 * posted as one batch every 50 ms or at 2,000 changes, and the worker commits each batch in one
 * transaction. flush() resolves once everything written before it has committed: an acknowledged
 * write survives a crash of the process (see cache-db.ts on synchronous=NORMAL).
 */
import { resolve } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { z } from 'zod';
import { stateItem, type StateItem } from '../../../native-bridge/gateway-protocol.js';
import {
  DEFAULT_MAX_BYTES,
  DEFAULT_RETENTION,
  FLUSH_INTERVAL_MS,
  FLUSH_MAX_ITEMS,
  type CacheStats,
  type Change,
  type FlushReply,
  type LatestResult,
  type Reply,
  type Request,
  type RetentionOptions,
  type RetentionResult,
  type Row,
  type ReadingAt,
  type SeriesResult,
  type WorkerConfig,
} from './cache-protocol.js';
import { startRpcWorker, WorkerRpc, type RpcBody, type RpcResult } from '../worker-rpc.js';
import type { StorageKey } from '../storage-key.js';

export type { CacheStats, Change, LatestEntry, LatestResult, ReadingAt, RetentionOptions, RetentionResult, SeriesResult } from './cache-protocol.js';

export interface TelemetryCacheOptions {
  /** The data folder's storage key: the cache file is encrypted with it. */
  key: StorageKey;
  retention?: Partial<RetentionOptions>;
  /** Bound on the database size (page_count × page_size). Default 512 MiB. */
  maxBytes?: number;
  /** Period of the worker's retention job. Default 60 s; 0 = only on open and runRetention(). */
  retentionIntervalMs?: number;
  /** Host clock for receivedAt. Default Date.now. */
  now?: () => number;
  /** Changes posted but not yet committed above which write() drops changes (counted). Default 200,000. */
  maxPendingItems?: number;
  /** Failures outside a request (a batch rolled back, the retention job, the worker died); SQLite's code (e.g. SQLITE_FULL) is on `code`. Default console.error. */
  onError?: (error: Error) => void;
  /** Override the worker entry (e.g. a bundle that places cache-worker.js elsewhere). */
  workerUrl?: URL;
}

const gatewayIdSchema = z.string().min(1).max(128);
const deleteItemSchema = z.object({ type: z.enum(['sensor', 'reading', 'event', 'report', 'camera', 'object']), id: z.string().min(1).max(128) });

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0]!;
  return `${issue.path.join('.') || '(item)'}: ${issue.message}`;
}

function label(value: unknown): string {
  const v = value as { type?: unknown; id?: unknown } | null;
  return typeof v?.type === 'string' && typeof v.id === 'string' ? ` (${v.type}/${v.id.slice(0, 64)})` : '';
}

/** Validates one change; returns the parsed item (defaults applied) or throws an Error naming the field. */
function validateChange(context: string, index: number, change: unknown): Change {
  const c = change as { op?: unknown; item?: unknown } | null;
  if (typeof c !== 'object' || c === null || (c.op !== 'set' && c.op !== 'delete')) {
    throw new TypeError(`${context}: change ${index}: op must be 'set' or 'delete'`);
  }
  if (c.op === 'delete') {
    // Only type and id are meaningful for a delete (gateway protocol, UPDATE).
    const parsed = deleteItemSchema.safeParse(c.item);
    if (!parsed.success) throw new TypeError(`${context}: change ${index}${label(c.item)}: ${describeIssue(parsed.error)}`);
    return { op: 'delete', item: c.item as StateItem };
  }
  const parsed = stateItem.safeParse(c.item);
  if (!parsed.success) throw new TypeError(`${context}: change ${index}${label(c.item)}: ${describeIssue(parsed.error)}`);
  return { op: 'set', item: parsed.data };
}

/** An Error carrying SQLite's code, so the host can tell a full disk from a bug. */
function withCode(message: string, code: string | undefined): Error {
  return Object.assign(new Error(message), code ? { code } : {});
}

/** Who hands the changes over: any caller (validated here), or the gateway hub (validated once, on arrival). */
export type ChangeSource = 'caller' | 'hub';

export class TelemetryCache {
  private buffer: Row[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private pending = 0;
  private dropped = 0;
  private overloaded = false;
  private readonly rpc: WorkerRpc<Request, Reply>;

  private constructor(
    worker: Worker,
    /** The cache file (absolute). */
    readonly file: string,
    /** Where a damaged cache file was moved at open before an empty one was started, else null. */
    readonly movedAside: string | null,
    private readonly now: () => number,
    private readonly maxPendingItems: number,
    private readonly onError: (error: Error) => void,
  ) {
    this.rpc = new WorkerRpc(worker, 'telemetry cache', { onMessage: (reply) => this.onMessage(reply), onFail: (error) => this.onFail(error) });
  }

  /** Opens (creating and migrating if needed) the cache file and starts its worker. */
  static async open(file: string, options: TelemetryCacheOptions): Promise<TelemetryCache> {
    const retention: RetentionOptions = { ...DEFAULT_RETENTION, ...options.retention };
    for (const [key, value] of Object.entries(retention)) {
      if (!Number.isInteger(value) || value <= 0) throw new RangeError(`telemetry cache: retention.${key} must be a positive integer (ms), got ${value}`);
    }
    const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    if (!(maxBytes > 0)) throw new RangeError(`telemetry cache: maxBytes must be positive, got ${maxBytes}`);
    const config: WorkerConfig = {
      file: resolve(file),
      key: options.key,
      retention,
      maxBytes,
      retentionIntervalMs: options.retentionIntervalMs ?? 60_000,
      sizeCheckEveryBatches: 200,
    };
    let movedAside: string | null = null;
    const worker = await startRpcWorker<Reply>({
      callerUrl: import.meta.url,
      name: 'cache-worker',
      workerData: config,
      workerUrl: options.workerUrl,
      what: 'telemetry cache',
      phase: 'open',
      startFailure: (reply) => {
        // not a failure: the worker says, before 'ready', that it rebuilt a damaged file
        if (reply.kind === 'rebuilt') movedAside = reply.movedAside;
        if (reply.kind !== 'open-failed') return undefined;
        return new Error(reply.message.includes(config.file) ? reply.message : `telemetry cache: cannot open ${config.file}: ${reply.message}`);
      },
    });
    return new TelemetryCache(worker, config.file, movedAside, options.now ?? Date.now, options.maxPendingItems ?? 200_000, options.onError ?? ((e) => console.error(e)));
  }

  /**
   * Buffers changes from one gateway. Throws (and buffers none of them) if gatewayId or any change
   * fails the schema. Never blocks: under overload (worker too far behind) the changes are
   * dropped and counted in stats().dropped. Changes from the gateway hub, which validated each
   * item once as it arrived, are not parsed again (`from: 'hub'`).
   */
  write(gatewayId: string, changes: readonly Change[], from: ChangeSource = 'caller'): void {
    this.assertUsable();
    const context = `telemetry cache write(${JSON.stringify(String(gatewayId).slice(0, 64))})`;
    if (!gatewayIdSchema.safeParse(gatewayId).success) throw new TypeError(`${context}: gatewayId must be a string of 1–128 characters`);
    if (!Array.isArray(changes)) throw new TypeError(`${context}: changes must be an array`);
    const receivedAt = this.now();
    const rows = changes.map((change, i): Row => {
      const { op, item } = from === 'hub' ? change : validateChange(context, i, change);
      return { g: gatewayId, op, item, r: receivedAt };
    });
    if (this.pending + this.buffer.length + rows.length > this.maxPendingItems) {
      this.dropped += rows.length;
      if (!this.overloaded) {
        this.overloaded = true;
        this.onError(new Error(`telemetry cache: worker behind by more than ${this.maxPendingItems} changes; dropping writes until it catches up`));
      }
      return;
    }
    this.overloaded = false;
    for (const row of rows) this.buffer.push(row);
    if (this.buffer.length >= FLUSH_MAX_ITEMS) this.post();
    else this.timer ??= setTimeout(() => this.post(), FLUSH_INTERVAL_MS);
  }

  /** Changes written but not committed yet (buffered here or in the worker's queue). */
  get backlog(): number {
    return this.pending + this.buffer.length;
  }

  /** After a snapshot: the gateway's latest state becomes exactly `items` (history is kept). */
  replaceGateway(gatewayId: string, items: readonly StateItem[], from: ChangeSource = 'caller'): void {
    this.assertUsable();
    const context = `telemetry cache replaceGateway(${JSON.stringify(String(gatewayId).slice(0, 64))})`;
    if (!gatewayIdSchema.safeParse(gatewayId).success) throw new TypeError(`${context}: gatewayId must be a string of 1–128 characters`);
    if (!Array.isArray(items)) throw new TypeError(`${context}: items must be an array`);
    const parsed = from === 'hub' ? [...items] : items.map((item, i) => validateChange(context, i, { op: 'set', item }).item);
    this.post(); // keep order: everything written before the snapshot commits first
    this.rpc.post({ kind: 'replace', gatewayId, items: parsed, receivedAt: this.now() });
    this.pending += parsed.length;
  }

  /**
   * Resolves when everything written before it has committed; committed = changes committed since
   * open. Rejects if any of those changes failed to commit (their transaction rolled back).
   */
  async flush(): Promise<{ committed: number }> {
    this.post();
    const reply = (await this.request({ kind: 'flush' })) as FlushReply;
    if (reply.failedSinceLastFlush > 0) {
      throw new Error(`telemetry cache: ${reply.failedSinceLastFlush} changes were not committed: ${reply.lastFailure ?? 'unknown error'}`);
    }
    return { committed: reply.committed };
  }

  /** The last known state of every gateway, and when each was last heard from (host clock). */
  latest(): Promise<LatestResult> {
    return this.request({ kind: 'latest' }) as Promise<LatestResult>;
  }

  /** See CacheDb.series: raw points, or ≤ maxPoints buckets with avg/min/max. Committed data only. */
  series(sensorId: string, fromMs: number, toMs: number, maxPoints: number): Promise<SeriesResult> {
    return this.request({ kind: 'series', sensorId, fromMs, toMs, maxPoints }) as Promise<SeriesResult>;
  }

  /** Each sensor's last reading at or before atMs (sensors without one are left out). Committed data only. */
  readingsAt(sensorIds: readonly string[], atMs: number): Promise<ReadingAt[]> {
    return this.request({ kind: 'readingsAt', sensorIds: [...sensorIds], atMs }) as Promise<ReadingAt[]>;
  }

  async stats(): Promise<CacheStats> {
    const stats = (await this.request({ kind: 'stats' })) as Omit<CacheStats, 'pending' | 'dropped'>;
    return { ...stats, pending: this.backlog, dropped: this.dropped };
  }

  /** Runs the retention job now, as of `now` (tests use a fixed clock here). */
  runRetention(now: number = this.now()): Promise<RetentionResult> {
    return this.request({ kind: 'retention', now }) as Promise<RetentionResult>;
  }

  /** Commits what is buffered, closes the database and stops the worker. */
  close(): Promise<void> {
    this.post(); // nothing to post once closed or dead: write() refuses then
    return this.rpc.close();
  }

  private assertUsable(): void {
    if (this.rpc.dead) throw new Error(`telemetry cache is unusable: ${this.rpc.dead.message}`);
    if (this.rpc.closed) throw new Error('telemetry cache is closed');
  }

  private post(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.buffer.length === 0 || this.rpc.dead) return;
    const rows = this.buffer;
    this.buffer = [];
    this.pending += rows.length;
    this.rpc.post({ kind: 'batch', rows });
  }

  private request(request: RpcBody<Request>): Promise<unknown> {
    try {
      this.assertUsable();
    } catch (error) {
      return Promise.reject(error as Error);
    }
    return this.rpc.call(request);
  }

  private onMessage(reply: Exclude<Reply, RpcResult>): void {
    switch (reply.kind) {
      case 'batch-done':
        this.pending -= reply.items;
        if (!reply.ok) this.onError(withCode(`telemetry cache ${this.file}: a batch of ${reply.items} changes was rolled back: ${reply.message}`, reply.code));
        return;
      case 'error':
        this.onError(withCode(`telemetry cache ${this.file}: ${reply.message}`, reply.code));
        return;
      default:
        return;
    }
  }

  private onFail(error: Error): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.rpc.closed) this.onError(error);
  }
}
