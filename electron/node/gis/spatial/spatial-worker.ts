/**
 * The spatial index's worker (a worker_thread): owns one SpatialIndex and answers the client's
 * requests in order, so a query sees every upsert posted before it. Requests arrive validated
 * (spatial-client.ts); an error thrown here is returned as that request's failure.
 *
 * Started by spatial-client.ts; workerData is a SpatialWorkerConfig.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { AreaAggregateRequest, SpatialArea, SpatialQuery } from '../../../../native-bridge/spatial-query.js';
import { SpatialIndex, type PointColumns, type SpatialIndexOptions } from './spatial-index.js';
import type { RpcResult } from '../../worker-rpc.js';

export type SpatialWorkerConfig = SpatialIndexOptions;

export type SpatialRequest = { id: number } & (
  | { kind: 'set-areas'; areas: SpatialArea[] }
  | { kind: 'upsert'; columns: PointColumns }
  | { kind: 'remove'; ids: string[] }
  | { kind: 'query'; query: SpatialQuery; within?: string[] }
  | { kind: 'aggregate'; request: AreaAggregateRequest; within?: string[] }
  | { kind: 'stats' }
  | { kind: 'close' }
);

export type SpatialReply = { kind: 'ready' } | RpcResult;

const port = parentPort;
if (!port) throw new Error('spatial-worker.ts must run in a worker_thread (started by SpatialClient.start)');
const index = new SpatialIndex(workerData as SpatialWorkerConfig);
const post = (reply: SpatialReply): void => port.postMessage(reply);

function answer(id: number, fn: () => unknown): void {
  try {
    post({ kind: 'result', id, ok: true, value: fn() });
  } catch (error) {
    post({ kind: 'result', id, ok: false, message: error instanceof Error ? error.message : String(error) });
  }
}

port.on('message', (request: SpatialRequest) => {
  switch (request.kind) {
    case 'set-areas':
      return answer(request.id, () => index.setAreas(request.areas));
    case 'upsert':
      return answer(request.id, () => index.upsertColumns(request.columns));
    case 'remove':
      return answer(request.id, () => index.removePoints(request.ids));
    case 'query':
      return answer(request.id, () => index.query(request.query, request.within));
    case 'aggregate':
      return answer(request.id, () => index.aggregateByArea(request.request, request.within));
    case 'stats':
      return answer(request.id, () => index.stats());
    case 'close':
      answer(request.id, () => undefined);
      port.close();
      return;
  }
});

post({ kind: 'ready' });
