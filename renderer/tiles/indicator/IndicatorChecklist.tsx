/** Indicator picker of the console's editors: one checkbox per indicator, grouped by sector, in the host's order. */
import { useTranslation } from 'react-i18next';
import { useIndicators } from '../../session/indicators-store.js';

export function IndicatorChecklist({ chosen, max, hint, onChange }: { chosen: readonly string[]; max: number; hint: string; onChange: (ids: string[]) => void }) {
  const { t, i18n } = useTranslation();
  const all = useIndicators((s) => s.indicators);
  const picked = new Set(chosen);
  const toggle = (id: string, on: boolean) => {
    if (on) onChange([...chosen, id].slice(0, max));
    else onChange(chosen.filter((c) => c !== id));
  };
  return (
    <fieldset className="editor-kinds editor-indicators" data-prop="ids">
      <legend>{t('editor.prop.indicators')}</legend>
      {all.map((view) => (
        <label key={view.id} className="editor-check" title={t(`indicators.sector.${view.sector}`, { defaultValue: view.sector })}>
          <input
            type="checkbox"
            name={`indicator-${view.id}`}
            data-indicator-id={view.id}
            checked={picked.has(view.id)}
            disabled={!picked.has(view.id) && chosen.length >= max}
            onChange={(e) => toggle(view.id, e.target.checked)}
          />
          <span>{i18n.language === 'en' ? view.title.en : view.title.vi}</span>
        </label>
      ))}
      <small className="editor-hint">{hint}</small>
    </fieldset>
  );
}
