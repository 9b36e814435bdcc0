/**
 * SpatialClient: the host-side handle on the spatial index, which runs in a worker_thread
 * (spatial-worker.ts) so that a million-point query or aggregate never stalls the host thread.
 * Every method validates its request with the schemas of native-bridge/spatial-query.ts and
 * rejects with an error naming the field ("spatial query: shape.radiusM: …") before posting.
 * Requests are answered in the order they were made.
 */
import type { Worker } from 'node:worker_threads';
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
import { startRpcWorker, WorkerRpc, type RpcBody } from '../../worker-rpc.js';

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

type RequestBody = RpcBody<SpatialRequest>;

/** Area ids or names a query is limited to (the host passes a commune-scoped reader's communes). */
const areaNames = z.array(z.string().min(1).max(256)).max(4000);
const areasWithin = (within: readonly string[] | undefined): { within?: string[] } => (within === undefined ? {} : { within: validate(areaNames, within, 'within') });

export class SpatialClient {
  private readonly rpc: WorkerRpc<SpatialRequest, SpatialReply>;

  private constructor(worker: Worker) {
    this.rpc = new WorkerRpc(worker, 'spatial index');
  }

  /** Starts the worker; resolves once it is ready for requests. */
  static async start(options: SpatialClientOptions = {}): Promise<SpatialClient> {
    const { workerUrl, ...config } = options;
    if (config.overlayLimit !== undefined && !(Number.isInteger(config.overlayLimit) && config.overlayLimit > 0)) {
      throw new RangeError(`spatial index: overlayLimit must be a positive integer, got ${config.overlayLimit}`);
    }
    const worker = await startRpcWorker<SpatialReply>({
      callerUrl: import.meta.url,
      name: 'spatial-worker',
      workerData: config,
      workerUrl,
      what: 'spatial index',
      phase: 'start',
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

  /** `within`: only points in these areas (ids or names), e.g. a commune-scoped reader's communes. */
  query(query: SpatialQueryInput, within?: readonly string[]): Promise<SpatialQueryResult> {
    return this.request('spatial query', () => ({ kind: 'query', query: validate(spatialQuery, query), ...areasWithin(within) }));
  }

  /** Counts per commune (from the areas tagged at ingest), for the choropleth; `within` as for query. */
  aggregateByArea(request: AreaAggregateInput = {}, within?: readonly string[]): Promise<AreaAggregateResult> {
    return this.request('spatial aggregate', () => ({ kind: 'aggregate', request: validate(areaAggregateRequest, request), ...areasWithin(within) }));
  }

  stats(): Promise<SpatialIndexStats> {
    return this.request('spatial index stats', () => ({ kind: 'stats' }));
  }

  /** Stops the worker after the requests already made. */
  close(): Promise<void> {
    return this.rpc.close();
  }

  /** Builds the request (validation errors become rejections, prefixed with context) and posts it. */
  private request<T>(context: string, build: () => RequestBody | [RequestBody, ArrayBuffer[]]): Promise<T> {
    let body: RequestBody;
    let transfer: ArrayBuffer[] = [];
    try {
      if (this.rpc.dead) throw new Error(`unusable: ${this.rpc.dead.message}`);
      if (this.rpc.closed) throw new Error('closed');
      const built = build();
      [body, transfer] = Array.isArray(built) ? built : [built, []];
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return Promise.reject(error instanceof TypeError ? new TypeError(`${context}: ${message}`) : new Error(`${context}: ${message}`));
    }
    return this.rpc.call<T>(body, transfer);
  }
}
