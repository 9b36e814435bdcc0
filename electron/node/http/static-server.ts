/**
 * HTTP server of the Chromium host: serves the built renderer, and the map's data through `routes`
 * (base-map tiles, datasets), with a strict Content-Security-Policy so no page can reach beyond
 * this host. Every request is checked before it is served: a target that does not parse is a 400,
 * a Host header that is none of the host's names a 403, data without a valid credential (a
 * signed-in session or an enrolled display's, as `Authorization: Bearer …`) a 401,
 * and data beyond the concurrency bound a 503. Open connections are bounded, and one whose headers
 * do not arrive in time is closed (408).
 */
import { createReadStream, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerOptions, type ServerResponse } from 'node:http';
import { createServer as createTlsServer, type Server as HttpsServer } from 'node:https';
import type { SecureContextOptions } from 'node:tls';
import { extname, join, normalize, sep } from 'node:path';
import { pipeline } from 'node:stream';
import { hostHeaderAuthority, parseRequestTarget } from '../../common/request-target.js';
import type { RefusalInfo } from '../../../native-bridge/transports/websocket-server.js';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.m3u8': 'application/vnd.apple.mpegurl',
  '.ts': 'video/mp2t',
  '.mp4': 'video/mp4',
  '.m4s': 'video/iso.segment',
};

const CSP = [
  "default-src 'self'",
  // Camera streams come from other origins (NVRs on the LAN, the simulator's camera server).
  "connect-src 'self' ws: wss: http: https:",
  "img-src 'self' data: blob: http: https:",
  "media-src 'self' blob: data: http: https:",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self'",
  "worker-src 'self' blob:",
  "frame-ancestors 'none'",
].join('; ');

/** Answers a path (e.g. /basemap/…), or null when it names nothing there. */
export type DataRoutes = (pathname: string) => Promise<{ status: number; headers: Record<string, string>; body: Buffer } | null>;

export interface StaticServerOptions {
  /** "name:port" authorities a request's Host header may name (DNS rebinding: see host-names.ts). */
  allowedAuthorities: () => ReadonlySet<string>;
  /** /basemap/* and /gis/*, answered only to requests whose Authorization header `authorized` accepts. */
  data?: { routes: DataRoutes; authorized: (authorization: string | undefined) => boolean; limits?: Partial<DataLimits> };
  onRefused?: (refusal: RefusalInfo & { method?: string | undefined }) => void;
  connections?: Partial<ConnectionLimits>;
  /** Serve HTTPS with this certificate and key (tls-files.ts); absent = plain HTTP (loopback). */
  tls?: SecureContextOptions | null | undefined;
  /** Origins (scheme://host:port) of a pair's nodes whose pages may read the map's data cross-origin (with their credential). */
  pairOrigins?: ReadonlySet<string>;
}

/** Open sockets (WebSocket windows included) and how long a client may take to send its headers (slow-loris). */
export interface ConnectionLimits {
  max: number;
  headersTimeoutMs: number;
}
const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = { max: 1_024, headersTimeoutMs: 10_000 };

/** Data answers can be megabytes: a few are produced at a time, a bounded number wait, the rest are told to come back. */
export interface DataLimits {
  active: number;
  queued: number;
}
const DEFAULT_DATA_LIMITS: DataLimits = { active: 4, queued: 256 };

const STATUS_TEXT: Record<number, string> = { 400: 'bad request', 401: 'unauthorized', 403: 'forbidden', 404: 'not found', 405: 'method not allowed', 500: 'internal error', 503: 'busy, try again' };
const DATA_PREFIXES = ['/basemap/', '/gis/'];

