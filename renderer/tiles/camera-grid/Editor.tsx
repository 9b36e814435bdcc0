/**
 * Prop editor of a camera grid: layout, the camera of each cell, the maximized camera, the tour,
 * and "Camera gần nhất": the cameras nearest a point (typed, or a sensor's location) fill the grid.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, session } from '../../session/session.js';
import { useLive } from '../../session/live-hooks.js';
import { showToast } from '../../session/store.js';
import { CheckboxField, EditorGrid, NumberField, SelectField } from '../editor-fields.js';
import type { TileEditorProps } from '../types.js';
import { CameraSelect } from '../camera/CameraSelect.js';
import { cameraGridLayouts } from '../../../native-bridge/tile-props/camera-grid.js';
import { cellCount } from './view.js';

/** Nearest cameras are searched within this radius. */
export const NEAREST_RADIUS_KM = 5;

export default function CameraGridEditor({ tile, onChange }: TileEditorProps<'camera-grid'>) {
  const { t } = useTranslation();
  const props = tile.props;
  const count = cellCount(props);
  const slots = Array.from({ length: count }, (_, i) => props.cameras[i] ?? '');
  const tour = props.tour ?? { enabled: false, dwellSeconds: 15, cameras: [] };

  const setSlot = (index: number, id: string) => {
    const next = [...slots];
    next[index] = id;
    onChange({ cameras: trimEmpty(next) });
  };

  return (
    <div className="editor-camera-grid">
      <EditorGrid>
        <SelectField
          name="layout"
          label={t('editor.prop.gridLayout')}
          value={props.layout}
          options={cameraGridLayouts.map((value) => ({ value, label: value === 'custom' ? t('editor.gridLayout.custom') : value.replace('x', '×') }))}
          onChange={(value) => onChange({ layout: value })}
        />
        {props.layout === 'custom' ? (
          <>
            <NumberField name="columns" label={t('editor.prop.columns')} hint={t('editor.range', { min: 1, max: 8 })} value={props.columns} min={1} max={8} onChange={(value) => onChange({ columns: value })} />
            <NumberField name="rows" label={t('editor.prop.rows')} hint={t('editor.range', { min: 1, max: 8 })} value={props.rows} min={1} max={8} onChange={(value) => onChange({ rows: value })} />
          </>
        ) : null}
        <CameraSelect name="maximized" label={t('editor.prop.maximized')} value={props.maximized ?? ''} onChange={(value) => onChange({ maximized: value === '' ? null : value })} />
      </EditorGrid>
      <fieldset className="editor-camera-slots" data-prop="cameras">
        <legend>{t('editor.prop.cameras')}</legend>
        <div className="camera-slot-grid" style={{ gridTemplateColumns: `repeat(${Math.min(4, count)}, minmax(0, 1fr))` }}>
          {slots.map((id, i) => (
            <CameraSelect key={i} name={`camera-${i}`} value={id} onChange={(value) => setSlot(i, value)} />
          ))}
        </div>
      </fieldset>
      <NearestCameras tileId={tile.id} limit={count} onFound={(ids) => onChange({ cameras: ids, maximized: null })} />
      <fieldset className="editor-tour" data-prop="tour">
        <legend>{t('editor.prop.tour')}</legend>
        <EditorGrid>
          <CheckboxField name="tourEnabled" label={t('editor.tourEnabled')} checked={tour.enabled} onChange={(enabled) => onChange({ tour: { ...tour, enabled } })} />
          <NumberField
            name="dwellSeconds"
            label={t('editor.prop.dwellSeconds')}
            hint={t('editor.range', { min: 5, max: 3600 })}
            value={tour.dwellSeconds}
            min={5}
            max={3600}
            onChange={(dwellSeconds) => onChange({ tour: { ...tour, dwellSeconds } })}
          />
        </EditorGrid>
        <TourCameras value={tour.cameras} onChange={(cameras) => onChange({ tour: { ...tour, cameras } })} />
        <small className="editor-hint">{t('editor.tourHint')}</small>
      </fieldset>
    </div>
  );
}

