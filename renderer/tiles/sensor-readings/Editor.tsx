/** Prop editor of the live sensor readings: which kinds and commune, layout, rows, sparklines. */
import { useTranslation } from 'react-i18next';
import { sensorKind, type SensorKind } from '../../../native-bridge/contract.js';
import { sensorReadingsProps } from '../../../native-bridge/tile-props/sensor-readings.js';
import { CheckboxField, EditorGrid, NumberField, SelectField, TextField } from '../editor-fields.js';
import type { TileEditorProps } from '../types.js';

const layouts = sensorReadingsProps.shape.layout.unwrap().options;

export default function SensorReadingsEditor({ tile, onChange }: TileEditorProps<'sensor-readings'>) {
  const { t } = useTranslation();
  const { kinds, commune, layout, maxRows, sparkline } = tile.props;
  const chosen = new Set<SensorKind>(kinds);
  const toggle = (kind: SensorKind, on: boolean) => {
    const next = new Set(chosen);
    if (on) next.add(kind);
    else next.delete(kind);
    // keep the schema's order so the same choice is always the same array
    onChange({ kinds: sensorKind.options.filter((k) => next.has(k)) });
  };
  return (
    <div className="editor-sensors">
      <fieldset className="editor-kinds" data-prop="kinds">
        <legend>{t('editor.prop.kinds')}</legend>
        {sensorKind.options.map((kind) => (
          <label key={kind} className="editor-check">
            <input type="checkbox" name={`kind-${kind}`} data-sensor-kind={kind} checked={chosen.has(kind)} onChange={(e) => toggle(kind, e.target.checked)} />
            <span>{t(`sensorKind.${kind}`)}</span>
          </label>
        ))}
        <small className="editor-hint">{t('editor.kindsHint')}</small>
      </fieldset>
      <EditorGrid>
        <TextField
          name="commune"
          label={t('editor.prop.commune')}
          value={commune ?? ''}
          placeholder={t('editor.communeAll')}
          onChange={(value) => onChange({ commune: value.trim() === '' ? undefined : value })}
        />
        <SelectField
          name="layout"
          label={t('editor.prop.layout')}
          value={layout}
          options={layouts.map((value) => ({ value, label: t(`editor.layout.${value}`) }))}
          onChange={(value) => onChange({ layout: value })}
        />
        <NumberField
          name="maxRows"
          label={t('editor.prop.maxRows')}
          hint={t('editor.range', { min: 1, max: 200 })}
          value={maxRows}
          min={1}
          max={200}
          onChange={(value) => onChange({ maxRows: value })}
        />
        <CheckboxField name="sparkline" label={t('editor.prop.sparkline')} checked={sparkline} onChange={(value) => onChange({ sparkline: value })} />
      </EditorGrid>
    </div>
  );
}
