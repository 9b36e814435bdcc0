/**
 * The live player of one camera cell: hls.js into <video> elements it owns inside a box element,
 * imperatively (no React re-render per frame).
 *
 *  - Honest liveness: every presented frame (requestVideoFrameCallback) is counted; a watchdog
 *    marks the cell stalled when no new frame came for 3 s while shown, or when the live playlist
 *    stopped advancing (the frames still trickling out of the buffer are no longer live). The last
 *    frame stays visible (copied to a canvas), the player is destroyed and recreated with
 *    exponential backoff 2 s → 30 s. While waiting, the playlist is probed every 2 s (one small
 *    GET): once it was seen down and then advances again, the player is recreated at once.
 *  - hls.js errors: a fatal MEDIA_ERROR gets recoverMediaError(), then swapAudioCodec() +
 *    recoverMediaError(), then a new player; a fatal NETWORK_ERROR (or any other) a new player
 *    with the same backoff. Never a tight loop.
 *  - Make-before-break: a stream switch (sub ↔ main) starts the new player hidden under the old
 *    picture; it is swapped in at a presented frame once it has data to play on, so no black or
 *    frozen frame.
 */
import Hls, { ErrorTypes, Events, type ErrorData } from 'hls.js';
import { hlsConfig } from './hls-config.js';
import { countPlayer } from './pool.js';
import { backoffMs, START_TIMEOUT_MS, STALL_AFTER_MS, startFailed, type StreamName } from './streams.js';

export type CameraState = 'starting' | 'playing' | 'stalled' | 'recovering' | 'snapshot' | 'error';

export interface EngineStatus {
  /** The camera this status is about (null before the first target): a cell whose camera just changed (a tour's next page) shows nothing of the last one's state. */
  cameraId: string | null;
  state: CameraState;
  stream: StreamName;
  /** When the state was entered (epoch ms). */
  since: number;
  lastFrameAt: number | null;
  /** The picture shown is frozen since (epoch ms); null while live. */
  staleSince: number | null;
  /** Why the cell is in 'error' (unsupported browser). */
  error: 'unsupported' | null;
}

export interface EngineTarget {
  cameraId: string;
  url: string;
  stream: StreamName;
}

interface Player {
  hls: Hls;
  video: HTMLVideoElement;
  stream: StreamName;
  url: string;
  createdAt: number;
  firstFrameAt: number | null;
  lastFrameAt: number | null;
  /** Last time the live playlist advanced or a fragment arrived. */
  sourceAt: number;
  live: boolean;
  targetDuration: number;
  mediaErrors: number;
  dead: boolean;
  /** The video's furthest time seen, and when it last advanced (0: never). */
  mediaTime: number;
  mediaAt: number;
}

const WATCHDOG_MS = 500;
const PROBE_MS = 2000;
/** Backoff resets after this much steady playing. */
const STEADY_MS = 10_000;

type Listener = (status: EngineStatus) => void;

declare global {
  interface Window {
    /** Bench hook: live latency of every shown player (now − hls.js playingDate, i.e. the EXT-X-PROGRAM-DATE-TIME of the position shown). */
    __iocPlayerLatency?: () => { cameraId: string | null; latencyMs: number | null }[];
  }
}

/** The players whose picture is shown (current, not pending), for window.__iocPlayerLatency. */
const shownPlayers = new Map<Player, HTMLElement>();
if (typeof window !== 'undefined') {
  window.__iocPlayerLatency = () =>
    [...shownPlayers].map(([p, box]) => {
      const date = p.hls.playingDate;
      const cell = box.closest<HTMLElement>('[data-camera-id]');
      return { cameraId: cell?.dataset.cameraId ?? null, latencyMs: date ? Date.now() - date.getTime() : null };
    });
}

export class CameraEngine {
  private current: Player | null = null;
  private pending: Player | null = null;
  private target: EngineTarget | null = null;
  private status: EngineStatus;
  private frames = 0;
  private attempts = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private probeTimer: ReturnType<typeof setInterval> | null = null;
  private probe: { seenDown: boolean; last: string | null; busy: boolean } = { seenDown: false, last: null, busy: false };
  private readonly watchdog: ReturnType<typeof setInterval>;
  private disposed = false;

