/**
 * Simulated live cameras (DEMO footage): a small node:http server that serves every camera of the
 * demo province as a LIVE HLS stream, looping the short synthetic clips committed under
 * resources/demo-cameras (made by scripts/make-demo-cameras.sh; no ffmpeg at run time).
 *
 *   GET /cameras                          JSON: the cameras and their URLs
 *   GET /cameras/{id}/index.m3u8          master playlist: the main and sub variants
 *   GET /cameras/{id}/main.m3u8, sub.m3u8 sliding live media playlists (HLS version 3)
 *   GET /cameras/{id}/{main|sub}/{n}.ts   media segment n (the clip's segment n mod count)
 *   GET /cameras/{id}/snapshot.jpg        a still (sub size)
 *
 * The live edge follows the wall clock: one 1 s segment is published every second; each playlist
 * lists the newest ~6 complete segments with their real wall-clock EXT-X-PROGRAM-DATE-TIME, and an
 * EXT-X-DISCONTINUITY where the clip wraps (its timestamps restart). Nothing runs between
 * requests: a playlist is computed from Date.now() when asked for, so memory stays flat (the clips
 * are read into memory once, at start).
 *
 * Faults, per camera, for tests and demos:
 *   stop(id)    the camera is offline: its playlists, segments and snapshot answer 404
 *   freeze(id)  a stalled encoder: the playlists stop advancing (same media sequence forever)
 *   resume(id)  ends stop and freeze. After a stop the stream is back at the live edge (it kept
 *               running meanwhile); after a freeze it continues with the next segment number, the
 *               segments' program date-times jumping over the stall
 *   restart(id) a reboot: a new live session whose media sequence starts again at 0
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { maxOf } from '../../native-bridge/extremes.js';

export type Rendition = 'main' | 'sub';
export const RENDITIONS: readonly Rendition[] = ['main', 'sub'];

export interface RenditionInfo {
  width: number;
  height: number;
  /** RFC 6381 codecs string, e.g. avc1.4d401f. */
  codecs: string;
}

export interface CameraServerOptions {
  /** TCP port (default 0 = a free one). */
  port?: number;
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** Directory holding manifest.json and {cameraId}/{main,sub}/seg-NNN.ts + snapshot.jpg. */
  mediaDir: string;
  /** Camera ids to serve. A camera without its own clip in mediaDir loops another camera's clip. */
  cameras: readonly string[];
  /** Segments per media playlist (default 6). */
  windowSegments?: number;
}

export interface CameraServer {
  /** http://host:port, without a trailing slash: camera URLs are {baseUrl}/cameras/{id}/main.m3u8. */
  readonly baseUrl: string;
  readonly port: number;
  /** The renditions' sizes and codecs, from the media's manifest. */
  readonly renditions: Readonly<Record<Rendition, RenditionInfo>>;
  readonly cameras: readonly string[];
  /** Offline: playlists, segments and snapshot answer 404 until resume() or restart(). */
  stop(id: string): void;
  /** Stalled encoder: the playlists keep their media sequence until resume() or restart(). */
  freeze(id: string): void;
  /** Reboot: a new live session, media sequence back to 0 (also ends stop and freeze). */
  restart(id: string): void;
  /** Ends stop and freeze. */
  resume(id: string): void;
  /** The camera's current state (for tests and logs). */
  status(id: string): { state: 'live' | 'frozen' | 'stopped'; mediaSequence: number };
  close(): Promise<void>;
}

const DEFAULT_RENDITIONS: Record<Rendition, RenditionInfo> = {
  main: { width: 1280, height: 720, codecs: 'avc1.4d401f' },
  sub: { width: 640, height: 360, codecs: 'avc1.42c01e' },
};

const PLAYLIST_TYPE = 'application/vnd.apple.mpegurl';
const SEGMENT_TYPE = 'video/mp2t';

/**
 * The committed demo footage: the nearest resources/demo-cameras above this module (sim/cameras in
 * the source tree, dist/… when bundled, app.asar/dist/… when packaged).
 */
