/**
 * One camera cell (a camera tile, or one cell of a camera grid): the live player when shown on a
 * wall window and a pool slot is free, else the camera's snapshot refreshed every 5 s; its name
 * and an honest liveness badge ("TRỰC TIẾP" only while frames advance). Offscreen or in a hidden
 * document the player is destroyed, not paused, and started again when shown.
 *
 * Test hooks: [data-camera-cell][data-camera-id][data-state][data-stream][data-frames] on the
 * cell, the <video> inside, and [data-badge=live|stale|snapshot|connecting].
 */
import { memo, useEffect, useLayoutEffect, useRef, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { formatTime } from '../format.js';
import { useCamera, useLive } from '../session/live-hooks.js';
import { CameraEngine, type CameraState, type EngineStatus } from './engine.js';
import { cameraHealthReporter } from './health.js';
import { playerPool } from './pool.js';
import { chooseStream, pictureInView, SNAPSHOT_REFRESH_MS, snapshotUrl, type StreamName, type StreamPreference } from './streams.js';

export interface CameraCellProps {
  tileId: string;
  /** Unique within the tile (grid slot index); keys the health report. */
  slot: string;
  cameraId: string;
  preference: StreamPreference;
  showName: boolean;
  surface: 'wall' | 'console';
  /** Double-click (console only: wall windows are display-only). */
  onActivate?: (() => void) | undefined;
  maximized?: boolean;
}

const VIEW_THRESHOLDS = Array.from({ length: 101 }, (_, i) => i / 100);

function subscribeVisibility(listener: () => void): () => void {
  document.addEventListener('visibilitychange', listener);
  return () => document.removeEventListener('visibilitychange', listener);
}
const documentVisible = () => document.visibilityState === 'visible';

export const CameraCell = memo(function CameraCell({ tileId, slot, cameraId, preference, showName, surface, onActivate, maximized = false }: CameraCellProps) {
  const { t } = useTranslation();
  const camera = useCamera(cameraId);
  const registryLoaded = useLive((s) => s.loaded);
  const cellRef = useRef<HTMLDivElement>(null);
  const boxRef = useRef<HTMLDivElement>(null);
  const freezeRef = useRef<HTMLCanvasElement>(null);
  const engineRef = useRef<CameraEngine | null>(null);
  const [status, setStatus] = useState<EngineStatus | null>(null);
  const [size, setSize] = useState({ width: 0, height: 0 });
  const [inView, setInView] = useState(false);
  const [granted, setGranted] = useState(false);
  const docVisible = useSyncExternalStore(subscribeVisibility, documentVisible, documentVisible);

  // the picture's shape, for deciding whether the visible part of the cell shows any of it
  const aspectRef = useRef(16 / 9);
  const aspect = camera ? camera.streams.sub.width / camera.streams.sub.height : null;
  useEffect(() => {
    if (aspect) aspectRef.current = aspect;
  }, [aspect]);

  useLayoutEffect(() => {
    const cell = cellRef.current;
    if (!cell) return;
    cell.dataset.frames = '0';
    const resize = new ResizeObserver(([entry]) => {
      if (!entry) return;
      const { width, height } = entry.contentRect;
      setSize((s) => (Math.abs(s.width - width) < 1 && Math.abs(s.height - height) < 1 ? s : { width, height }));
    });
    resize.observe(cell);
    // fine thresholds: the observer reports again when the visible part crosses into the picture
    const intersect = new IntersectionObserver(
      ([entry]) => setInView(entry !== undefined && pictureInView(entry.boundingClientRect, entry.isIntersecting ? entry.intersectionRect : null, aspectRef.current)),
      { threshold: VIEW_THRESHOLDS },
    );
    intersect.observe(cell);
    return () => {
      resize.disconnect();
      intersect.disconnect();
    };
  }, []);

  const wantLive = surface === 'wall' && camera !== undefined && inView && docVisible && size.width > 0;

  // a slot of the window's player pool while we want to play; beyond the limit: snapshot
  useEffect(() => {
    if (!wantLive) return;
    const owner = {};
    setGranted(playerPool.request(owner, () => setGranted(true)));
    return () => {
      playerPool.release(owner);
      setGranted(false);
    };
  }, [wantLive]);

  const stream: StreamName = camera ? chooseStream(camera, preference, size.width, size.height, window.devicePixelRatio || 1) : 'sub';
  const live = wantLive && granted;
  const url = camera?.streams[stream].url ?? null;

  useEffect(() => {
    const engine = new CameraEngine(
      boxRef.current!,
      freezeRef.current!,
      setStatus,
      (frames) => {
        if (cellRef.current) cellRef.current.dataset.frames = String(frames);
      },
      'sub',
    );
    engineRef.current = engine;
    return () => {
      engineRef.current = null;
      // torn down after the next frame: a layout change paints the new tiles first, and the old
      // players' hls.js teardown (the heaviest part of a scenario switch's commit) runs after it;
      // the timeout covers a hidden window, which runs no animation frames (dispose is idempotent)
      const dispose = () => engine.dispose();
      requestAnimationFrame(() => setTimeout(dispose, 0));
      setTimeout(dispose, 250);
    };
  }, []);

  useEffect(() => {
    engineRef.current?.update(live && url ? { cameraId, url, stream } : null);
  }, [live, cameraId, url, stream]);

  // the engine's status until it has taken this camera on is the last camera's (a tour turning its page)
  const current = status && status.cameraId === cameraId ? status : null;
  const snapshotMode = camera !== undefined && (surface === 'console' || (wantLive && !granted));
  const unknown = cameraId !== '' && camera === undefined && registryLoaded;
  const state: CameraState = snapshotMode ? 'snapshot' : unknown ? 'error' : (current?.state ?? 'starting');
  const shownStream: StreamName = current?.stream ?? stream;

  // when the shown state began (for the host's report)
  const [since, setSince] = useState(() => Date.now());
  useEffect(() => {
    setSince(current && current.state === state ? current.since : Date.now());
  }, [state, current]);

  // liveness report to the host: shown cells only
  const reportKey = `${tileId}/${slot}`;
  const reported = surface === 'wall' && cameraId !== '' && inView && docVisible;
  useEffect(() => {
    if (!reported) {
      cameraHealthReporter.set(reportKey, null);
      return;
    }
    const lastFrameAt = current?.lastFrameAt ?? null;
    cameraHealthReporter.set(reportKey, { tileId, cameraId, state, stream: shownStream, since: Math.round(since), lastFrameAt: lastFrameAt === null ? null : Math.round(lastFrameAt) });
  }, [reported, reportKey, tileId, cameraId, state, shownStream, since, current]);
  useEffect(() => () => cameraHealthReporter.set(reportKey, null), [reportKey]);

  const snapshotSrc = snapshotMode && camera ? snapshotUrl(camera.streams.sub.url) : null;

  return (
    <div
      ref={cellRef}
      className={`camera-cell state-${state}${maximized ? ' maximized' : ''}`}
      data-camera-cell
      data-camera-id={cameraId}
      data-state={state}
      data-stream={shownStream}
      data-maximized={maximized ? 'true' : undefined}
      onDoubleClick={surface === 'console' ? onActivate : undefined}
    >
      <div ref={boxRef} className="camera-box">
        <canvas ref={freezeRef} className="camera-freeze" width={1} height={1} data-frozen="false" />
      </div>
      {snapshotSrc ? <SnapshotImage src={snapshotSrc} /> : null}
      <div className="camera-overlay">
        {showName ? <span className="camera-name">{camera?.name ?? cameraId}</span> : null}
        <Badge state={state} staleSince={current?.staleSince ?? null} />
      </div>
      {unknown ? <div className="camera-message">{t('camera.unknown', { id: cameraId })}</div> : null}
      {current?.error === 'unsupported' && !snapshotMode ? <div className="camera-message">{t('camera.unsupported')}</div> : null}
    </div>
  );
});

function Badge({ state, staleSince }: { state: CameraState; staleSince: number | null }) {
  const { t } = useTranslation();
  if (state === 'snapshot') return null; // SnapshotImage carries its own badge with the time
  if (state === 'playing') {
    return (
      <span className="camera-badge badge-live" data-badge="live">
        {t('camera.live')}
      </span>
    );
  }
  if (state === 'stalled' || state === 'recovering' || state === 'error') {
    return (
      <span className="camera-badge badge-stale" data-badge="stale">
        {staleSince !== null ? t('camera.staleSince', { time: formatTime(staleSince) }) : t('camera.noSignal')}
      </span>
    );
  }
  return (
    <span className="camera-badge badge-connecting" data-badge="connecting">
      {t('camera.connecting')}
    </span>
  );
}

/** The camera's still image, reloaded every 5 s; the new one replaces the old only once loaded. */
function SnapshotImage({ src }: { src: string }) {
  const { t } = useTranslation();
  const [shown, setShown] = useState<{ url: string; at: number } | null>(null);
  useEffect(() => {
    let alive = true;
    let loader: HTMLImageElement | null = null;
    const load = () => {
      const url = `${src}${src.includes('?') ? '&' : '?'}t=${Date.now()}`;
      loader = new Image();
      loader.onload = () => {
        if (alive) setShown({ url, at: Date.now() });
      };
      loader.src = url;
    };
    load();
    const timer = setInterval(load, SNAPSHOT_REFRESH_MS);
    return () => {
      alive = false;
      clearInterval(timer);
      if (loader) loader.onload = null;
    };
  }, [src]);
  return (
    <>
      {shown ? <img className="camera-snapshot" src={shown.url} alt="" draggable={false} /> : null}
      <span className="camera-badge badge-snapshot camera-snapshot-badge" data-badge="snapshot">
        {shown ? t('camera.snapshotAt', { time: formatTime(shown.at) }) : t('camera.snapshotLoading')}
      </span>
    </>
  );
}

/** A cell without a camera ('' in a grid, or a camera tile not yet assigned). */
export function EmptyCameraCell({ slot }: { slot: number }) {
  const { t } = useTranslation();
  return (
    <div className="camera-cell camera-empty" data-camera-slot={slot} data-empty="true">
      <span className="camera-message">{t('camera.none')}</span>
    </div>
  );
}
