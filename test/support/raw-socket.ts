/**
 * A WebSocket speaking raw contract frames, for tests and benchmarks that play a misbehaving
 * client: many requests written at once, replies counted by outcome instead of awaited one by one.
 */
import WebSocket from 'ws';

export interface RawReply {
  id: number;
  ok: boolean;
  code?: string;
  message?: string;
}

export interface RawSocket {
  socket: WebSocket;
  /** Writes one request frame; returns its id. */
  request(method: string, payload: unknown): number;
  replies: Map<number, RawReply>;
  events: { event: string; payload: unknown }[];
  /** Resolves once `done()` holds after a reply or event arrived (or at once if it holds now). */
  until(done: () => boolean): Promise<void>;
  closed: Promise<number>;
}

export async function openRawSocket(baseUrl: string): Promise<RawSocket> {
  const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/ws`, { origin: baseUrl });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
    socket.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
  const replies = new Map<number, RawReply>();
  const events: { event: string; payload: unknown }[] = [];
  const waiters = new Set<() => void>();
  socket.on('message', (data) => {
    const frame = JSON.parse(data.toString()) as { t: string; id: number; ok: boolean; error?: { code: string; message: string }; event: string; payload: unknown };
    if (frame.t === 'res') replies.set(frame.id, { id: frame.id, ok: frame.ok, ...(frame.error ? { code: frame.error.code, message: frame.error.message } : {}) });
    else if (frame.t === 'evt') events.push({ event: frame.event, payload: frame.payload });
    waiters.forEach((w) => w());
  });
  const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
  let nextId = 1;
  return {
    socket,
    replies,
    events,
    closed,
    request(method, payload) {
      const id = nextId++;
      socket.send(JSON.stringify({ t: 'req', id, method, payload }));
      return id;
    },
    until(done) {
      return new Promise((resolve) => {
        if (done()) return resolve();
        const check = () => {
          if (!done()) return;
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
      });
    },
  };
}

/** The replies by outcome: 'ok' or the error code. */
export function countByOutcome(replies: Iterable<RawReply>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of replies) {
    const key = r.ok ? 'ok' : (r.code ?? 'error');
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}
