/**
 * One wall display window: the display's slice of the wall's virtual plane. Each tile is placed
 * at its full bezel-compensated rectangle in this window's pixels and clipped by the window, so
 * a tile spanning displays reads as one picture. Reports each painted revision to the host.
 */
import { memo, useEffect, useLayoutEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { Tile, TileRect, WallDefinition, WindowId } from '../../native-bridge/contract.js';
import { type PixelRect, parseDisplayWindowId, tileColumnSpans, tileInDisplay, tileRowSpans, tileTextPiece, tileVirtualRect } from '../../native-bridge/wall-geometry.js';
import { LinkOverlay } from '../components/LinkOverlay.js';
import { StandbyMark } from '../components/StandbyMark.js';
import { DrillMark } from '../components/DrillMark.js';
import { EnrolmentScreen } from './EnrolmentScreen.js';
import { session } from '../session/session.js';
import { useAppStore } from '../session/store.js';
import { useLive } from '../session/live-hooks.js';
import { markTimeline } from '../session/timeline.js';
import { setsTextInOnePiece, TileColumnSpans, TileRowSpans } from '../tiles/bezel-spans.js';
import { TileFrame } from '../tiles/TileFrame.js';
import type { TileContext } from '../tiles/types.js';

export function WallApp({ windowId }: { windowId: WindowId }) {
  const { t } = useTranslation();
  const state = useAppStore((s) => s.wall);
  const revision = useAppStore((s) => s.revision);
  const link = useAppStore((s) => s.link);
  const enrolmentNeeded = useAppStore((s) => s.enrolmentNeeded);
  // which node this window is on and its pair state, for snapshots, tests and the failover bench
  const nodeId = useAppStore((s) => s.status?.nodeId);
  const nodeState = useAppStore((s) => s.status?.pair?.state ?? 'standalone');
  const slot = parseDisplayWindowId(windowId);
  const context = useMemo<TileContext>(() => ({ windowId, surface: 'wall' }), [windowId]);
  const hasState = state !== null;

  // a live snapshot (cached readings at a cold start, a resync) is a new picture too: report it once
  // painted, not every live batch (ten a second)
  const liveSnapshots = useLive((s) => s.snapshots);

  // After a revision or a live snapshot has been committed, report it at the next frame. Cheap on
  // purpose: no state, no re-render — data attributes for tests and one fire-and-forget call for the host.
  useEffect(() => {
    if (!hasState) return;
    // the tiles' effects ran before this parent's: the revision's commit is done
    markTimeline('ioc-wall:committed', revision);
    const frame = requestAnimationFrame(() => {
      const root = document.getElementById('wall');
      if (root) {
        root.dataset.paintedRevision = String(revision);
        root.dataset.paintedLiveSnapshots = String(liveSnapshots);
      }
      session().reportPainted(revision);
    });
    return () => cancelAnimationFrame(frame);
  }, [revision, hasState, link, liveSnapshots]);

  if (enrolmentNeeded) return <EnrolmentScreen windowId={windowId} />;
  const wall = state?.wall;
  const inWall = wall && slot ? slot.row < wall.rows && slot.column < wall.columns : false;
  const style = wall ? { width: wall.display.width, height: wall.display.height, fontSize: wall.display.height / 40 } : undefined;

  return (
    <div id="wall" className="wall" data-window-id={windowId} data-revision={revision} data-node={nodeId} data-node-state={nodeState} style={style}>
      {/* the window's one map canvas, beneath every tile (map tiles are views of it) */}
      <div id="wall-map-layer" className="wall-map-layer" />
      {wall && slot && inWall
        ? state.tiles.map((tile) => {
            const rect = tileInDisplay(wall, tile.rect, slot.row, slot.column);
            if (!rect) return null;
            return <WallTile key={tile.id} tile={tile} wall={wall} left={rect.x} top={rect.y} width={rect.width} height={rect.height} context={context} />;
          })
        : null}
      {wall && !inWall ? (
        <div className="wall-message">{t('wall.outside', { window: windowId, rows: wall.rows, columns: wall.columns })}</div>
      ) : null}
      <StandbyMark />
      <DrillMark />
      <LinkOverlay />
    </div>
  );
}

interface WallTileProps {
  tile: Tile;
  wall: WallDefinition;
  left: number;
  top: number;
  width: number;
  height: number;
  context: TileContext;
}

/** Memoized by tile identity (applyWallPatches keeps unchanged tiles identical) and placement numbers. */
const WallTile = memo(function WallTile({ tile, wall, left, top, width, height, context }: WallTileProps) {
  const ref = useRef<HTMLDivElement>(null);
  // renders of this tile, once per commit: the scenario bench counts those of tiles a patch left as they were
  useLayoutEffect(() => {
    const element = ref.current;
    if (element) element.dataset.renders = String(Number(element.dataset.renders ?? 0) + 1);
  });
  const spans = useMemo(() => tileColumnSpans(wall, tile.rect), [wall, tile.rect]);
  const rowSpans = useMemo(() => tileRowSpans(wall, tile.rect), [wall, tile.rect]);
  const piece = useMemo(() => textPiece(wall, tile.kind, tile.rect), [wall, tile.kind, tile.rect]);
  const frame = <TileFrame tile={tile} context={context} />;
  return (
    <div ref={ref} className="tile" data-tile-id={tile.id} data-kind={tile.kind} data-text-piece={piece ? '' : undefined} style={{ position: 'absolute', left, top, width, height }}>
      <TileColumnSpans.Provider value={spans}>
        <TileRowSpans.Provider value={rowSpans}>
          {piece ? (
            <div className="tile-text-piece" style={{ left: piece.x, top: piece.y, width: piece.width, height: piece.height }}>
              {frame}
            </div>
          ) : (
            frame
          )}
        </TileRowSpans.Provider>
      </TileColumnSpans.Provider>
    </div>
  );
});

/** Where a tile of lines and tables sets its text when it spans displays; null when it need not. */
function textPiece(wall: WallDefinition, kind: string, rect: TileRect): PixelRect | null {
  if (!setsTextInOnePiece(kind)) return null;
  const piece = tileTextPiece(wall, rect);
  const whole = tileVirtualRect(wall, rect);
  return piece.width < whole.width || piece.height < whole.height ? piece : null;
}
