/**
 * What the wall will become: the scenario's tiles on the wall's displays, drawn like the console's
 * miniature (same boxes, same colours) but read-only. The map and camera tiles say what the
 * engine will put in them at activation (the incident's view, the nearest cameras).
 */
import { useLayoutEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ScenarioSummary } from '../../../native-bridge/contract.js';
import { displaySlots, tileVirtualRect, virtualSize } from '../../../native-bridge/wall-geometry.js';
import { useAppStore } from '../../session/store.js';
import { tileTitle } from '../../tiles/TileFrame.js';
import { MiniDisplay } from '../Miniature.js';

export function WallPreview({ scenario }: { scenario: ScenarioSummary }) {
  const { t, i18n } = useTranslation();
  const wall = useAppStore((s) => s.wall?.wall);
  const frame = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(360);

  useLayoutEffect(() => {
    const element = frame.current;
    if (!element) return;
    const measure = () => setWidth(element.clientWidth);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  if (!wall) return <div className="muted">{t('console.noWall')}</div>;
  const size = virtualSize(wall);
  const scale = Math.max(0.01, (width - 2) / size.width);
  const note = (id: string): string | null => {
    if (scenario.map?.tileId === id) return t('scenarios.preview.mapAt', { zoom: scenario.map.zoom ?? '–' });
    if (scenario.cameras?.tileId === id) return t('scenarios.preview.cameras', { count: scenario.cameras.nearest, km: scenario.cameras.withinKm });
    return null;
  };

  return (
    <div className="wall-preview" ref={frame} data-testid="wall-preview" data-scenario={scenario.name}>
      <div className="miniature-plane" style={{ width: size.width * scale, height: size.height * scale }}>
        {displaySlots(wall).map((slot) => (
          <MiniDisplay key={slot.windowId} wall={wall} row={slot.row} column={slot.column} scale={scale} windowId={slot.windowId} />
        ))}
        {scenario.tiles.map((tile) => {
          const v = tileVirtualRect(wall, tile.rect);
          const extra = note(tile.id);
          return (
            <div
              key={tile.id}
              className={`mini-tile kind-${tile.kind}`}
              data-preview-tile-id={tile.id}
              style={{ left: v.x * scale, top: v.y * scale, width: v.width * scale, height: v.height * scale }}
              title={`${tileTitle(tile, i18n.language)} (${tile.id})`}
            >
              <span className="mini-tile-kind">{t(`tiles.${tile.kind}.name`, { defaultValue: tile.kind })}</span>
              {tile.title ? <span className="mini-tile-title">{tileTitle(tile, i18n.language)}</span> : null}
              {extra ? <span className="mini-tile-rect">{extra}</span> : null}
            </div>
          );
        })}
      </div>
    </div>
  );
}
