/** Presets: recall one onto the wall, or save the current wall as a new/updated preset. */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { slug } from '../../native-bridge/contract.js';
import { session } from '../session/session.js';
import { showToast, useAppStore } from '../session/store.js';
import { usePermissions } from './permissions.js';

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
          {presets.map((p) => (
            <li key={p.name} className={`preset-item${p.name === active ? ' active' : ''}`} data-preset-item={p.name} data-active={p.name === active ? 'true' : 'false'}>
              <div className="preset-text">
                <div className="preset-title">{i18n.language === 'en' ? p.title.en : p.title.vi}</div>
                <div className="preset-meta">
                  <code>{p.name}</code> · <span className={`badge source-${p.source}`}>{t(`presets.source.${p.source}`)}</span> · {t('presets.tiles', { count: p.tiles })}
                  {p.name === active ? <span className="badge badge-active">{t('presets.active')}</span> : null}
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

function SavePresetForm() {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [titleVi, setTitleVi] = useState('');
  const [titleEn, setTitleEn] = useState('');
  const [saving, setSaving] = useState(false);
  const nameCheck = name === '' ? null : slug.safeParse(name);
  const nameError = nameCheck && !nameCheck.success ? t('presets.badName') : null;
  const canSave = !saving && name !== '' && !nameError && titleVi.trim() !== '';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!canSave) return;
    setSaving(true);
    const vi = titleVi.trim();
    const en = titleEn.trim() || vi;
    const result = await session().execute({ type: 'save-preset', name, title: { vi, en } });
    setSaving(false);
    if (result) {
      showToast(t('presets.saved', { name }), 'info');
      setName('');
      setTitleVi('');
      setTitleEn('');
      void session().refreshPresets();
    }
  };

  return (
    <form className="save-preset" onSubmit={(e) => void submit(e)} data-testid="save-preset-form">
      <h3 className="panel-subtitle">{t('presets.saveTitle')}</h3>
      <label>
        <span>{t('presets.name')}</span>
        <input name="preset-name" value={name} onChange={(e) => setName(e.target.value)} placeholder="vd: giao-ban-sang" autoComplete="off" spellCheck={false} />
      </label>
      {nameError ? <div className="field-error">{nameError}</div> : null}
      <label>
        <span>{t('presets.titleVi')}</span>
        <input name="preset-title-vi" value={titleVi} onChange={(e) => setTitleVi(e.target.value)} lang="vi" />
      </label>
      <label>
        <span>{t('presets.titleEn')}</span>
        <input name="preset-title-en" value={titleEn} onChange={(e) => setTitleEn(e.target.value)} placeholder={titleVi} lang="en" />
      </label>
      <button type="submit" className="btn" data-testid="save-preset" disabled={!canSave}>
        {saving ? t('presets.saving') : t('presets.save')}
      </button>
    </form>
  );
}
