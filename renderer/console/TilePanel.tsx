/** Add a tile ("Thêm ô") and act on the selected one. */
import i18next from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { tilePropSchemas, type Tile, type TileKind } from '../../native-bridge/contract.js';
import { session } from '../session/session.js';
import { showToast } from '../session/store.js';
import { tileTitle } from '../tiles/TileFrame.js';
import { findFreeArea, newTile } from './layout.js';
import { TileEditorPanel } from './TileEditorPanel.js';
import { undoRedo, useEditedWall } from './staging.js';

/** The tile as the console edits it (in the draft while there is one), or null. */
function useEditedTile(id: string | null): Tile | null {
  const state = useEditedWall();
  return (id ? state?.tiles.find((x) => x.id === id) : null) ?? null;
}

const kinds = Object.keys(tilePropSchemas) as TileKind[];
const NEW_TILE = { w: 4, h: 3 };

export function AddTile({ onAdded }: { onAdded: (id: string) => void }) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<TileKind>(kinds[0] ?? 'note');
  const [busy, setBusy] = useState(false);
  const state = useEditedWall();

  const add = async () => {
    if (!state) return;
    // tiles never overlap (the host refuses it): a full wall needs room made first
    const rect = findFreeArea(state.wall, state.tiles, NEW_TILE.w, NEW_TILE.h) ?? findFreeArea(state.wall, state.tiles, 1, 1);
    if (!rect) {
      showToast(t('console.wallFull'));
      return;
    }
    const tile = newTile(kind, rect, t('tiles.note.default'));
    setBusy(true);
    const result = await session().execute({ type: 'add-tile', tile });
    setBusy(false);
    if (result) onAdded(tile.id);
  };

  return (
    <div className="add-tile" data-testid="add-tile-form">
      <label>
        <span>{t('console.kind')}</span>
        <select data-testid="add-tile-kind" value={kind} onChange={(e) => setKind(e.target.value as TileKind)}>
          {kinds.map((k) => (
            <option key={k} value={k}>
              {t(`tiles.${k}.name`)}
            </option>
          ))}
        </select>
      </label>
      <button type="button" className="btn btn-primary" data-testid="add-tile" disabled={!state || busy} onClick={() => void add()}>
        {t('console.addTile')}
      </button>
    </div>
  );
}

export function SelectedTile({ id, onRemoved }: { id: string | null; onRemoved: () => void }) {
  const { t, i18n } = useTranslation();
  const tile = useEditedTile(id);
  if (!tile) return <div className="selected-tile muted">{t('console.noSelection')}</div>;
  const remove = async () => {
    if (await removeTile(tile, i18n.language)) onRemoved();
  };
  return (
    <div className="selected-tile" data-testid="selected-tile" data-selected-id={tile.id}>
      <div>
        <strong>{tileTitle(tile, i18n.language)}</strong> <span className="muted">· {t(`tiles.${tile.kind}.name`, { defaultValue: tile.kind })}</span>
      </div>
      <div className="muted">
        {t('console.rect', { x: tile.rect.x, y: tile.rect.y, w: tile.rect.w, h: tile.rect.h })}
      </div>
      <button type="button" className="btn btn-danger" data-testid="delete-tile" onClick={() => void remove()}>
        {t('console.deleteTile')}
      </button>
    </div>
  );
}

/** Removes a tile from the wall and says how to bring it back (Delete is undoable, not confirmed). */
export async function removeTile(tile: Tile, language: string): Promise<boolean> {
  const result = await session().execute({ type: 'remove-tile', id: tile.id });
  if (result) showToast(i18next.t('console.removed', { tile: tileTitle(tile, language) }), 'info');
  return result !== null;
}

/** Undo and redo of the draft's edits, or of this person's own wall edits (also Ctrl+Z, Ctrl+Shift+Z / Ctrl+Y). */
export function UndoRedo() {
  const { t } = useTranslation();
  return (
    <div className="undo-redo" role="group" aria-label={t('console.history')}>
      <button type="button" className="btn" data-testid="wall-undo" title="Ctrl+Z" onClick={() => undoRedo('undo')}>
        {t('console.undo')}
      </button>
      <button type="button" className="btn" data-testid="wall-redo" title="Ctrl+Shift+Z" onClick={() => undoRedo('redo')}>
        {t('console.redo')}
      </button>
    </div>
  );
}

/**
 * The selected tile's prop editor; a new selection starts from a clean draft. The slot keeps one
 * height with or without a selection, so selecting a tile (on pointer-down, at the start of a
 * drag) never resizes the miniature under the operator's pointer.
 */
export function SelectedTileEditor({ id }: { id: string | null }) {
  const { t } = useTranslation();
  const tile = useEditedTile(id);
  return (
    <div className="tile-editor-slot" data-testid="tile-editor-slot">
      {tile ? <TileEditorPanel key={tile.id} tile={tile} /> : <div className="tile-editor-empty muted">{t('editor.noSelection')}</div>}
    </div>
  );
}

/** Remove the selected tile with the Delete key (not while typing in a field). */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}
