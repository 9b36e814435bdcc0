/** Prop editor of the gateway link health tile. */
import { useTranslation } from 'react-i18next';
import { CheckboxField, EditorGrid } from '../editor-fields.js';
import type { TileEditorProps } from '../types.js';

export default function LinkHealthEditor({ tile, onChange }: TileEditorProps<'link-health'>) {
  const { t } = useTranslation();
  return (
    <EditorGrid>
      <CheckboxField name="showCounters" label={t('editor.prop.showCounters')} checked={tile.props.showCounters} onChange={(value) => onChange({ showCounters: value })} />
    </EditorGrid>
  );
}
