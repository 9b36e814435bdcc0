/**
 * Host side of the WebSocket transport (Chromium host). Only loopback by default; every upgrade
 * must carry the per-launch token and an allowed Origin; frames are size-bounded by ws itself.
 * Refusals are reported to onRefused and never reach the contract server. The host serves at most
 * hostLimits.maxConnections sockets (503 past it) and closes a socket that does not read what it
 * is sent (native-bridge/limits.ts).
 */
import { STATUS_CODES, type IncomingMessage, type Server } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import { MAX_MESSAGE_BYTES } from '../contract.js';
import type { MessagePortLike } from '../channel.js';
import { connectionLimits, hostLimits } from '../limits.js';

export interface WebSocketGatewayOptions {
  server: Server;
  path: string;
  token: string;
  allowedOrigins: () => readonly string[];
  onConnection(port: MessagePortLike, info: { url: URL; remote: string }): void;
  onRefused(info: { reason: string; remote: string; origin: string | undefined }): void;
  /** A connection the host closed for misbehaving (a reader too slow for its replies); onRefused when absent. */
  onDropped?(info: { reason: string; remote: string; origin: string | undefined }): void;
}

function sameToken(given: string | null, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function attachWebSocketGateway(options: WebSocketGatewayOptions): { close(): Promise<void>; clients(): number } {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  options.server.on('upgrade', (request: IncomingMessage, socket, head) => {
    const remote = request.socket.remoteAddress ?? 'unknown';
    const origin = request.headers.origin;
    const url = new URL(request.url ?? '/', 'http://localhost');
    const refuse = (status: number, reason: string) => {
      options.onRefused({ reason, remote, origin });
      socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\n\r\n`);
    };
    if (url.pathname !== options.path) return refuse(404, `unknown path ${url.pathname}`);
    if (!sameToken(url.searchParams.get('token'), options.token)) return refuse(401, 'missing or wrong token');
    if (!origin || !options.allowedOrigins().includes(origin)) return refuse(403, `origin ${origin ?? '(none)'} not allowed`);
    if (wss.clients.size >= hostLimits.maxConnections) return refuse(503, `the host already serves ${hostLimits.maxConnections} connections, its limit`);
    wss.handleUpgrade(request, socket, head, (ws: WebSocket) => {
      const closeListeners: (() => void)[] = [];
      ws.on('close', () => closeListeners.forEach((l) => l()));
      ws.on('error', (error) => options.onRefused({ reason: `socket error: ${error.message}`, remote, origin }));
      const dropSlowReader = slowReaderDropper(ws, (reason) => (options.onDropped ?? options.onRefused)({ reason, remote, origin }));
      const port: MessagePortLike = {
        send: (data) => {
          if (ws.readyState !== ws.OPEN || dropSlowReader.dropped) return;
          // data.length counts UTF-16 units, not bytes: close enough for a bound on what waits unread
          if (ws.bufferedAmount + data.length > connectionLimits.maxQueuedBytes) return dropSlowReader();
          ws.send(data);
        },
        onMessage: (l) =>
          void ws.on('message', (data, isBinary) => {
            if (dropSlowReader.dropped) return;
            if (isBinary) options.onRefused({ reason: 'binary frame refused', remote, origin });
            else l(data.toString());
          }),
        onClose: (l) => void closeListeners.push(l),
        close: (reason) => (reason === undefined ? ws.close() : ws.close(1008, reason)),
      };
      options.onConnection(port, { url, remote });
    });
  });
  return {
    clients: () => wss.clients.size,
    close: () =>
      new Promise((resolve) => {
        wss.clients.forEach((c) => c.terminate());
        wss.close(() => resolve());
      }),
  };
}

/**
 * Closes a socket that leaves more than connectionLimits.maxQueuedBytes of replies and events
 * unread (1008, and the reason reported once), instead of buffering for it without bound. It gets
 * the grace period to take the close frame; then its socket is dropped.
 */
function slowReaderDropper(ws: WebSocket, report: (reason: string) => void): { (): void; dropped: boolean } {
  const drop = Object.assign(
    () => {
      if (drop.dropped) return;
      drop.dropped = true;
      report(`client not reading its replies: over ${connectionLimits.maxQueuedBytes} bytes queued (${ws.bufferedAmount}); closed`);
      ws.close(1008, 'replies not read');
      const timer = setTimeout(() => ws.terminate(), connectionLimits.slowReaderCloseGraceMs);
      timer.unref();
      ws.once('close', () => clearTimeout(timer));
    },
    { dropped: false },
  );
  return drop;
}
