/**
 * The cache worker (a worker_thread): owns the one SQLite connection to the cache file and handles
 * TelemetryCache's requests in order. Messages are handled synchronously one at a time, so a
 * 'flush' is answered only after every batch posted before it has committed (or failed).
 *
 * Started by cache-client.ts; workerData is a WorkerConfig.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { CacheDb } from './cache-db.js';
import type { FlushReply, Reply, Request, WorkerConfig } from './cache-protocol.js';

const port = parentPort;
if (!port) throw new Error('cache-worker.ts must run in a worker_thread (started by TelemetryCache.open)');
const config = workerData as WorkerConfig;
const post = (reply: Reply): void => port.postMessage(reply);
const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

const codeOf = (error: unknown): string | undefined => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
};

let cache: CacheDb;
try {
  cache = new CacheDb(config.file, { key: config.key, retention: config.retention, maxBytes: config.maxBytes });
} catch (error) {
  post({ kind: 'open-failed', message: message(error) });
  port.close();
  throw error;
}
if (cache.movedAside) post({ kind: 'rebuilt', movedAside: cache.movedAside });
post({ kind: 'ready' });
// After 'ready': on a full disk the retention job fails, and the cache still serves what it holds.
try {
  cache.runRetention(Date.now());
} catch (error) {
  post({ kind: 'error', message: `retention: ${message(error)}`, code: codeOf(error) });
}

let failedSinceFlush = 0;
let lastFailure: string | undefined;
let batchesSinceSizeCheck = 0;

const timer =
  config.retentionIntervalMs > 0
    ? setInterval(() => {
        try {
          cache.runRetention(Date.now());
        } catch (error) {
          post({ kind: 'error', message: `retention: ${message(error)}`, code: codeOf(error) });
        }
      }, config.retentionIntervalMs)
    : undefined;

function afterBatch(items: number, run: () => void): void {
  try {
    run();
    post({ kind: 'batch-done', items, ok: true });
  } catch (error) {
    failedSinceFlush += items;
    lastFailure = message(error);
    post({ kind: 'batch-done', items, ok: false, message: lastFailure, code: codeOf(error) });
  }
  if (++batchesSinceSizeCheck >= config.sizeCheckEveryBatches) {
    batchesSinceSizeCheck = 0;
    try {
      cache.enforceSizeBound();
    } catch (error) {
      post({ kind: 'error', message: `size bound: ${message(error)}`, code: codeOf(error) });
    }
  }
}

function answer(id: number, fn: () => unknown): void {
  try {
    post({ kind: 'result', id, ok: true, value: fn() });
  } catch (error) {
    post({ kind: 'result', id, ok: false, message: message(error) });
  }
}

port.on('message', (request: Request) => {
  switch (request.kind) {
    case 'batch':
      return afterBatch(request.rows.length, () => cache.applyBatch(request.rows));
    case 'replace':
      return afterBatch(request.items.length, () => cache.replaceGateway(request.gatewayId, request.items, request.receivedAt));
    case 'flush':
      return answer(request.id, (): FlushReply => {
        const reply: FlushReply = { committed: cache.committed, failedSinceLastFlush: failedSinceFlush, ...(lastFailure ? { lastFailure } : {}) };
        failedSinceFlush = 0;
        lastFailure = undefined;
        return reply;
      });
    case 'latest':
      return answer(request.id, () => cache.latest());
    case 'series':
      return answer(request.id, () => cache.series(request.sensorId, request.fromMs, request.toMs, request.maxPoints));
    case 'readingsAt':
      return answer(request.id, () => cache.readingsAt(request.sensorIds, request.atMs));
    case 'stats':
      return answer(request.id, () => cache.stats());
    case 'retention':
      return answer(request.id, () => cache.runRetention(request.now));
    case 'close':
      if (timer) clearInterval(timer);
      answer(request.id, () => cache.close());
      port.close();
      return;
  }
});