export function createStaticServer(rootDir: string, options: StaticServerOptions): Server | HttpsServer {
  const root = normalize(rootDir + sep);
  const dataSlots = concurrencyLimit({ ...DEFAULT_DATA_LIMITS, ...options.data?.limits });
  const connections = { ...DEFAULT_CONNECTION_LIMITS, ...options.connections };
  const handle = (request: IncomingMessage, response: ServerResponse) => {
    const answer = (status: number, headers: Record<string, string> = {}) =>
      response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers }).end(STATUS_TEXT[status] ?? '');
    const refuse = (status: number, kind: string, reason: string, headers?: Record<string, string>) => {
      options.onRefused?.({ kind, reason, remote: request.socket.remoteAddress ?? 'unknown', method: request.method, target: request.url, host: request.headers.host, origin: request.headers.origin });
      answer(status, headers);
    };
    // Every value below is untrusted: each check answers, none throws.
    const target = parseRequestTarget(request.url);
    if (!target) return refuse(400, 'target', 'malformed request target');
    const host = hostHeaderAuthority(request.headers.host, options.tls ? 443 : 80);
    if (!host || !options.allowedAuthorities().has(host)) return refuse(403, 'host', "Host header names none of this host's addresses");
    const path = target.path;
    const isData = DATA_PREFIXES.some((prefix) => path.startsWith(prefix));
    // a page the other node of the pair served may read map data here once it moved (CORS, those origins only)
    const crossOrigin = isData && request.headers.origin !== undefined && options.pairOrigins?.has(request.headers.origin) ? request.headers.origin : null;
    if (crossOrigin) response.setHeader('access-control-allow-origin', crossOrigin).setHeader('vary', 'Origin');
    if (crossOrigin && request.method === 'OPTIONS') {
      return response.writeHead(204, { 'access-control-allow-methods': 'GET, HEAD', 'access-control-allow-headers': 'authorization', 'access-control-max-age': '600' }).end();
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405, 'method', 'method not allowed');
    if (isData) {
      const data = options.data;
      if (!data) return answer(404);
      if (!data.authorized(request.headers.authorization)) return refuse(401, 'data-credential', 'data request without a valid credential');
      if (!dataSlots.enter(() => serveData(data.routes, path, request.method === 'HEAD', response, answer))) {
        return refuse(503, 'data-busy', 'too many data requests at once', { 'retry-after': '1' });
      }
      return;
    }
    const file = normalize(join(root, path === '/' ? '/index.html' : path));
    if (!file.startsWith(root)) return refuse(403, 'path', 'path outside the renderer');
    let size: number;
    try {
      const stat = statSync(file);
      if (!stat.isFile()) throw new Error('not a file');
      size = stat.size;
    } catch {
      return answer(404);
    }
    response.writeHead(200, {
      'content-type': MIME[extname(file)] ?? 'application/octet-stream',
      'content-length': size,
      'content-security-policy': CSP,
      'x-content-type-options': 'nosniff',
      'cache-control': extname(file) === '.html' ? 'no-store' : 'max-age=3600',
    });
    if (request.method === 'HEAD') response.end();
    // a file removed meanwhile, or a client gone, ends this answer and nothing else
    else pipeline(createReadStream(file), response, () => {});
  };
  const serverOptions: ServerOptions = {
    headersTimeout: connections.headersTimeoutMs,
    requestTimeout: Math.max(connections.headersTimeoutMs, 30_000),
    // how often Node looks for connections past those timeouts
    connectionsCheckingInterval: Math.min(1_000, connections.headersTimeoutMs),
  };
  const server = options.tls ? createTlsServer({ ...serverOptions, ...options.tls }, handle) : createServer(serverOptions, handle);
  server.maxConnections = connections.max;
  return server;
}

/** Runs one data answer; the returned promise settles once the answer is written (or failed). */
async function serveData(routes: DataRoutes, path: string, head: boolean, response: ServerResponse, answer: (status: number) => void): Promise<void> {
  try {
    const found = await routes(path);
    if (!found) return answer(404);
    response.writeHead(found.status, { ...found.headers, 'content-length': found.body.length, 'x-content-type-options': 'nosniff' }).end(head ? undefined : found.body);
  } catch {
    // the route's error may name files of the host: the client learns only that it failed
    if (!response.headersSent) answer(500);
    else response.destroy();
  }
}

/** At most `active` tasks at once and `queued` waiting; enter() is false when both are full. */
export function concurrencyLimit(limits: DataLimits): { enter(task: () => Promise<void>): boolean } {
  let active = 0;
  const waiting: (() => Promise<void>)[] = [];
  const run = (task: () => Promise<void>) => {
    active++;
    void task().finally(() => {
      active--;
      const next = waiting.shift();
      if (next) run(next);
    });
  };
  return {
    enter(task) {
      if (active < limits.active) run(task);
      else if (waiting.length < limits.queued) waiting.push(task);
      else return false;
      return true;
    },
  };
}
