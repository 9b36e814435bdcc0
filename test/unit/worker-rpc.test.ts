import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startRpcWorker, WorkerRpc, type RpcResult } from '../../electron/node/worker-rpc.js';

type Request = { kind: 'echo'; id: number; value: unknown } | { kind: 'fail'; id: number } | { kind: 'die'; id: number } | { kind: 'close'; id: number };
type Reply = { kind: 'ready' } | { kind: 'cannot'; why: string } | { kind: 'note'; text: string } | RpcResult;

/** A worker from source text: `body` runs with `port` (parentPort) in scope. */
const workerUrl = (body: string): URL =>
  new URL(`data:text/javascript,${encodeURIComponent(`import { parentPort as port } from 'node:worker_threads';\n${body}`)}`);

/** Echoes, fails or exits(3) per request; a note before each answer; 'ready' first. */
const ECHO = workerUrl(`
port.on('message', (r) => {
  port.postMessage({ kind: 'note', text: r.kind });
  if (r.kind === 'echo') port.postMessage({ kind: 'result', id: r.id, ok: true, value: r.value });
  if (r.kind === 'fail') port.postMessage({ kind: 'result', id: r.id, ok: false, message: 'no such thing' });
  if (r.kind === 'die') process.exit(3);
  if (r.kind === 'close') { port.postMessage({ kind: 'result', id: r.id, ok: true, value: null }); port.close(); }
});
port.postMessage({ kind: 'ready' });`);

const start = (url: URL) =>
  startRpcWorker<Reply>({
    callerUrl: import.meta.url,
    name: 'unused',
    workerData: null,
    workerUrl: url,
    what: 'test rpc',
    phase: 'start',
    startFailure: (reply) => (reply.kind === 'cannot' ? new Error(`test rpc: ${reply.why}`) : undefined),
  });

describe('WorkerRpc', () => {
  it('answers calls by id, passes other messages on, prefixes a failed result, and closes once', async () => {
    const notes: string[] = [];
    const rpc = new WorkerRpc<Request, Reply>(await start(ECHO), 'test rpc', { onMessage: (reply) => reply.kind === 'note' && notes.push(reply.text) });
    const [a, b] = await Promise.all([rpc.call({ kind: 'echo', value: { n: 1 } }), rpc.call({ kind: 'echo', value: 'two' })]);
    assert.deepEqual([a, b], [{ n: 1 }, 'two']);
    await assert.rejects(rpc.call({ kind: 'fail' }), /^Error: test rpc: no such thing$/);
    const closing = rpc.close();
    assert.equal(rpc.closed, true);
    await closing;
    await rpc.close();
    assert.deepEqual(notes, ['echo', 'echo', 'fail', 'close']);
    assert.equal(rpc.dead, undefined);
  });

  it('rejects pending calls and reports once when the worker exits unexpectedly', async () => {
    const failures: Error[] = [];
    const rpc = new WorkerRpc<Request, Reply>(await start(ECHO), 'test rpc', { onFail: (error) => failures.push(error) });
    const echo = rpc.call({ kind: 'echo', value: 1 });
    const pending = rpc.call({ kind: 'die' });
    assert.equal(await echo, 1);
    await assert.rejects(pending, /^Error: test rpc worker exited unexpectedly \(code 3\)$/);
    assert.equal(rpc.dead?.message, 'test rpc worker exited unexpectedly (code 3)');
    assert.deepEqual(failures, [rpc.dead]);
    await rpc.close();
    assert.equal(rpc.closed, true);
  });

  it('rejects start on a failure reply or an exit before ready', async () => {
    await assert.rejects(start(workerUrl(`port.postMessage({ kind: 'cannot', why: 'disk full' });`)), /^Error: test rpc: disk full$/);
    await assert.rejects(start(workerUrl(`process.exit(2);`)), /^Error: test rpc worker exited during start \(code 2\)$/);
  });
});
