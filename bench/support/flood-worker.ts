/**
 * The flooding socket of bench/support/flood.ts, in its own thread so the flood's sending and
 * reading do not slow the measuring client down: says hello, sends `requestsPerSecond` for
 * `durationMs`, then posts the replies counted by outcome and whether the host closed it.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { countByOutcome, openRawSocket } from '../../test/support/raw-socket.js';

export interface FloodWorkerData {
  baseUrl: string;
  /** The flooding window's display credential. */
  credential: string;
  requestsPerSecond: number;
  durationMs: number;
  method: string;
  payload: unknown;
}

export interface FloodWorkerResult {
  sent: number;
  outcomes: Record<string, number>;
  closedCode: number | null;
}

const data = workerData as FloodWorkerData;
const flooder = await openRawSocket(data.baseUrl);
let closedCode: number | null = null;
void flooder.closed.then((code) => (closedCode = code));
const helloId = flooder.request('session.hello', { window: 'r0c0', credential: { kind: 'display', token: data.credential } });
await flooder.until(() => flooder.replies.has(helloId));
parentPort!.postMessage({ ready: true });
const started = Date.now();
let sent = 0;
while (Date.now() - started < data.durationMs && closedCode === null) {
  const due = Math.floor(((Date.now() - started) / 1000) * data.requestsPerSecond);
  for (; sent < due; sent++) flooder.request(data.method, data.payload);
  await sleep(5);
}
// the replies still on their way: a bounded wait, a flood may leave some unanswered
await Promise.race([flooder.until(() => flooder.replies.size >= sent + 1 || closedCode !== null), sleep(5_000)]);
const outcomes = countByOutcome(flooder.replies.values());
outcomes.ok = (outcomes.ok ?? 0) - 1; // the hello
const result: FloodWorkerResult = { sent, outcomes, closedCode };
parentPort!.postMessage({ result });
flooder.socket.terminate();
