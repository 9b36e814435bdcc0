/**
 * Request/reply over a worker_thread, as the telemetry cache (cache-client.ts) and the spatial
 * index (spatial-client.ts) use it. The protocol the worker keeps: it posts { kind: 'ready' } once
 * it can take requests; it answers each request that carries an `id` with one RpcResult of that
 * id, in order; { kind: 'close', id } is answered last, after which the worker's port closes.
 * Other messages either way are the client's own (passed to onMessage, or posted with post()).
 *
 * The client checks closed / dead before call() and words that refusal its own way.
 */
import { Worker, type TransferListItem } from 'node:worker_threads';
import { startSiblingWorker } from './worker-entry.js';

export type RpcResult = { kind: 'result'; id: number; ok: true; value: unknown } | { kind: 'result'; id: number; ok: false; message: string };

/** A request without its id (distributes over a union of requests; those without an id drop out). */
export type RpcBody<Request> = Request extends { id: number } ? Omit<Request, 'id'> : never;

export interface WorkerStart<Reply> {
  /** The client's import.meta.url: the worker module `name` sits beside it (see worker-entry.ts). */
  callerUrl: string;
  name: string;
  workerData: unknown;
  /** Overrides the worker entry (e.g. a bundle that places the worker elsewhere). */
  workerUrl?: URL | undefined;
  /** Names the worker in errors: "<what> worker exited during <phase> (code 1)". */
  what: string;
  phase: string;
  /** A reply before 'ready' that means the worker cannot start: the error start rejects with. */
  startFailure?: (reply: Reply) => Error | undefined;
}

/** Starts the worker and resolves once it has posted 'ready'; on failure the worker is terminated. */
export async function startRpcWorker<Reply extends { kind: string }>(start: WorkerStart<Reply>): Promise<Worker> {
  const worker = start.workerUrl
    ? new Worker(start.workerUrl, { workerData: start.workerData })
    : startSiblingWorker(start.callerUrl, start.name, start.workerData, start.what);
  await new Promise<void>((resolveStart, rejectStart) => {
    const onMessage = (reply: Reply) => {
      if (reply.kind === 'ready') return done();
      const failure = start.startFailure?.(reply);
      if (failure) done(failure);
    };
    const onError = (error: unknown) => done(error instanceof Error ? error : new Error(String(error)));
    const onExit = (code: number) => done(new Error(`${start.what} worker exited during ${start.phase} (code ${code})`));
    const done = (error?: Error) => {
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      if (error) {
        void worker.terminate();
        rejectStart(error);
      } else resolveStart();
    };
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
  });
  return worker;
}

export interface WorkerRpcHooks<Reply> {
  /** Every message from the worker that is not a result. */
  onMessage?: (reply: Exclude<Reply, RpcResult>) => void;
  /** Once, when the worker fails (an error, or an exit before close()), after the pending calls are rejected. */
  onFail?: (error: Error) => void;
}

interface Waiter {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

/** The host side of a started worker (startRpcWorker): calls by id, and close. */
export class WorkerRpc<Request extends { kind: string }, Reply extends { kind: string }> {
  private readonly waiters = new Map<number, Waiter>();
  private nextId = 1;
  private isClosed = false;
  private failure: Error | undefined;
  private readonly exited: Promise<void>;

  constructor(
    private readonly worker: Worker,
    /** Prefixes a failed result's message: "<what>: <message>". */
    private readonly what: string,
    private readonly hooks: WorkerRpcHooks<Reply> = {},
  ) {
    worker.on('message', (reply: Reply | RpcResult) => this.onReply(reply));
    this.exited = new Promise((resolveExit) => {
      worker.on('exit', (code) => {
        if (!this.isClosed) this.fail(new Error(`${what} worker exited unexpectedly (code ${code})`));
        resolveExit();
      });
    });
    worker.on('error', (error) => this.fail(error instanceof Error ? error : new Error(String(error))));
  }

  /** close() has been called. */
  get closed(): boolean {
    return this.isClosed;
  }

  /** Why the worker is gone, once it failed. */
  get dead(): Error | undefined {
    return this.failure;
  }

  /** Posts a message that gets no reply. */
  post(message: Request, transfer: readonly TransferListItem[] = []): void {
    this.worker.postMessage(message, transfer);
  }

  /** Posts the request with the next id; settles with its result. */
  call<T>(body: RpcBody<Request>, transfer: readonly TransferListItem[] = []): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolveCall, rejectCall) => {
      this.waiters.set(id, { resolve: resolveCall as (value: unknown) => void, reject: rejectCall });
      this.worker.postMessage({ ...body, id }, transfer);
    });
  }

  /** Stops the worker after the requests already made; resolves once it has exited. */
  async close(): Promise<void> {
    if (this.isClosed) return this.exited;
    if (this.failure) {
      this.isClosed = true;
      return;
    }
    const closing = this.call({ kind: 'close' } as RpcBody<Request>);
    this.isClosed = true;
    try {
      await closing;
    } finally {
      await this.exited;
    }
  }

  private onReply(reply: Reply | RpcResult): void {
    if (reply.kind !== 'result') return this.hooks.onMessage?.(reply as Exclude<Reply, RpcResult>);
    const result = reply as RpcResult;
    const waiter = this.waiters.get(result.id);
    if (!waiter) return;
    this.waiters.delete(result.id);
    if (result.ok) waiter.resolve(result.value);
    else waiter.reject(new Error(`${this.what}: ${result.message}`));
  }

  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    for (const waiter of this.waiters.values()) waiter.reject(error);
    this.waiters.clear();
    this.hooks.onFail?.(error);
  }
}
