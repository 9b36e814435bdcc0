/**
 * Host side of the WebSocket transport (Chromium host). Only loopback by default; every upgrade
 * must parse, name one of the host's own addresses in Host and carry an allowed Origin; who the
 * connection is comes after, from session.hello's credential. Frames are size-bounded by ws itself.
 * Refusals are reported to onRefused and never reach the contract server. The host serves at most
 * hostLimits.maxConnections sockets (503 past it) and closes a socket that does not read what it
 * is sent (native-bridge/limits.ts).
 */
import { STATUS_CODES, type IncomingMessage, type Server } from 'node:http';
import { Server as HttpsServer } from 'node:https';
import { WebSocketServer, type WebSocket } from 'ws';
import { MAX_MESSAGE_BYTES } from '../contract.js';
import type { MessagePortLike } from '../channel.js';
import { hostHeaderAuthority, originAuthority, parseRequestTarget } from '../../electron/common/request-target.js';
import { connectionLimits, hostLimits } from '../limits.js';

/** `kind` is a fixed word (target, path, host, origin, capacity, socket, binary, slow-reader) a log can count by; header values come uncut. */
export type RefusalInfo = {
  kind: string;
  reason: string;
  remote: string;
  origin: string | undefined;
  host: string | undefined;
  target: string | undefined;
};

export interface WebSocketGatewayOptions {
  /** An HTTP server, or an HTTPS one (then only wss: and https: origins are let in). */
  server: Server | HttpsServer;
  path: string;
  /** "name:port" authorities the Host header and the Origin may name (see electron/common/request-target.ts). */
  allowedAuthorities: () => ReadonlySet<string>;
  /** More "name:port" authorities the Origin alone may name (the other node of a pair: its pages move here); Host still must be one of allowedAuthorities. */
  extraOrigins?: ReadonlySet<string>;
  onConnection(port: MessagePortLike, info: { url: URL; remote: string }): void;
  onRefused(info: RefusalInfo): void;
  /** A connection the host closed for misbehaving (a reader too slow for its replies); onRefused when absent. */
  onDropped?(info: RefusalInfo): void;
}

export function attachWebSocketGateway(options: WebSocketGatewayOptions): { close(): Promise<void>; clients(): number } {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  const tls = options.server instanceof HttpsServer;
  options.server.on('upgrade', (request: IncomingMessage, socket, head) => {
    // a client that resets mid-refusal must not become an unhandled 'error'
    socket.on('error', () => socket.destroy());
    const remote = request.socket.remoteAddress ?? 'unknown';
    const { origin, host } = request.headers;
    const refuse = (status: number, kind: string, reason: string) => {
      options.onRefused({ kind, reason, remote, origin, host, target: request.url });
      socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    // Checked in this order, each before anything is parsed further: every value is untrusted.
    const target = parseRequestTarget(request.url);
    if (!target) return refuse(400, 'target', 'malformed request target');
    const allowed = options.allowedAuthorities();
    const hostName = hostHeaderAuthority(host, tls ? 443 : 80);
    if (!hostName || !allowed.has(hostName)) return refuse(403, 'host', 'Host header names none of this host\'s addresses');
    const { url } = target;
    if (target.path !== options.path) return refuse(404, 'path', 'unknown path');
    const originName = originAuthority(origin, tls);
    if (!originName || !(allowed.has(originName) || options.extraOrigins?.has(originName))) return refuse(403, 'origin', 'origin not allowed');
    if (wss.clients.size >= hostLimits.maxConnections) return refuse(503, 'capacity', `the host already serves ${hostLimits.maxConnections} connections, its limit`);
    wss.handleUpgrade(request, socket, head, (ws: WebSocket) => {
      const closeListeners: (() => void)[] = [];
      ws.on('close', () => closeListeners.forEach((l) => l()));
      ws.on('error', (error) => options.onRefused({ kind: 'socket', reason: `socket error: ${error.message}`, remote, origin, host, target: request.url }));
      const dropSlowReader = slowReaderDropper(ws, (reason) => (options.onDropped ?? options.onRefused)({ kind: 'slow-reader', reason, remote, origin, host, target: request.url }));
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
            if (isBinary) options.onRefused({ kind: 'binary', reason: 'binary frame refused', remote, origin, host, target: request.url });
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
