/** A single live camera. */
import { CameraCell, EmptyCameraCell } from '../../video/CameraCell.js';
import type { TileProps } from '../types.js';

export default function CameraTile({ tile, context }: TileProps<'camera'>) {
  const { cameraId, stream, showName } = tile.props;
  return (
    <div className="camera-tile">
      {cameraId ? (
        <CameraCell tileId={tile.id} slot="0" cameraId={cameraId} preference={stream} showName={showName} surface={context.surface} />
      ) : (
        <EmptyCameraCell slot={0} />
      )}
    </div>
  );
}
