/**
 * Live miniature of the whole wall: the virtual plane scaled to fit, displays with the bezels
 * between them, every tile as a box. Drag a box to move it, its corner handle to resize it; the
 * ghost snaps to the wall grid and the command goes out on release (only if something changed).
 */
import { useEffect, useLayoutEffect, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Tile, TileRect, WallDefinition, WallState } from '../../native-bridge/contract.js';
import { displayOrigin, displaySlots, gridSize, tileVirtualRect, rectsOverlap, virtualPxToGrid, virtualSize } from '../../native-bridge/wall-geometry.js';
import { session } from '../session/session.js';
import { useNow } from '../hooks/useNow.js';
import { useLive } from '../session/live-hooks.js';
import { showToast, useAppStore } from '../session/store.js';
import { gridSize as cameraGridSize, slotCameras } from '../tiles/camera-grid/view.js';
import { snapshotUrl } from '../video/streams.js';
import { tileTitle } from '../tiles/TileFrame.js';
import { clamp, sameRect } from './layout.js';
import { useEditedWall, useStaging } from './staging.js';

interface Drag {
  id: string;
  mode: 'move' | 'resize';
  pointerId: number;
  start: TileRect;
  /** Virtual-px offset from the pointer to the dragged point (tile origin, or bottom-right corner). */
  offsetX: number;
  offsetY: number;
  ghost: TileRect;
}

interface Pending {
  id: string;
  rect: TileRect;
  /** Keep showing `rect` until the store reaches this revision (null: command still in flight). */
  untilRevision: number | null;
}

/**
 * `editable` false: the person may look and select, not move, resize or maximize (their role cannot
 * change the wall). Given a `state` (replay: the wall as it was) it draws that instead of the live one.
 */
