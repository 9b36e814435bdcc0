/** Prop editor of a camera tile: which camera, which stream, whether to show its name. */
import { useTranslation } from 'react-i18next';
import { CheckboxField, EditorGrid, SelectField } from '../editor-fields.js';
import type { TileEditorProps } from '../types.js';
import { CameraSelect } from './CameraSelect.js';
import { cameraProps } from '../../../native-bridge/tile-props/camera.js';

const streams = cameraProps.shape.stream.unwrap().options;

export default function CameraEditor({ tile, onChange }: TileEditorProps<'camera'>) {
  const { t } = useTranslation();
  const { cameraId, stream, showName } = tile.props;
  return (
    <EditorGrid>
      <CameraSelect name="cameraId" label={t('editor.prop.cameraId')} value={cameraId} onChange={(value) => onChange({ cameraId: value })} />
      <SelectField
        name="stream"
        label={t('editor.prop.stream')}
        value={stream}
        options={streams.map((value) => ({ value, label: t(`editor.stream.${value}`) }))}
        onChange={(value) => onChange({ stream: value })}
      />
      <CheckboxField name="showName" label={t('editor.prop.showName')} checked={showName} onChange={(value) => onChange({ showName: value })} />
    </EditorGrid>
  );
}
