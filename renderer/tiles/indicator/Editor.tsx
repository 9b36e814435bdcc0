/** Prop editor of the indicator tile: which indicators (or a sector group), layout, sparkline, summary. */
import { useTranslation } from 'react-i18next';
import { useIndicators } from '../../session/indicators-store.js';
import { CheckboxField, EditorGrid, SelectField } from '../editor-fields.js';
import type { TileEditorProps } from '../types.js';
import { IndicatorChecklist } from './IndicatorChecklist.js';
import { indicatorProps } from '../../../native-bridge/tile-props/indicator.js';

const layouts = indicatorProps.shape.layout.unwrap().options;
const ALL = '';

export default function IndicatorEditor({ tile, onChange }: TileEditorProps<'indicator'>) {
  const { t } = useTranslation();
  const groups = useIndicators((s) => s.groups);
  const { ids, sector, layout, sparkline, summary } = tile.props;
  return (
    <div className="editor-indicator">
      <IndicatorChecklist chosen={ids} max={32} hint={t('editor.indicatorsHint')} onChange={(next) => onChange({ ids: next })} />
      <EditorGrid>
        <SelectField
          name="sector"
          label={t('editor.prop.sector')}
          value={sector ?? ALL}
          options={[{ value: ALL, label: t('editor.sectorAll') }, ...groups.map((g) => ({ value: g.sector, label: t(`indicators.sector.${g.sector}`, { defaultValue: g.sector }) }))]}
          onChange={(value) => onChange({ sector: value === ALL ? undefined : value })}
        />
        <SelectField
          name="layout"
          label={t('editor.prop.layout')}
          value={layout}
          options={layouts.map((value) => ({ value, label: t(`editor.layout.${value}`) }))}
          onChange={(value) => onChange({ layout: value })}
        />
        <CheckboxField name="sparkline" label={t('editor.prop.sparkline')} checked={sparkline} onChange={(value) => onChange({ sparkline: value })} />
        <CheckboxField name="summary" label={t('editor.prop.summary')} checked={summary} onChange={(value) => onChange({ summary: value })} />
      </EditorGrid>
    </div>
  );
}
