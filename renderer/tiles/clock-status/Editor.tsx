/** Prop editor of the clock/status bar: what it shows besides the time. */
import { useTranslation } from 'react-i18next';
import { CheckboxField, EditorGrid } from '../editor-fields.js';
import type { TileEditorProps } from '../types.js';

export default function ClockStatusEditor({ tile, onChange }: TileEditorProps<'clock-status'>) {
  const { t } = useTranslation();
  const { showSeconds, showDate, showLinks } = tile.props;
  return (
    <EditorGrid>
      <CheckboxField name="showSeconds" label={t('editor.prop.showSeconds')} checked={showSeconds} onChange={(value) => onChange({ showSeconds: value })} />
      <CheckboxField name="showDate" label={t('editor.prop.showDate')} checked={showDate} onChange={(value) => onChange({ showDate: value })} />
      <CheckboxField name="showLinks" label={t('editor.prop.showLinks')} checked={showLinks} onChange={(value) => onChange({ showLinks: value })} />
    </EditorGrid>
  );
}