export function defaultDemoCameraDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'resources', 'demo-cameras');
    if (existsSync(join(candidate, 'manifest.json'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no resources/demo-cameras/manifest.json above ${dirname(fileURLToPath(import.meta.url))}`);
    dir = parent;
  }
}

interface Clip {
  segments: Record<Rendition, Buffer[]>;
  snapshot: Buffer | null;
}

/** One live session: segment n is published at startMs + shiftMs + (n + 1) × segment duration. */
interface Session {
  startMs: number;
  /** Total time the session stood still (freezes), added to every later segment's time. */
  shiftMs: number;
  /** Where a freeze ended: segments from `seq` on are `ms` later than the plain schedule. */
  gaps: { seq: number; ms: number }[];
  /** Published-segment count held by a freeze, or null. */
  frozenCount: number | null;
  stopped: boolean;
}

interface Manifest {
  segmentSeconds: number;
  fps?: number;
  renditions: Record<Rendition, RenditionInfo>;
}

function readManifest(mediaDir: string): Manifest {
  const file = join(mediaDir, 'manifest.json');
  if (!existsSync(file)) return { segmentSeconds: 1, renditions: DEFAULT_RENDITIONS };
  const json = JSON.parse(readFileSync(file, 'utf8')) as Partial<{ segmentSeconds: unknown; fps: unknown; renditions: Partial<Record<Rendition, Partial<RenditionInfo>>> }>;
  const rendition = (r: Rendition): RenditionInfo => {
    const got = json.renditions?.[r] ?? {};
    const ok = typeof got.width === 'number' && typeof got.height === 'number' && typeof got.codecs === 'string';
    return ok ? { width: got.width!, height: got.height!, codecs: got.codecs! } : DEFAULT_RENDITIONS[r];
  };
  const segmentSeconds = typeof json.segmentSeconds === 'number' && json.segmentSeconds > 0 ? json.segmentSeconds : 1;
  return { segmentSeconds, fps: typeof json.fps === 'number' ? json.fps : undefined, renditions: { main: rendition('main'), sub: rendition('sub') } };
}

function readClip(dir: string): Clip | null {
  if (!RENDITIONS.every((r) => existsSync(join(dir, r)))) return null;
  const segments = {} as Record<Rendition, Buffer[]>;
  for (const r of RENDITIONS) {
    const names = readdirSync(join(dir, r))
      .filter((name) => /^seg-\d+\.ts$/.test(name))
      .sort((a, b) => Number(a.slice(4, -3)) - Number(b.slice(4, -3)));
    segments[r] = names.map((name) => readFileSync(join(dir, r, name)));
  }
  if (segments.main.length === 0 || segments.main.length !== segments.sub.length) {
    throw new Error(`${dir}: main has ${segments.main.length} segments and sub ${segments.sub.length}; they must be equal and not zero`);
  }
  const snapshotFile = join(dir, 'snapshot.jpg');
  return { segments, snapshot: existsSync(snapshotFile) ? readFileSync(snapshotFile) : null };
}

/** A stable pseudo-uptime per camera, so cameras are at different points of their loops. */
function initialUptimeSegments(id: string): number {
  let h = 2166136261;
  for (const ch of id) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return 3600 + (h % 7200);
}

export async function startCameraServer(options: CameraServerOptions): Promise<CameraServer> {
  const host = options.host ?? '127.0.0.1';
  const windowSegments = Math.max(3, Math.floor(options.windowSegments ?? 6));
  const mediaDir = resolve(options.mediaDir);
  const manifest = readManifest(mediaDir);
  const segMs = manifest.segmentSeconds * 1000;
  const targetDuration = Math.ceil(manifest.segmentSeconds);
  const extinf = manifest.segmentSeconds.toFixed(3);

  // ---- media, read once
  const ownClips = new Map<string, Clip>();
  for (const id of options.cameras) {
    if (!/^[A-Za-z0-9._-]+$/.test(id)) throw new Error(`camera id "${id}" must be letters, digits, ".", "_" or "-"`);
    const clip = readClip(join(mediaDir, id));
    if (clip) ownClips.set(id, clip);
  }
  const available = [...ownClips.values()];
  if (available.length === 0) throw new Error(`no camera clips in ${mediaDir} for ${options.cameras.join(', ')} (run scripts/make-demo-cameras.sh)`);
  const clips = new Map<string, Clip>(options.cameras.map((id, i) => [id, ownClips.get(id) ?? available[i % available.length]!]));

  /** Bits per second of a rendition (peak and average over its segments), for the master playlist. */
  const bandwidth = (clip: Clip, r: Rendition): { peak: number; average: number } => {
    const sizes = clip.segments[r].map((b) => b.length);
    const perSecond = (bytes: number) => Math.ceil((bytes * 8) / manifest.segmentSeconds);
    return { peak: perSecond(maxOf(sizes)), average: perSecond(sizes.reduce((a, b) => a + b, 0) / sizes.length) };
  };

  // ---- sessions
  const sessions = new Map<string, Session>();
  const newSession = (startMs: number): Session => ({ startMs, shiftMs: 0, gaps: [], frozenCount: null, stopped: false });
  {
    const now = Date.now();
    for (const id of options.cameras) sessions.set(id, newSession(now - initialUptimeSegments(id) * segMs));
  }
  const session = (id: string): Session => {
    const s = sessions.get(id);
    if (!s) throw new Error(`unknown camera "${id}"`);
    return s;
  };
  /** Segments 0 … count-1 are complete (published). */
  const publishedCount = (s: Session, now: number): number => s.frozenCount ?? Math.max(0, Math.floor((now - s.startMs - s.shiftMs) / segMs));
  const segmentStartMs = (s: Session, seq: number): number => s.startMs + seq * segMs + s.gaps.reduce((sum, g) => (g.seq <= seq ? sum + g.ms : sum), 0);

  const mediaPlaylist = (id: string, r: Rendition, now: number): string => {
    const s = session(id);
    const count = clips.get(id)!.segments[r].length;
    const published = publishedCount(s, now);
    const first = Math.max(0, published - windowSegments);
    const lines = [
      '#EXTM3U',
      '#EXT-X-VERSION:3',
      `#EXT-X-TARGETDURATION:${targetDuration}`,
      `#EXT-X-MEDIA-SEQUENCE:${first}`,
      // The clip wraps before every segment n with n mod count = 0: that many discontinuities lie
      // at or before the first listed segment (whose own tag is not repeated).
      `#EXT-X-DISCONTINUITY-SEQUENCE:${Math.floor(first / count)}`,
      '#EXT-X-INDEPENDENT-SEGMENTS',
    ];
    for (let seq = first; seq < published; seq++) {
      if (seq > first && seq % count === 0) lines.push('#EXT-X-DISCONTINUITY');
      lines.push(`#EXT-X-PROGRAM-DATE-TIME:${new Date(segmentStartMs(s, seq)).toISOString()}`, `#EXTINF:${extinf},`, `${r}/${seq}.ts`);
    }
    return `${lines.join('\n')}\n`;
  };

  const masterPlaylist = (id: string): string => {
    const clip = clips.get(id)!;
    const lines = ['#EXTM3U', '#EXT-X-VERSION:3', '#EXT-X-INDEPENDENT-SEGMENTS'];
    for (const r of RENDITIONS) {
      const { width, height, codecs } = manifest.renditions[r];
      const bw = bandwidth(clip, r);
      const frameRate = manifest.fps ? `,FRAME-RATE=${manifest.fps.toFixed(3)}` : '';
      lines.push(`#EXT-X-STREAM-INF:BANDWIDTH=${bw.peak},AVERAGE-BANDWIDTH=${bw.average},RESOLUTION=${width}x${height},CODECS="${codecs}"${frameRate},NAME="${r}"`, `${r}.m3u8`);
    }
    return `${lines.join('\n')}\n`;
  };

  // ---- HTTP
  const send = (res: ServerResponse, status: number, type: string, body: string | Buffer, cache = 'no-cache'): void => {
    res.writeHead(status, {
      'Content-Type': type,
      'Content-Length': Buffer.byteLength(body),
      'Cache-Control': cache,
      'Access-Control-Allow-Origin': '*',
    });
    res.end(body);
  };
  const notFound = (res: ServerResponse, message: string): void => send(res, 404, 'text/plain; charset=utf-8', `${message}\n`, 'no-store');

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        'Access-Control-Allow-Origin': '*',
        'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS',
        'Access-Control-Allow-Headers': '*',
        'Access-Control-Max-Age': '86400',
      });
      res.end();
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD, OPTIONS');
      send(res, 405, 'text/plain; charset=utf-8', 'method not allowed\n', 'no-store');
      return;
    }
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://camera.invalid').pathname);
    } catch {
      notFound(res, 'bad path');
      return;
    }
    const now = Date.now();
    if (path === '/cameras' || path === '/cameras/') {
      const list = options.cameras.map((id) => ({ id, master: `${baseUrl}/cameras/${id}/index.m3u8`, main: `${baseUrl}/cameras/${id}/main.m3u8`, sub: `${baseUrl}/cameras/${id}/sub.m3u8`, snapshot: `${baseUrl}/cameras/${id}/snapshot.jpg`, state: api.status(id).state }));
      send(res, 200, 'application/json; charset=utf-8', `${JSON.stringify({ demo: true, note: 'DEMO footage (synthetic)', cameras: list }, null, 2)}\n`);
      return;
    }
    const m = /^\/cameras\/([^/]+)\/(.+)$/.exec(path);
    if (!m) {
      notFound(res, `not found: ${path} (cameras are at /cameras/{id}/index.m3u8, main.m3u8, sub.m3u8, snapshot.jpg)`);
      return;
    }
    const id = m[1]!;
    const rest = m[2]!;
    const s = sessions.get(id);
    if (!s) {
      notFound(res, `unknown camera "${id}" (this server has ${options.cameras.join(', ')})`);
      return;
    }
    if (s.stopped) {
      notFound(res, `camera "${id}" is offline (simulated fault)`);
      return;
    }
    const clip = clips.get(id)!;
    if (rest === 'index.m3u8') {
      send(res, 200, PLAYLIST_TYPE, masterPlaylist(id));
      return;
    }
    const playlist = /^(main|sub)\.m3u8$/.exec(rest);
    if (playlist) {
      send(res, 200, PLAYLIST_TYPE, mediaPlaylist(id, playlist[1] as Rendition, now));
      return;
    }
    const segment = /^(main|sub)\/(\d{1,15})\.ts$/.exec(rest);
    if (segment) {
      const r = segment[1] as Rendition;
      const seq = Number(segment[2]);
      // Published segments, and the one being "recorded" (a little slack for clock skew).
      if (seq > publishedCount(s, now)) {
        notFound(res, `camera "${id}": segment ${seq} is not available`);
        return;
      }
      const list = clip.segments[r];
      send(res, 200, SEGMENT_TYPE, list[seq % list.length]!, 'public, max-age=60');
      return;
    }
    if (rest === 'snapshot.jpg') {
      if (!clip.snapshot) notFound(res, `camera "${id}" has no snapshot`);
      else send(res, 200, 'image/jpeg', clip.snapshot);
      return;
    }
    notFound(res, `not found: ${path}`);
  };

  const server = createServer((req, res) => {
    try {
      handle(req, res);
    } catch (error) {
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', `${String(error)}\n`, 'no-store');
      else res.destroy();
    }
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolveListen();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const baseUrl = `http://${urlHost}:${port}`;

  let closed: Promise<void> | null = null;
  const api: CameraServer = {
    baseUrl,
    port,
    renditions: manifest.renditions,
    cameras: [...options.cameras],
    stop(id) {
      session(id).stopped = true;
    },
    freeze(id) {
      const s = session(id);
      if (s.frozenCount === null) s.frozenCount = publishedCount(s, Date.now());
    },
    resume(id) {
      const s = session(id);
      s.stopped = false;
      if (s.frozenCount !== null) {
        // Continue with segment frozenCount, recorded from now on: it and later ones are late by the stall.
        const now = Date.now();
        const shift = now - s.startMs - s.frozenCount * segMs;
        const gap = shift - s.shiftMs;
        if (gap > 0) {
          s.gaps.push({ seq: s.frozenCount, ms: gap });
          s.shiftMs = shift;
        }
        s.frozenCount = null;
      }
    },
    restart(id) {
      session(id);
      // A full window at once (segments 0 … window-1), so players can start right away.
      sessions.set(id, newSession(Date.now() - windowSegments * segMs));
    },
    status(id) {
      const s = session(id);
      const published = publishedCount(s, Date.now());
      return { state: s.stopped ? 'stopped' : s.frozenCount !== null ? 'frozen' : 'live', mediaSequence: Math.max(0, published - windowSegments) };
    },
    close() {
      closed ??= new Promise<void>((resolveClose) => {
        server.close(() => resolveClose());
        server.closeAllConnections();
      });
      return closed;
    },
  };
  return api;
}