export function Miniature({ selectedId, onSelect, editable, state: shown }: { selectedId: string | null; onSelect: (id: string | null) => void; editable: boolean; state?: WallState }) {
  const { t, i18n } = useTranslation();
  const live = useEditedWall();
  const staged = useStaging((s) => s.draft !== null) && shown === undefined;
  const replayed = shown !== undefined;
  const state = shown ?? live;
  const revision = useAppStore((s) => s.revision);
  const frameRef = useRef<HTMLDivElement>(null);
  const planeRef = useRef<HTMLDivElement>(null);
  const [avail, setAvail] = useState({ width: 800, height: 450 });
  const dragRef = useRef<Drag | null>(null);
  const [drag, setDrag] = useState<Drag | null>(null);
  const [pending, setPending] = useState<Pending | null>(null);

  useLayoutEffect(() => {
    const frame = frameRef.current;
    if (!frame) return;
    const measure = () => setAvail({ width: frame.clientWidth, height: frame.clientHeight });
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(frame);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    if (pending && pending.untilRevision !== null && revision >= pending.untilRevision) setPending(null);
  }, [pending, revision]);

  if (!state) {
    return (
      <div className="miniature-frame" ref={frameRef} data-testid="wall-miniature">
        <div className="miniature-empty">{t('console.noWall')}</div>
      </div>
    );
  }

  const wall = state.wall;
  const size = virtualSize(wall);
  const scale = Math.max(0.01, Math.min((avail.width - 2) / size.width, (avail.height - 2) / size.height));
  const grid = gridSize(wall);

  const toVirtual = (clientX: number, clientY: number) => {
    const box = planeRef.current?.getBoundingClientRect();
    return { x: (clientX - (box?.left ?? 0)) / scale, y: (clientY - (box?.top ?? 0)) / scale };
  };

  const begin = (e: ReactPointerEvent<HTMLElement>, tile: Tile, mode: Drag['mode']) => {
    if (e.button !== 0) return;
    e.preventDefault();
    e.stopPropagation();
    onSelect(tile.id);
    if (pending || !editable) return; // one edit at a time
    const p = toVirtual(e.clientX, e.clientY);
    const r = tileVirtualRect(wall, tile.rect);
    const anchor = mode === 'move' ? { x: r.x, y: r.y } : { x: r.x + r.width, y: r.y + r.height };
    e.currentTarget.setPointerCapture(e.pointerId);
    const next: Drag = { id: tile.id, mode, pointerId: e.pointerId, start: tile.rect, offsetX: anchor.x - p.x, offsetY: anchor.y - p.y, ghost: tile.rect };
    dragRef.current = next;
    setDrag(next);
  };

  const move = (e: ReactPointerEvent<HTMLElement>) => {
    const d = dragRef.current;
    if (!d || e.pointerId !== d.pointerId) return;
    const p = toVirtual(e.clientX, e.clientY);
    const g = virtualPxToGrid(wall, { x: p.x + d.offsetX, y: p.y + d.offsetY });
    const s = d.start;
    const ghost =
      d.mode === 'move'
        ? { x: clamp(g.x, 0, grid.cols - s.w), y: clamp(g.y, 0, grid.rows - s.h), w: s.w, h: s.h }
        : { x: s.x, y: s.y, w: clamp(g.x - s.x, 1, grid.cols - s.x), h: clamp(g.y - s.y, 1, grid.rows - s.y) };
    if (sameRect(ghost, d.ghost)) return;
    const next = { ...d, ghost };
    dragRef.current = next;
    setDrag(next);
  };

  const end = (e: ReactPointerEvent<HTMLElement>, cancelled: boolean) => {
    const d = dragRef.current;
    if (!d || e.pointerId !== d.pointerId) return;
    dragRef.current = null;
    setDrag(null);
    if (e.currentTarget.hasPointerCapture(e.pointerId)) e.currentTarget.releasePointerCapture(e.pointerId);
    if (cancelled || sameRect(d.ghost, d.start)) return;
    const rect = d.ghost;
    const covered = state?.tiles.find((t) => t.id !== d.id && rectsOverlap(t.rect, rect));
    if (covered) {
      // the host refuses overlaps too; saying so here names the tile in the way and sends nothing
      showToast(t('console.dropOverlaps', { tile: tileTitle(covered, i18n.language) }));
      return;
    }
    setPending({ id: d.id, rect, untilRevision: null });
    const command = d.mode === 'move' ? { type: 'move-tile' as const, id: d.id, x: rect.x, y: rect.y } : { type: 'resize-tile' as const, id: d.id, rect };
    void session()
      .execute(command)
      .then((result) => setPending((p) => (p && p.id === d.id ? (result ? { ...p, untilRevision: result.revision } : null) : p)));
  };

  // the ghost shows the refusal before the drop
  const conflict = drag ? state.tiles.some((t) => t.id !== drag.id && rectsOverlap(t.rect, drag.ghost)) : false;

  const placed = (tile: Tile): TileRect => {
    if (pending && pending.id === tile.id) return pending.rect;
    return tile.rect;
  };

  const px = (r: TileRect) => {
    const v = tileVirtualRect(wall, r);
    return { left: v.x * scale, top: v.y * scale, width: v.width * scale, height: v.height * scale };
  };

  return (
    <div
      className={`miniature-frame${editable ? '' : ' read-only'}${staged ? ' staged' : ''}`}
      ref={frameRef}
      data-testid={replayed ? 'replay-miniature' : 'wall-miniature'}
      data-scale={scale.toFixed(5)}
      data-staged={staged ? 'true' : undefined}
    >
      {staged ? (
        <div className="miniature-staged-banner" data-testid="staged-banner">
          {t('staging.banner')}
        </div>
      ) : null}
      <div
        className="miniature-plane"
        ref={planeRef}
        style={{ width: size.width * scale, height: size.height * scale }}
        onPointerDown={(e) => {
          if (e.target === e.currentTarget || (e.target as HTMLElement).classList.contains('mini-display')) onSelect(null);
        }}
      >
        {displaySlots(wall).map((slot) => (
          <MiniDisplay key={slot.windowId} wall={wall} row={slot.row} column={slot.column} scale={scale} windowId={slot.windowId} />
        ))}
        {state.tiles.map((tile) => {
          const dragging = drag?.id === tile.id;
          const rect = placed(tile);
          return (
            <div
              key={tile.id}
              className={`mini-tile kind-${tile.kind}${selectedId === tile.id ? ' selected' : ''}${dragging ? ' dragging' : ''}${pending?.id === tile.id ? ' pending' : ''}`}
              data-mini-tile-id={tile.id}
              data-kind={tile.kind}
              data-rect={`${tile.rect.x},${tile.rect.y},${tile.rect.w},${tile.rect.h}`}
              style={px(rect)}
              onPointerDown={(e) => begin(e, tile, 'move')}
              onPointerMove={move}
              onPointerUp={(e) => end(e, false)}
              onPointerCancel={(e) => end(e, true)}
              onDoubleClick={tile.kind === 'camera-grid' && editable ? (e) => toggleMaximized(tile, e.clientX, e.clientY) : undefined}
              onLostPointerCapture={(e) => {
                if (dragRef.current && e.pointerId === dragRef.current.pointerId && dragRef.current.id === tile.id) end(e, false);
              }}
              title={`${tileTitle(tile, i18n.language)} (${tile.id})`}
            >
              {tile.kind === 'camera-grid' ? <MiniCameraGrid tile={tile} /> : null}
              {tile.kind === 'camera' ? <MiniCamera cameraId={tile.props.cameraId} /> : null}
              <span className="mini-tile-kind">{t(`tiles.${tile.kind}.name`, { defaultValue: tile.kind })}</span>
              {tile.title ? <span className="mini-tile-title">{tileTitle(tile, i18n.language)}</span> : null}
              <span className="mini-tile-rect">
                {tile.rect.w}×{tile.rect.h} @ {tile.rect.x},{tile.rect.y}
              </span>
              {editable ? (
              <span
                className="mini-resize-handle"
                data-resize-handle
                aria-label={t('console.resize')}
                onPointerDown={(e) => begin(e, tile, 'resize')}
              />
              ) : null}
            </div>
          );
        })}
        {drag && !sameRect(drag.ghost, drag.start) ? (
          <div
            className={`mini-ghost${conflict ? ' conflict' : ''}`}
            data-conflict={conflict ? 'true' : 'false'}
            data-ghost-for={drag.id} data-ghost-rect={`${drag.ghost.x},${drag.ghost.y},${drag.ghost.w},${drag.ghost.h}`} style={px(drag.ghost)}>
            <span>
              {drag.ghost.w}×{drag.ghost.h} @ {drag.ghost.x},{drag.ghost.y}
            </span>
          </div>
        ) : null}
      </div>
    </div>
  );
}