function trimEmpty(ids: string[]): string[] {
  const out = [...ids];
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out;
}

function TourCameras({ value, onChange }: { value: string[]; onChange: (ids: string[]) => void }) {
  const { t } = useTranslation();
  const cameras = useLive((s) => s.cameraList);
  const chosen = new Set(value);
  return (
    <div className="editor-tour-cameras">
      {cameras.map((c) => (
        <label key={c.id} className="editor-check">
          <input
            type="checkbox"
            name={`tour-${c.id}`}
            data-tour-camera={c.id}
            checked={chosen.has(c.id)}
            onChange={(e) => onChange(e.target.checked ? [...value, c.id] : value.filter((id) => id !== c.id))}
          />
          <span>{c.name}</span>
        </label>
      ))}
      {cameras.length === 0 ? <span className="muted">{t('cameras.empty')}</span> : null}
    </div>
  );
}

/** "Camera gần nhất": a point (typed or a sensor's) → 'cameras.nearest' → the grid's cameras. */
function NearestCameras({ tileId, limit, onFound }: { tileId: string; limit: number; onFound: (ids: string[]) => void }) {
  const { t } = useTranslation();
  const sensors = useLive((s) => s.sensors);
  const [lat, setLat] = useState('');
  const [lon, setLon] = useState('');
  const [sensorId, setSensorId] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<string | null>(null);

  const pickSensor = (id: string) => {
    setSensorId(id);
    const sensor = sensors.get(id);
    if (sensor) {
      setLat(String(sensor.location.lat));
      setLon(String(sensor.location.lon));
    }
  };

  const la = Number(lat);
  const lo = Number(lon);
  const valid = lat.trim() !== '' && lon.trim() !== '' && Number.isFinite(la) && Number.isFinite(lo) && Math.abs(la) <= 90 && Math.abs(lo) <= 180;

  const find = async () => {
    if (!valid) return;
    setBusy(true);
    try {
      const { cameras } = await session().client.call('cameras.nearest', { location: { lat: la, lon: lo }, radiusKm: NEAREST_RADIUS_KM, limit: Math.min(64, limit) });
      if (cameras.length === 0) {
        setResult(t('nearest.none', { km: NEAREST_RADIUS_KM }));
        return;
      }
      const ids = cameras.map((c) => c.id);
      setResult(t('nearest.found', { count: ids.length }));
      onFound(ids);
      // fill the grid at once: this is an action, not a draft edit
      await session().execute({ type: 'set-tile-props', id: tileId, props: { cameras: ids, maximized: null } });
    } catch (error) {
      showToast(t('nearest.failed', { message: errorMessage(error) }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <fieldset className="editor-nearest" data-testid="nearest-cameras">
      <legend>{t('nearest.title')}</legend>
      <div className="editor-grid">
        <label className="editor-field">
          <span>{t('nearest.lat')}</span>
          <input type="text" inputMode="decimal" name="nearest-lat" value={lat} onChange={(e) => setLat(e.target.value)} placeholder="10.9574" />
        </label>
        <label className="editor-field">
          <span>{t('nearest.lon')}</span>
          <input type="text" inputMode="decimal" name="nearest-lon" value={lon} onChange={(e) => setLon(e.target.value)} placeholder="106.8427" />
        </label>
        <label className="editor-field">
          <span>{t('nearest.fromSensor')}</span>
          <select name="nearest-sensor" value={sensorId} onChange={(e) => pickSensor(e.target.value)}>
            <option value="">—</option>
            {[...sensors.values()].map((s) => (
              <option key={s.id} value={s.id}>
                {s.name} ({s.id})
              </option>
            ))}
          </select>
        </label>
      </div>
      <button type="button" className="btn" data-testid="nearest-find" disabled={!valid || busy} onClick={() => void find()}>
        {t('nearest.action', { count: limit, km: NEAREST_RADIUS_KM })}
      </button>
      {result ? <small className="editor-hint" data-testid="nearest-result">{result}</small> : null}
    </fieldset>
  );
}
