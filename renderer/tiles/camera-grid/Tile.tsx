/**
 * A grid of live cameras. A maximized camera fills the tile (the same cell instance grows, so its
 * player switches to the main stream make-before-break); a tour pages through its cameras on a
 * clock shared by every window. Double-click maximizes only in the console: wall windows are
 * display-only and follow props.maximized.
 */
import { useEffect, useState } from 'react';
import { session } from '../../session/session.js';
import { CameraCell, EmptyCameraCell } from '../../video/CameraCell.js';
import type { TileProps } from '../types.js';
import { gridSize, nextTourChange, slotCameras } from './view.js';

export default function CameraGridTile({ tile, context }: TileProps<'camera-grid'>) {
  const props = tile.props;
  const [now, setNow] = useState(() => Date.now());
  const next = nextTourChange(props, now);
  useEffect(() => {
    if (next === null) return;
    const timer = setTimeout(() => setNow(Date.now()), Math.max(0, next - Date.now()) + 20);
    return () => clearTimeout(timer);
  }, [next]);

  const { columns, rows } = gridSize(props);
  const slots = slotCameras(props, now);
  const maximized = props.maximized;
  const maxIndex = maximized ? slots.indexOf(maximized) : -1;

  const toggle = (cameraId: string) => {
    if (context.surface !== 'console') return;
    void session().execute({ type: 'set-tile-props', id: tile.id, props: { maximized: maximized === cameraId ? null : cameraId } });
  };

  const cell = (cameraId: string, index: number, isMax: boolean) =>
    cameraId ? (
      <CameraCell
        key={isMax && index < 0 ? 'max' : `slot-${index}`}
        tileId={tile.id}
        slot={String(index)}
        cameraId={cameraId}
        preference="auto"
        showName
        surface={context.surface}
        maximized={isMax}
        onActivate={() => toggle(cameraId)}
      />
    ) : (
      <EmptyCameraCell key={`slot-${index}`} slot={index} />
    );

  return (
    <div
      className="camera-grid"
      data-columns={columns}
      data-rows={rows}
      data-maximized={maximized ?? undefined}
      style={maximized ? undefined : { gridTemplateColumns: `repeat(${columns}, 1fr)`, gridTemplateRows: `repeat(${rows}, 1fr)` }}
    >
      {maximized ? cell(maximized, maxIndex, true) : slots.map((id, i) => cell(id, i, false))}
    </div>
  );
}
