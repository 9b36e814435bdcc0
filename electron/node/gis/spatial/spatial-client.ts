/**
 * SpatialClient: the host-side handle on the spatial index, which runs in a worker_thread
 * (spatial-worker.ts) so that a million-point query or aggregate never stalls the host thread.
 * Every method validates its request with the schemas of native-bridge/spatial-query.ts and
 * rejects with an error naming the field ("spatial query: shape.radiusM: …") before posting.
 * Requests are answered in the order they were made.
 */
import { Worker } from 'node:worker_threads';
import { startSiblingWorker } from '../../worker-entry.js';
import { z } from 'zod';
import {
  areaAggregateRequest,
  describeSpatialIssue,
  spatialAreas,
  spatialPoint,
  spatialQuery,
  type AreaAggregateInput,
  type AreaAggregateResult,
  type SpatialArea,
  type SpatialPoint,
  type SpatialQueryInput,
  type SpatialQueryResult,
} from '../../../../native-bridge/spatial-query.js';
import { encodePoints, type SpatialIndexStats } from './spatial-index.js';
import type { SpatialReply, SpatialRequest, SpatialWorkerConfig } from './spatial-worker.js';

export interface SpatialClientOptions extends SpatialWorkerConfig {
  /** Override the worker entry (e.g. a bundle that places spatial-worker.js elsewhere). */
  workerUrl?: URL;
}

const spatialPoints = z.array(spatialPoint);
const pointIds = z.array(z.string().min(1).max(256));

/** Parses `value` or throws a TypeError naming the field ("shape.radiusM: …", "points.3.lat: …" with name 'points'). */
function validate<T extends z.ZodType>(schema: T, value: unknown, name?: string): z.output<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new TypeError(describeSpatialIssue(parsed.error, name));
  return parsed.data;
}

/** The worker beside this module (.ts under tsx, .js beside a bundle), or the override. */
function startWorker(config: SpatialWorkerConfig, override?: URL): Worker {
  if (override) return new Worker(override, { workerData: config });
  return startSiblingWorker(import.meta.url, 'spatial-worker', config, 'spatial index');
}

/** A request without its id (distributes over the union). */
type RequestBody = SpatialRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

interface Waiter {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

export class SpatialClient {
  private readonly waiters = new Map<number, Waiter>();
  private nextId = 1;
  private closed = false;
  private dead: Error | undefined;
  private readonly exited: Promise<void>;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (reply: SpatialReply) => this.onReply(reply));
    this.exited = new Promise((resolveExit) => {
      worker.on('exit', (code) => {
        if (!this.closed) this.fail(new Error(`spatial index worker exited unexpectedly (code ${code})`));
        resolveExit();
      });
    });
    worker.on('error', (error) => this.fail(error instanceof Error ? error : new Error(String(error))));
  }

  /** Starts the worker; resolves once it is ready for requests. */
  static async start(options: SpatialClientOptions = {}): Promise<SpatialClient> {
    const { workerUrl, ...config } = options;
    if (config.overlayLimit !== undefined && !(Number.isInteger(config.overlayLimit) && config.overlayLimit > 0)) {
      throw new RangeError(`spatial index: overlayLimit must be a positive integer, got ${config.overlayLimit}`);
    }
    const worker = startWorker(config, workerUrl);
    await new Promise<void>((resolveStart, rejectStart) => {
      const onMessage = (reply: SpatialReply) => reply.kind === 'ready' && done();
      const onError = (error: unknown) => done(error instanceof Error ? error : new Error(String(error)));
      const onExit = (code: number) => done(new Error(`spatial index worker exited during start (code ${code})`));
      const done = (error?: Error) => {
        worker.off('message', onMessage).off('error', onError).off('exit', onExit);
        if (error) {
          void worker.terminate();
          rejectStart(error);
        } else resolveStart();
      };
      worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    });
    return new SpatialClient(worker);
  }

  /** Replaces the administrative areas (ids unique) and re-tags every point. */
  setAreas(areas: readonly SpatialArea[]): Promise<{ areas: number; tookMs: number }> {
    return this.request('spatial index setAreas', () => ({ kind: 'set-areas', areas: validate(spatialAreas, areas, 'areas') }));
  }

  /** Adds points, or updates those whose id is known (a moved point is re-tagged with its area). */
  upsertPoints(points: readonly SpatialPoint[]): Promise<{ upserted: number; tookMs: number }> {
    return this.request('spatial index upsertPoints', () => {
      const columns = encodePoints(validate(spatialPoints, points, 'points'));
      const body: RequestBody = { kind: 'upsert', columns };
      return [body, [columns.lon.buffer, columns.lat.buffer, columns.layer.buffer, columns.kind.buffer, columns.state.buffer]];
    });
  }

  /** Unknown ids are ignored; removed counts the others. */
  removePoints(ids: readonly string[]): Promise<{ removed: number; tookMs: number }> {
    return this.request('spatial index removePoints', () => ({ kind: 'remove', ids: validate(pointIds, ids, 'ids') }));
  }

  query(query: SpatialQueryInput): Promise<SpatialQueryResult> {
    return this.request('spatial query', () => ({ kind: 'query', query: validate(spatialQuery, query) }));
  }

  /** Counts per commune (from the areas tagged at ingest), for the choropleth. */
  aggregateByArea(request: AreaAggregateInput = {}): Promise<AreaAggregateResult> {
    return this.request('spatial aggregate', () => ({ kind: 'aggregate', request: validate(areaAggregateRequest, request) }));
  }

  stats(): Promise<SpatialIndexStats> {
    return this.request('spatial index stats', () => ({ kind: 'stats' }));
  }

  /** Stops the worker after the requests already made. */
  async close(): Promise<void> {
    if (this.closed) return this.exited;
    if (this.dead) {
      this.closed = true;
      return;
    }
    const closing = this.request('spatial index close', () => ({ kind: 'close' }));
    this.closed = true;
    try {
      await closing;
    } finally {
      await this.exited;
    }
  }

  /** Builds the request (validation errors become rejections, prefixed with context) and posts it. */
  private request<T>(context: string, build: () => RequestBody | [RequestBody, ArrayBuffer[]]): Promise<T> {
    let body: RequestBody;
    let transfer: ArrayBuffer[] = [];
    try {
      if (this.dead) throw new Error(`unusable: ${this.dead.message}`);
      if (this.closed) throw new Error('closed');
      const built = build();
      [body, transfer] = Array.isArray(built) ? built : [built, []];
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return Promise.reject(error instanceof TypeError ? new TypeError(`${context}: ${message}`) : new Error(`${context}: ${message}`));
    }
    const id = this.nextId++;
    return new Promise<T>((resolveRequest, rejectRequest) => {
      this.waiters.set(id, { resolve: resolveRequest as (value: unknown) => void, reject: rejectRequest });
      this.worker.postMessage({ ...body, id } as SpatialRequest, transfer);
    });
  }

  private onReply(reply: SpatialReply): void {
    if (reply.kind !== 'result') return;
    const waiter = this.waiters.get(reply.id);
    if (!waiter) return;
    this.waiters.delete(reply.id);
    if (reply.ok) waiter.resolve(reply.value);
    else waiter.reject(new Error(`spatial index: ${reply.message}`));
  }

  private fail(error: Error): void {
    if (this.dead) return;
    this.dead = error;
    for (const waiter of this.waiters.values()) waiter.reject(error);
    this.waiters.clear();
  }
}
