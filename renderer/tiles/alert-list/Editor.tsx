/** Prop editor of the alert list: lowest severity shown, acknowledged alerts, how many. */
import { useTranslation } from 'react-i18next';
import { alertListProps } from '../../../native-bridge/tile-props/alert-list.js';
import { CheckboxField, EditorGrid, NumberField, SelectField } from '../editor-fields.js';
import type { TileEditorProps } from '../types.js';

const severities = alertListProps.shape.minSeverity.unwrap().options;

export default function AlertListEditor({ tile, onChange }: TileEditorProps<'alert-list'>) {
  const { t } = useTranslation();
  const { minSeverity, showAcknowledged, maxItems } = tile.props;
  return (
    <EditorGrid>
      <SelectField
        name="minSeverity"
        label={t('editor.prop.minSeverity')}
        value={minSeverity}
        options={severities.map((value) => ({ value, label: t(`severity.${value}`) }))}
        onChange={(value) => onChange({ minSeverity: value })}
      />
      <NumberField
        name="maxItems"
        label={t('editor.prop.maxItems')}
        hint={t('editor.range', { min: 1, max: 200 })}
        value={maxItems}
        min={1}
        max={200}
        onChange={(value) => onChange({ maxItems: value })}
      />
      <CheckboxField name="showAcknowledged" label={t('editor.prop.showAcknowledged')} checked={showAcknowledged} onChange={(value) => onChange({ showAcknowledged: value })} />
    </EditorGrid>
  );
}
