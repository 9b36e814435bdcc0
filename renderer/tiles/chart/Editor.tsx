/** Prop editor of the chart tile: time series or per-commune bars, which indicators, time range, target line. */
import { useTranslation } from 'react-i18next';
import { CheckboxField, EditorGrid, NumberField, SelectField } from '../editor-fields.js';
import { IndicatorChecklist } from '../indicator/IndicatorChecklist.js';
import type { TileEditorProps } from '../types.js';
import { chartProps } from '../../../native-bridge/tile-props/chart.js';

const modes = chartProps.shape.mode.unwrap().options;
const MAX_HOURS = 24 * 800;

export default function ChartEditor({ tile, onChange }: TileEditorProps<'chart'>) {
  const { t } = useTranslation();
  const { mode, ids, rangeHours, showTarget } = tile.props;
  return (
    <div className="editor-chart">
      <EditorGrid>
        <SelectField name="mode" label={t('editor.prop.chartMode')} value={mode} options={modes.map((value) => ({ value, label: t(`chart.mode.${value}`) }))} onChange={(value) => onChange({ mode: value })} />
        <NumberField
          name="rangeHours"
          label={t('editor.prop.rangeHours')}
          hint={t('editor.range', { min: 1, max: MAX_HOURS })}
          value={rangeHours}
          min={1}
          max={MAX_HOURS}
          onChange={(value) => onChange({ rangeHours: value })}
        />
        <CheckboxField name="showTarget" label={t('editor.prop.showTarget')} checked={showTarget} onChange={(value) => onChange({ showTarget: value })} />
      </EditorGrid>
      <IndicatorChecklist chosen={ids} max={6} hint={t(mode === 'communes' ? 'editor.chartCommunesHint' : 'editor.chartSeriesHint')} onChange={(next) => onChange({ ids: next })} />
    </div>
  );
}
