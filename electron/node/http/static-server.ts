/**
 * HTTP server of the Chromium host: serves the built renderer, and the map's data through `routes`
 * (base-map tiles, datasets), with a strict Content-Security-Policy so no page can reach beyond
 * this host.
 */
import { createReadStream, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

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

/** Answers a path (e.g. /basemap/…), or null to fall through to the renderer's files. */
export type DataRoutes = (pathname: string) => Promise<{ status: number; headers: Record<string, string>; body: Buffer } | null>;

export function createStaticServer(rootDir: string, routes?: DataRoutes): Server {
  const root = normalize(rootDir + sep);
  return createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405).end();
      return;
    }
    if (routes && (url.pathname.startsWith('/basemap/') || url.pathname.startsWith('/gis/'))) {
      routes(url.pathname).then(
        (answer) => {
          if (!answer) response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found');
          else response.writeHead(answer.status, { ...answer.headers, 'content-length': answer.body.length, 'x-content-type-options': 'nosniff' }).end(request.method === 'HEAD' ? undefined : answer.body);
        },
        (error: unknown) => response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end(String(error)),
      );
      return;
    }
    const relative = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
    const file = normalize(join(root, relative));
    if (!file.startsWith(root)) {
      response.writeHead(403).end();
      return;
    }
    let size: number;
    try {
      const stat = statSync(file);
      if (!stat.isFile()) throw new Error('not a file');
      size = stat.size;
    } catch {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found');
      return;
    }
    response.writeHead(200, {
      'content-type': MIME[extname(file)] ?? 'application/octet-stream',
      'content-length': size,
      'content-security-policy': CSP,
      'x-content-type-options': 'nosniff',
      'cache-control': extname(file) === '.html' ? 'no-store' : 'max-age=3600',
    });
    if (request.method === 'HEAD') response.end();
    else createReadStream(file).pipe(response);
  });
}