/**
 * Double-click on a grid's cell maximizes that camera (again: back to the grid). Pointer capture
 * retargets the click to the tile box, so the cell is found under the pointer.
 */
function toggleMaximized(tile: Extract<Tile, { kind: 'camera-grid' }>, clientX: number, clientY: number): void {
  const cell = document.elementsFromPoint(clientX, clientY).map((el) => el.closest<HTMLElement>('[data-mini-camera-cell]')).find((el) => el !== null);
  const cameraId = cell?.dataset.cameraId ?? '';
  if (tile.props.maximized) {
    void session().execute({ type: 'set-tile-props', id: tile.id, props: { maximized: null } });
  } else if (cameraId) {
    void session().execute({ type: 'set-tile-props', id: tile.id, props: { maximized: cameraId } });
  }
}

/** The cells of a camera grid in the miniature: drop targets, camera names, the maximized one. */
function MiniCameraGrid({ tile }: { tile: Extract<Tile, { kind: 'camera-grid' }> }) {
  const cameras = useLive((s) => s.cameras);
  const now = useNow();
  const slots = slotCameras(tile.props, now);
  const { columns, rows } = cameraGridSize(tile.props);
  const max = tile.props.maximized;
  return (
    <div className="mini-camera-grid" style={{ gridTemplateColumns: `repeat(${columns}, 1fr)`, gridTemplateRows: `repeat(${rows}, 1fr)` }}>
      {slots.map((id, i) => (
        <div
          key={i}
          className={`mini-camera-cell${id ? '' : ' empty'}${max && max === id ? ' maximized' : ''}`}
          data-mini-camera-cell
          data-tile-id={tile.id}
          data-slot={i}
          data-camera-id={id}
          title={id ? (cameras.get(id)?.name ?? id) : undefined}
        >
          {id ? (cameras.get(id)?.name ?? id) : ''}
        </div>
      ))}
    </div>
  );
}

/** A camera tile in the miniature: the camera's snapshot (loaded once; no live player in the console). */
function MiniCamera({ cameraId }: { cameraId: string }) {
  const camera = useLive((s) => (cameraId ? s.cameras.get(cameraId) : undefined));
  const src = camera ? snapshotUrl(camera.streams.sub.url) : null;
  const [failed, setFailed] = useState<string | null>(null);
  return (
    <div className="mini-camera" data-mini-camera={cameraId}>
      {src && failed !== src ? <img src={src} alt="" draggable={false} onError={() => setFailed(src)} /> : null}
      <span className="mini-camera-name">{camera?.name ?? cameraId}</span>
    </div>
  );
}

/** One display of the wall, labelled as people call it (row and column), its window id for tests only. */
export function MiniDisplay({ wall, row, column, scale, windowId }: { wall: WallDefinition; row: number; column: number; scale: number; windowId: string }) {
  const { t } = useTranslation();
  const label = t('displays.window', { row: row + 1, column: column + 1 });
  const origin = displayOrigin(wall, row, column);
  const cellW = (wall.display.width / wall.grid.colsPerDisplay) * scale;
  const cellH = (wall.display.height / wall.grid.rowsPerDisplay) * scale;
  return (
    <div
      className="mini-display"
      data-display={windowId}
      style={{
        left: origin.x * scale,
        top: origin.y * scale,
        width: wall.display.width * scale,
        height: wall.display.height * scale,
        backgroundSize: `${cellW}px ${cellH}px`,
      }}
    >
      <span className="mini-display-label">{label}</span>
    </div>
  );
}
