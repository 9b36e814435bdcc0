/** A select of the live camera registry (shared by the camera editors). */
import { useTranslation } from 'react-i18next';
import { useLive } from '../../session/live-hooks.js';

export function CameraSelect({ name, label, value, onChange, allowEmpty = true }: { name: string; label?: string; value: string; onChange: (id: string) => void; allowEmpty?: boolean }) {
  const { t } = useTranslation();
  const cameras = useLive((s) => s.cameraList);
  const known = value === '' || cameras.some((c) => c.id === value);
  const select = (
    <select name={name} data-prop={name} value={value} onChange={(e) => onChange(e.target.value)}>
      {allowEmpty ? <option value="">{t('camera.none')}</option> : null}
      {known ? null : <option value={value}>{t('camera.unknown', { id: value })}</option>}
      {cameras.map((c) => (
        <option key={c.id} value={c.id}>
          {c.name} ({c.id})
        </option>
      ))}
    </select>
  );
  if (!label) return select;
  return (
    <label className="editor-field">
      <span>{label}</span>
      {select}
    </label>
  );
}