  constructor(
    private readonly box: HTMLElement,
    private readonly freeze: HTMLCanvasElement,
    private readonly onStatus: Listener,
    private readonly onFrames: (frames: number) => void,
    initialStream: StreamName,
  ) {
    this.status = { cameraId: null, state: 'starting', stream: initialStream, since: Date.now(), lastFrameAt: null, staleSince: null, error: null };
    this.watchdog = setInterval(() => this.tick(), WATCHDOG_MS);
  }

  /** Plays `target` (null = stop and free the player). Same camera, other stream = make-before-break. */
  update(target: EngineTarget | null): void {
    if (this.disposed) return;
    const previous = this.target;
    this.target = target;
    if (!target) {
      this.stopAll();
      this.clearFreeze();
      this.setStatus({ state: 'starting', staleSince: null });
      return;
    }
    if (!Hls.isSupported()) {
      this.setStatus({ cameraId: target.cameraId, state: 'error', error: 'unsupported', stream: target.stream });
      return;
    }
    if (previous && previous.cameraId === target.cameraId && previous.url === target.url) return;
    if (!previous || previous.cameraId !== target.cameraId) {
      // another camera: its old picture must not stay under the new name
      this.stopAll();
      this.clearFreeze();
      this.attempts = 0;
      this.frames = 0;
      this.onFrames(0);
      this.setStatus({ cameraId: target.cameraId, state: 'starting', stream: target.stream, staleSince: null, lastFrameAt: null });
      this.current = this.createPlayer(target);
      return;
    }
    // same camera, other stream
    this.clearRetry();
    if (this.current && this.current.firstFrameAt !== null && this.status.state === 'playing') {
      if (this.pending) this.destroyPlayer(this.pending);
      this.pending = this.createPlayer(target);
    } else if (this.status.state === 'stalled') {
      // waiting for a retry: the retry will use the new stream
      this.setStatus({ stream: target.stream });
      this.scheduleRetry(true);
    } else {
      if (this.current) this.destroyPlayer(this.current);
      this.current = this.createPlayer(target);
      this.setStatus({ stream: target.stream });
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    clearInterval(this.watchdog);
    this.stopAll();
  }

  // -------------------------------------------------------------------------------------------

  private createPlayer(target: EngineTarget): Player {
    const video = document.createElement('video');
    video.muted = true;
    video.autoplay = true;
    video.playsInline = true;
    video.disablePictureInPicture = true;
    video.className = 'camera-video';
    video.dataset.stream = target.stream;
    // a new player sits under whatever is shown until its first frame
    video.style.zIndex = '0';
    this.box.insertBefore(video, this.box.firstChild);
    const hls = new Hls(hlsConfig);
    countPlayer(1);
    const now = Date.now();
    const player: Player = {
      hls,
      video,
      stream: target.stream,
      url: target.url,
      createdAt: now,
      firstFrameAt: null,
      lastFrameAt: null,
      sourceAt: now,
      live: false,
      targetDuration: 2,
      mediaErrors: 0,
      dead: false,
      mediaTime: 0,
      mediaAt: 0,
    };
    hls.on(Events.MANIFEST_PARSED, () => {
      video.play().catch(() => {});
    });
    hls.on(Events.LEVEL_UPDATED, (_e, data) => {
      player.live = data.details.live;
      player.targetDuration = data.details.targetduration || player.targetDuration;
      if (data.details.updated) player.sourceAt = Date.now();
    });
    hls.on(Events.FRAG_LOADED, () => {
      player.sourceAt = Date.now();
    });
    hls.on(Events.ERROR, (_e, data) => this.onError(player, data));
    const onFrame = () => {
      if (player.dead) return;
      this.onPresented(player);
      video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
    hls.attachMedia(video);
    hls.loadSource(target.url);
    return player;
  }

  private destroyPlayer(player: Player): void {
    if (player.dead) return;
    player.dead = true;
    shownPlayers.delete(player);
    try {
      player.hls.destroy();
    } catch {
      // already torn down
    }
    countPlayer(-1);
    player.video.remove();
    if (this.current === player) this.current = null;
    if (this.pending === player) this.pending = null;
  }

  private stopAll(): void {
    this.clearRetry();
    if (this.pending) this.destroyPlayer(this.pending);
    if (this.current) this.destroyPlayer(this.current);
  }

  private onPresented(player: Player): void {
    const now = Date.now();
    player.firstFrameAt ??= now;
    player.lastFrameAt = now;
    if (player === this.pending) {
      // swapped in at a presented frame once it can play on: a player that shows its first frame
      // and then waits for data (a loaded machine, the larger main stream) would stand still on
      // top of the old one, which keeps playing until then
      if (player.video.readyState < HTMLMediaElement.HAVE_FUTURE_DATA) return;
      // the new stream has a picture: bring it up, then drop the old one a frame later
      const old = this.current;
      this.current = player;
      this.pending = null;
      player.video.style.zIndex = '1';
      if (old) {
        old.video.style.zIndex = '0';
        requestAnimationFrame(() => requestAnimationFrame(() => this.destroyPlayer(old)));
      }
      this.setStatus({ stream: player.stream });
    }
    if (player !== this.current) return;
    if (!shownPlayers.has(player)) shownPlayers.set(player, this.box);
    this.frames++;
    this.onFrames(this.frames);
    player.video.style.zIndex = '1';
    if (this.status.state !== 'playing') {
      this.clearRetry();
      this.clearFreeze();
      this.setStatus({ state: 'playing', staleSince: null, lastFrameAt: now, stream: player.stream });
    } else {
      this.status.lastFrameAt = now;
    }
  }

  private tick(): void {
    if (this.disposed || !this.target) return;
    const now = Date.now();
    const p = this.current;
    if (this.pending && now - this.pending.createdAt > START_TIMEOUT_MS) {
      // the new stream did not come up (still pending, so never able to play on): keep the old one, try the switch again later
      this.destroyPlayer(this.pending);
    }
    if (!p) return;
    if (this.status.state === 'playing' && p.lastFrameAt !== null) {
      const noFrames = now - p.lastFrameAt > STALL_AFTER_MS;
      const sourceLimit = Math.max(STALL_AFTER_MS, p.targetDuration * 1500 + 500);
      const sourceStopped = p.live && now - p.sourceAt > sourceLimit;
      if (noFrames || sourceStopped) {
        this.stall(p, sourceStopped && !noFrames);
        return;
      }
      if (p.firstFrameAt !== null && now - p.firstFrameAt > STEADY_MS) this.attempts = 0;
    } else if (this.status.state === 'starting' || this.status.state === 'recovering') {
      // no (new) first frame in time: give up on this player, later if its media is decoding
      if (startFailed(now - Math.max(p.createdAt, this.status.since, p.lastFrameAt ?? 0), this.decoding(p, now))) this.stall(p, false);
    }
  }

  /** The player's media is being decoded: its time advanced within the stall limit and fragments keep arriving. */
  private decoding(player: Player, now: number): boolean {
    const time = player.video.currentTime;
    if (time > player.mediaTime) {
      player.mediaTime = time;
      player.mediaAt = now;
    }
    return player.mediaAt > 0 && now - player.mediaAt < STALL_AFTER_MS && now - player.sourceAt < STALL_AFTER_MS + player.targetDuration * 1000;
  }

  private onError(player: Player, data: ErrorData): void {
    if (player.dead || !data.fatal) return;
    if (data.type === ErrorTypes.MEDIA_ERROR && player.mediaErrors < 2) {
      player.mediaErrors++;
      if (player === this.current) {
        this.captureFreeze(player);
        this.setStatus({ state: 'recovering', staleSince: player.lastFrameAt ?? Date.now() });
      }
      if (player.mediaErrors === 2) player.hls.swapAudioCodec();
      player.hls.recoverMediaError();
      return;
    }
    if (player === this.pending) {
      this.destroyPlayer(player);
      return;
    }
    this.stall(player, data.type === ErrorTypes.NETWORK_ERROR);
  }

  /** Freeze the last picture, drop the player, retry with backoff. */
  private stall(player: Player, sourceDown: boolean): void {
    const now = Date.now();
    if (player === this.current) this.captureFreeze(player);
    const staleSince = this.status.staleSince ?? player.lastFrameAt ?? this.status.lastFrameAt ?? now;
    this.stopAll();
    this.setStatus({ state: this.frames > 0 || this.status.lastFrameAt !== null ? 'stalled' : 'error', staleSince });
    this.probe = { seenDown: sourceDown, last: null, busy: false };
    this.scheduleRetry(false);
  }

  private scheduleRetry(immediate: boolean): void {
    this.clearRetry();
    const delay = immediate ? 0 : backoffMs(this.attempts);
    this.attempts++;
    this.retryTimer = setTimeout(() => this.retry(), delay);
    if (!immediate) this.probeTimer = setInterval(() => void this.runProbe(), PROBE_MS);
  }

  private retry(): void {
    this.clearRetry();
    if (this.disposed || !this.target) return;
    if (this.current) this.destroyPlayer(this.current);
    this.current = this.createPlayer(this.target);
    this.setStatus({ state: 'recovering', stream: this.target.stream });
  }

  /** Shortcut of the backoff: the playlist was seen down (failing or not advancing) and now advances. */
  private async runProbe(): Promise<void> {
    const target = this.target;
    if (!target || this.probe.busy) return;
    this.probe.busy = true;
    let text: string | null = null;
    try {
      let url = target.url;
      let response = await fetch(url, { cache: 'no-store' });
      text = response.ok ? await response.text() : null;
      const variant = text ? /#EXT-X-STREAM-INF[^\n]*\n\s*([^#\s][^\n]*)/.exec(text)?.[1] : undefined;
      if (variant) {
        // a master playlist never changes: probe its first media playlist instead
        url = new URL(variant.trim(), url).href;
        response = await fetch(url, { cache: 'no-store' });
        text = response.ok ? await response.text() : null;
      }
    } catch {
      text = null;
    }
    const probe = this.probe;
    probe.busy = false;
    if (this.target !== target || (this.status.state !== 'stalled' && this.status.state !== 'error')) return;
    if (text === null || text === probe.last) {
      probe.seenDown = true;
    } else if (probe.seenDown && probe.last !== text && /#EXTINF/.test(text)) {
      this.retry();
      return;
    }
    if (text !== null) probe.last = text;
  }

  private clearRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.probeTimer) clearInterval(this.probeTimer);
    this.retryTimer = null;
    this.probeTimer = null;
  }

  private captureFreeze(player: Player): void {
    const video = player.video;
    if (this.freeze.dataset.frozen === 'true' || video.videoWidth === 0 || player.firstFrameAt === null) return;
    try {
      this.freeze.width = video.videoWidth;
      this.freeze.height = video.videoHeight;
      this.freeze.getContext('2d')?.drawImage(video, 0, 0);
      this.freeze.dataset.frozen = 'true';
    } catch {
      // nothing to keep
    }
  }

  private clearFreeze(): void {
    if (this.freeze.dataset.frozen !== 'true') return;
    this.freeze.dataset.frozen = 'false';
    this.freeze.width = 1;
    this.freeze.height = 1;
  }

  private setStatus(patch: Partial<EngineStatus>): void {
    const next = { ...this.status, ...patch };
    if (patch.state && patch.state !== this.status.state) next.since = Date.now();
    const changed = next.cameraId !== this.status.cameraId || next.state !== this.status.state || next.stream !== this.status.stream || next.staleSince !== this.status.staleSince || next.error !== this.status.error;
    this.status = next;
    if (changed && !this.disposed) this.onStatus(next);
  }
}
