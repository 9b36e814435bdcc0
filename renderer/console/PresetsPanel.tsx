/** Presets: recall one onto the wall (a button, or Alt+1 … Alt+9 from anywhere on the console), or save the current wall as a new/updated preset. */
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { slugFrom } from '../../native-bridge/slugs.js';
import { session } from '../session/session.js';
import { showToast, useAppStore } from '../session/store.js';
import { usePermissions } from './permissions.js';
import { isTypingTarget } from './TilePanel.js';

/** The key that recalls the list's preset at `index`: the first nine have one. */
export const presetShortcut = (index: number): string | null => (index < 9 ? `Alt+${index + 1}` : null);

/**
 * Alt+1 … Alt+9 recall the first nine presets wherever the console's focus is (not while typing),
 * whichever dock tab is open; a toast names what was recalled, since the list may be out of view.
 * Read from the key's position (`code`), as Alt changes the character on some keyboard layouts.
 */
export function usePresetShortcuts(enabled: boolean): void {
  const { t, i18n } = useTranslation();
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      const digit = /^Digit([1-9])$/.exec(e.code);
      if (!digit || !e.altKey || e.ctrlKey || e.metaKey || e.shiftKey || isTypingTarget(e.target)) return;
      const index = Number(digit[1]) - 1;
      const preset = useAppStore.getState().presets?.[index];
      if (!preset) return;
      e.preventDefault();
      const title = i18n.language === 'en' ? preset.title.en : preset.title.vi;
      void session()
        .execute({ type: 'apply-preset', name: preset.name })
        .then((done) => {
          if (done) showToast(t('presets.recalledByKey', { title, key: presetShortcut(index) }), 'info');
        });
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled, t, i18n.language]);
}

export function PresetsPanel() {
  const { t, i18n } = useTranslation();
  const presets = useAppStore((s) => s.presets);
  const active = useAppStore((s) => s.wall?.activePreset ?? null);
  const [busy, setBusy] = useState<string | null>(null);
  const may = usePermissions();

  const recall = async (name: string) => {
    setBusy(name);
    await session().execute({ type: 'apply-preset', name });
    setBusy(null);
  };

  return (
    <section className="panel presets-panel" data-testid="presets-panel">
      <h2 className="panel-title">{t('presets.title')}</h2>
      {presets === null ? (
        <div className="muted">{t('common.loading')}</div>
      ) : presets.length === 0 ? (
        <div className="muted">{t('presets.empty')}</div>
      ) : (
        <ul className="preset-list">
          {presets.map((p, index) => (
            <li key={p.name} className={`preset-item${p.name === active ? ' active' : ''}`} data-preset-item={p.name} data-active={p.name === active ? 'true' : 'false'}>
              <div className="preset-text">
                <div className="preset-title">{i18n.language === 'en' ? p.title.en : p.title.vi}</div>
                <div className="preset-meta">
                  <span className={`badge source-${p.source}`}>{t(`presets.source.${p.source}`)}</span> · {t('presets.tiles', { count: p.tiles })}
                  {p.name === active ? <span className="badge badge-active">{t('presets.active')}</span> : null}
                  {may.command('apply-preset') && presetShortcut(index) ? <kbd className="preset-key">{presetShortcut(index)}</kbd> : null}
                </div>
              </div>
              {may.command('apply-preset') ? (
                <button type="button" className="btn btn-primary" data-preset={p.name} disabled={busy !== null} onClick={() => void recall(p.name)}>
                  {busy === p.name ? t('presets.recalling') : t('presets.recall')}
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {may.command('save-preset') ? <SavePresetForm /> : null}
    </section>
  );
}

/** Save the wall under a Vietnamese name; the id is made from it, and an existing preset is replaced only when the person says so. */
function SavePresetForm() {
  const { t, i18n } = useTranslation();
  const presets = useAppStore((s) => s.presets);
  const [titleVi, setTitleVi] = useState('');
  const [titleEn, setTitleEn] = useState('');
  const [saving, setSaving] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const vi = titleVi.trim();
  const name = slugFrom(vi, 'bo-cuc');
  const existing = presets?.find((p) => p.name === name) ?? null;
  const canSave = !saving && vi !== '';

  const save = async (overwrite: boolean) => {
    setSaving(true);
    const en = titleEn.trim() || vi;
    const result = await session().execute({ type: 'save-preset', name, title: { vi, en }, ...(overwrite ? { overwrite } : {}) });
    setSaving(false);
    setConfirming(false);
    if (result) {
      showToast(t('presets.saved', { title: vi }), 'info');
      setTitleVi('');
      setTitleEn('');
      void session().refreshPresets();
    }
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!canSave) return;
    if (existing) setConfirming(true);
    else void save(false);
  };

  return (
    <form className="save-preset" onSubmit={submit} data-testid="save-preset-form">
      <h3 className="panel-subtitle">{t('presets.saveTitle')}</h3>
      <label>
        <span>{t('presets.titleVi')}</span>
        <input name="preset-title-vi" value={titleVi} onChange={(e) => { setTitleVi(e.target.value); setConfirming(false); }} lang="vi" placeholder="vd: Ca đêm" autoComplete="off" />
      </label>
      <label>
        <span>{t('presets.titleEn')}</span>
        <input name="preset-title-en" value={titleEn} onChange={(e) => setTitleEn(e.target.value)} placeholder={titleVi} lang="en" />
      </label>
      {vi !== '' ? (
        <div className="muted preset-id" data-testid="preset-id" data-preset-id={name}>
          {t('presets.id', { name })}
        </div>
      ) : null}
      {confirming && existing ? (
        <div className="confirm-inline" role="alertdialog" data-testid="preset-overwrite">
          <p>{t(existing.source === 'file' ? 'presets.overwriteFile' : 'presets.overwrite', { title: i18n.language === 'en' ? existing.title.en : existing.title.vi, count: existing.tiles })}</p>
          <button type="button" className="btn btn-danger" data-testid="preset-overwrite-confirm" disabled={saving} onClick={() => void save(true)}>
            {t('presets.overwriteConfirm')}
          </button>
          <button type="button" className="btn" onClick={() => setConfirming(false)}>
            {t('common.cancel')}
          </button>
        </div>
      ) : (
        <button type="submit" className="btn" data-testid="save-preset" disabled={!canSave}>
          {saving ? t('presets.saving') : t('presets.save')}
        </button>
      )}
    </form>
  );
}
