/**
 * Host side of the WebSocket transport (Chromium host). Only loopback by default; every upgrade
 * must parse, name one of the host's own addresses in Host, and carry the per-launch token and an
 * allowed Origin; frames are size-bounded by ws itself.
 * Refusals are reported to onRefused and never reach the contract server.
 */
import type { IncomingMessage, Server } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import { MAX_MESSAGE_BYTES } from '../contract.js';
import type { MessagePortLike } from '../channel.js';
import { hostHeaderAuthority, originAuthority, parseRequestTarget } from '../../electron/common/request-target.js';

export interface WebSocketGatewayOptions {
  server: Server;
  path: string;
  token: string;
  /** "name:port" authorities the Host header and the Origin may name (see electron/common/request-target.ts). */
  allowedAuthorities: () => ReadonlySet<string>;
  onConnection(port: MessagePortLike, info: { url: URL; remote: string }): void;
  /** `kind` is a fixed word (target, path, host, token, origin, socket, binary) a log can count by; header values come uncut. */
  onRefused(info: { kind: string; reason: string; remote: string; origin: string | undefined; host: string | undefined; target: string | undefined }): void;
}

/** Compares in constant time: the token must not leak through how fast a wrong one is refused. */
export function sameToken(given: string | string[] | null | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' };

export function attachWebSocketGateway(options: WebSocketGatewayOptions): { close(): Promise<void>; clients(): number } {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  options.server.on('upgrade', (request: IncomingMessage, socket, head) => {
    // a client that resets mid-refusal must not become an unhandled 'error'
    socket.on('error', () => socket.destroy());
    const remote = request.socket.remoteAddress ?? 'unknown';
    const { origin, host } = request.headers;
    const refuse = (status: number, kind: string, reason: string) => {
      options.onRefused({ kind, reason, remote, origin, host, target: request.url });
      socket.end(`HTTP/1.1 ${status} ${STATUS_TEXT[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    // Checked in this order, each before anything is parsed further: every value is untrusted.
    const target = parseRequestTarget(request.url);
    if (!target) return refuse(400, 'target', 'malformed request target');
    const allowed = options.allowedAuthorities();
    const hostName = hostHeaderAuthority(host);
    if (!hostName || !allowed.has(hostName)) return refuse(403, 'host', 'Host header names none of this host\'s addresses');
    const { url } = target;
    if (target.path !== options.path) return refuse(404, 'path', 'unknown path');
    if (!sameToken(url.searchParams.get('token'), options.token)) return refuse(401, 'token', 'missing or wrong token');
    const originName = originAuthority(origin);
    if (!originName || !allowed.has(originName)) return refuse(403, 'origin', 'origin not allowed');
    wss.handleUpgrade(request, socket, head, (ws: WebSocket) => {
      const closeListeners: (() => void)[] = [];
      ws.on('close', () => closeListeners.forEach((l) => l()));
      ws.on('error', (error) => options.onRefused({ kind: 'socket', reason: `socket error: ${error.message}`, remote, origin, host, target: request.url }));
      const port: MessagePortLike = {
        send: (data) => {
          if (ws.readyState === ws.OPEN) ws.send(data);
        },
        onMessage: (l) =>
          void ws.on('message', (data, isBinary) => {
            if (isBinary) options.onRefused({ kind: 'binary', reason: 'binary frame refused', remote, origin, host, target: request.url });
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
