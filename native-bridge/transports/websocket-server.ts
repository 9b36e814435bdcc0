/**
 * Host side of the WebSocket transport (Chromium host). Only loopback by default; every upgrade
 * must carry the per-launch token and an allowed Origin; frames are size-bounded by ws itself.
 * Refusals are reported to onRefused and never reach the contract server.
 */
import type { IncomingMessage, Server } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import { MAX_MESSAGE_BYTES } from '../contract.js';
import type { MessagePortLike } from '../channel.js';

export interface WebSocketGatewayOptions {
  server: Server;
  path: string;
  token: string;
  allowedOrigins: () => readonly string[];
  onConnection(port: MessagePortLike, info: { url: URL; remote: string }): void;
  onRefused(info: { reason: string; remote: string; origin: string | undefined }): void;
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
      socket.end(`HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : status === 403 ? 'Forbidden' : 'Not Found'}\r\nConnection: close\r\n\r\n`);
    };
    if (url.pathname !== options.path) return refuse(404, `unknown path ${url.pathname}`);
    if (!sameToken(url.searchParams.get('token'), options.token)) return refuse(401, 'missing or wrong token');
    if (!origin || !options.allowedOrigins().includes(origin)) return refuse(403, `origin ${origin ?? '(none)'} not allowed`);
    wss.handleUpgrade(request, socket, head, (ws: WebSocket) => {
      const closeListeners: (() => void)[] = [];
      ws.on('close', () => closeListeners.forEach((l) => l()));
      ws.on('error', (error) => options.onRefused({ reason: `socket error: ${error.message}`, remote, origin }));
      const port: MessagePortLike = {
        send: (data) => {
          if (ws.readyState === ws.OPEN) ws.send(data);
        },
        onMessage: (l) =>
          void ws.on('message', (data, isBinary) => {
            if (isBinary) options.onRefused({ reason: 'binary frame refused', remote, origin });
            else l(data.toString());
          }),
        onClose: (l) => void closeListeners.push(l),
        close: () => ws.close(),
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
