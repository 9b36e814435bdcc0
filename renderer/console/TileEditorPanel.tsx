/**
 * The selected tile's prop editor: the kind's Editor.tsx (found by folder, see tiles/registry.ts)
 * fed with the tile's props plus the operator's unapplied edits. Nothing goes to the host until
 * "Áp dụng" (or Ctrl+Enter): then the changed props go out as one set-tile-props command. A
 * refusal (the host validates with the kind's schema) becomes a toast naming the field, and the
 * edits stay so they can be corrected.
 */
import { useEffect, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ContractError, type Tile } from '../../native-bridge/contract.js';
import { i18next } from '../i18n/index.js';
import { session } from '../session/session.js';
import { showToast } from '../session/store.js';
import { tileEditor } from '../tiles/registry.js';

type Draft = Record<string, unknown>;

const same = (a: unknown, b: unknown) => a === b || JSON.stringify(a) === JSON.stringify(b);

/** The draft entries that differ from the tile's current props. */
export function changedProps(props: Readonly<Record<string, unknown>>, draft: Draft): Draft {
  const changed: Draft = {};
  for (const [key, value] of Object.entries(draft)) if (!same(value, props[key])) changed[key] = value;
  return changed;
}

/** "command.props.kinds[2]" → "kinds": the prop a host error field points at. */
export function propOfField(field: string): string | null {
  return /(?:^|\.)props\.([^.[]+)/.exec(field)?.[1] ?? null;
}

/** The toast for a refused set-tile-props: which field, in the operator's words, and why. */
export function describePropsError(error: unknown): string | null {
  if (!(error instanceof ContractError) || !error.field) return null;
  const prop = propOfField(error.field);
  const label = prop ? i18next.t(`editor.prop.${prop}`, { defaultValue: prop }) : error.field;
  // the host's message repeats the field ("tile props: command.props.x: Too big…"): keep the reason
  const at = error.message.indexOf(`${error.field}: `);
  const reason = at >= 0 ? error.message.slice(at + error.field.length + 2) : error.message;
  return i18next.t('errors.props', { label, field: error.field, message: reason });
}

export function TileEditorPanel({ tile }: { tile: Tile }) {
  const { t } = useTranslation();
  const Editor = tileEditor(tile.kind);
  const [draft, setDraft] = useState<Draft>({});
  const [applying, setApplying] = useState(false);
  const props = tile.props as Readonly<Record<string, unknown>>;
  const changed = changedProps(props, draft);
  const changedKeys = Object.keys(changed);
  // a cleared optional prop goes out as `unset` (set-tile-props merges the rest)
  const cleared = changedKeys.filter((key) => changed[key] === undefined);
  const canApply = !applying && changedKeys.length > 0;

  // once the host's patch has made the tile equal to the draft, the draft is spent: drop it, so a
  // later change from elsewhere shows instead of being masked by old edits
  useEffect(() => {
    if (changedKeys.length === 0 && Object.keys(draft).length > 0 && !applying) setDraft({});
  }, [changedKeys.length, draft, applying]);

  const apply = async () => {
    if (!canApply) return;
    setApplying(true);
    const set = Object.fromEntries(Object.entries(changed).filter(([key]) => !cleared.includes(key)));
    const result = await session().execute({ type: 'set-tile-props', id: tile.id, props: set, ...(cleared.length > 0 ? { unset: cleared } : {}) }, describePropsError);
    setApplying(false);
    if (result) showToast(t('editor.applied', { id: tile.id }), 'info');
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void apply();
    }
  };

  const edited = { ...tile, props: { ...tile.props, ...draft } } as Tile;

  return (
    <section className="tile-editor" data-testid="tile-editor" data-kind={tile.kind} data-tile-id={tile.id} data-dirty={changedKeys.length > 0 ? 'true' : 'false'} onKeyDown={onKeyDown}>
      <h3 className="panel-subtitle">{t('editor.title', { kind: t(`tiles.${tile.kind}.name`, { defaultValue: tile.kind }) })}</h3>
      {Editor ? (
        <Editor tile={edited} onChange={(patch) => setDraft((d) => ({ ...d, ...patch }))} />
      ) : (
        <div className="muted">{t('editor.none')}</div>
      )}
      {cleared.map((key) => (
        <div key={key} className="field-error" data-cannot-clear={key}>
          {t('editor.cannotClear', { label: t(`editor.prop.${key}`, { defaultValue: key }) })}
        </div>
      ))}
      {Editor ? (
        <div className="editor-actions">
          <button type="button" className="btn btn-primary" data-testid="apply-props" disabled={!canApply} onClick={() => void apply()} title={t('editor.applyShortcut')}>
            {applying ? t('editor.applying') : t('editor.apply')}
          </button>
          <button type="button" className="btn" data-testid="reset-props" disabled={applying || Object.keys(draft).length === 0} onClick={() => setDraft({})}>
            {t('editor.reset')}
          </button>
          <span className="muted editor-state" data-testid="editor-state">
            {changedKeys.length > 0 ? t('editor.unsaved', { count: changedKeys.length }) : t('editor.noChanges')}
          </span>
        </div>
      ) : null}
    </section>
  );
}
