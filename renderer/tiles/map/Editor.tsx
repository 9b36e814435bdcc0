/** Prop editor of a map tile: which layers it shows, what the choropleth counts, the legend. */
import { useTranslation } from 'react-i18next';
import { choroplethMeasure, mapLayerIds, type MapLayerId } from '../../../native-bridge/tile-props/map.js';
import { CheckboxField, EditorGrid, SelectField } from '../editor-fields.js';
import type { TileEditorProps } from '../types.js';

export default function MapEditor({ tile, onChange }: TileEditorProps<'map'>) {
  const { t } = useTranslation();
  const { layers, choropleth, legend } = tile.props;
  const shown = new Set<MapLayerId>(layers);
  const toggle = (layer: MapLayerId, on: boolean) => {
    const next = new Set(shown);
    if (on) next.add(layer);
    else next.delete(layer);
    // the schema's order is the drawing order, and the same choice is always the same array
    onChange({ layers: mapLayerIds.filter((l) => next.has(l)) });
  };
  return (
    <div className="editor-map">
      <fieldset className="editor-kinds" data-prop="layers">
        <legend>{t('editor.prop.mapLayers')}</legend>
        {mapLayerIds.map((layer) => (
          <label key={layer} className="editor-check">
            <input type="checkbox" name={`layer-${layer}`} data-map-layer={layer} checked={shown.has(layer)} onChange={(e) => toggle(layer, e.target.checked)} />
            <span>{t(`map.layers.${layer}`)}</span>
          </label>
        ))}
      </fieldset>
      <EditorGrid>
        <SelectField
          name="choropleth"
          label={t('editor.prop.choropleth')}
          value={choropleth}
          options={choroplethMeasure.options.map((value) => ({ value, label: t(`map.choropleth.${value}`) }))}
          onChange={(value) => onChange({ choropleth: value })}
        />
        <CheckboxField name="legend" label={t('editor.prop.legend')} checked={legend} onChange={(value) => onChange({ legend: value })} />
      </EditorGrid>
    </div>
  );
}
