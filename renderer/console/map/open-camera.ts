/**
 * Where a camera picked on the map opens: the wall's single-camera tile if there is one, else it
 * is maximized in the first camera grid (added to its cells if missing). Null when the wall has
 * neither: tiles may not overlap, so the console never squeezes a new tile in by itself.
 */
import type { Command, WallState } from '../../../native-bridge/contract.js';

export function openCameraCommand(state: WallState, cameraId: string): Command | null {
  const single = state.tiles.find((t) => t.kind === 'camera');
  if (single) return { type: 'set-tile-props', id: single.id, props: { cameraId } };
  const grid = state.tiles.find((t) => t.kind === 'camera-grid');
  if (grid && grid.kind === 'camera-grid') {
    const cameras = grid.props.cameras.includes(cameraId) ? grid.props.cameras : [cameraId, ...grid.props.cameras].slice(0, 64);
    return { type: 'set-tile-props', id: grid.id, props: { cameras, maximized: cameraId } };
  }
  return null;
}
