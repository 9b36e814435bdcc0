/**
 * Staged editing ("soạn trước, áp dụng sau"): while it is on, the console's tile edits — moves,
 * resizes, new and removed tiles, tile settings, the console map's pans — change a draft the
 * console shows instead of the live wall, and "apply" puts the whole draft on the wall as one
 * revision (one `apply-layout`, undoable on the host as one step). The draft is reduced with the
 * host's own reducer (native-bridge/wall-reducer.ts), so a draft edit is refused for exactly the
 * reasons the host would refuse it. Presets and scenarios still go to the wall at once: in an
 * emergency Alt+N must not wait in a draft. When the wall changes under a draft (someone else, a
 * scenario), the draft says so, and applying it then replaces those changes only when asked to.
 */
import { create } from 'zustand';
import { ContractError, type Command, type WallState } from '../../native-bridge/contract.js';
import { reduceWall } from '../../native-bridge/wall-reducer.js';
import { session, type WallStager } from '../session/session.js';
import { useAppStore } from '../session/store.js';

/** Tile edits a draft takes; the rest (presets, saving a preset, layouts) always go to the wall. */
const STAGED: ReadonlySet<Command['type']> = new Set(['add-tile', 'move-tile', 'resize-tile', 'remove-tile', 'set-tile-props']);
/** Undo steps a draft keeps. */
const MAX_STEPS = 200;

export interface Draft {
  /** The live wall the draft started from, and its revision. */
  base: WallState;
  baseRevision: number;
  /** The draft's edits in order, and those undone (for redo). */
  commands: readonly Command[];
  undone: readonly Command[];
  /** base with the commands applied. */
  state: WallState;
}

interface StagingState {
  enabled: boolean;
  /** null: no edit yet since staging was turned on (or the last apply/discard). */
  draft: Draft | null;
  applying: boolean;
}

export const useStaging = create<StagingState>()(() => ({ enabled: false, draft: null, applying: false }));

/** The console's tiles take no presets: a draft never runs apply-preset. */
const noPresets = { findPreset: () => undefined };

function replay(base: WallState, commands: readonly Command[]): WallState {
  let state = base;
  for (const command of commands) state = reduceWall(state, command, noPresets).state;
  return state;
}

const stager: WallStager = {
  takes: (command) => useStaging.getState().enabled && STAGED.has(command.type),
  stage(command) {
    const { wall, revision } = useAppStore.getState();
    if (!wall) throw new ContractError('not-found', 'the wall is not known yet');
    const draft = useStaging.getState().draft ?? { base: wall, baseRevision: revision, commands: [], undone: [], state: wall };
    const state = reduceWall(draft.state, command, noPresets).state;
    useStaging.setState({ draft: { ...draft, commands: [...draft.commands, command].slice(-MAX_STEPS), undone: [], state } });
  },
};

export function setStaging(enabled: boolean): void {
  if (!enabled && (useStaging.getState().draft?.commands.length ?? 0) > 0) return; // apply or discard first
  useStaging.setState({ enabled, draft: null });
  session().stageWith(enabled ? stager : null);
}

export function discardDraft(): void {
  useStaging.setState({ draft: null });
}

/** Undo or redo: of the draft while one has edits to go back on (or forward), else of this person's wall edits on the host. */
export function undoRedo(direction: 'undo' | 'redo'): void {
  const { draft } = useStaging.getState();
  const from = direction === 'undo' ? draft?.commands : draft?.undone;
  if (!draft || !from || from.length === 0) {
    void session().undoRedo(direction);
    return;
  }
  const moved = from[from.length - 1]!;
  const commands = direction === 'undo' ? draft.commands.slice(0, -1) : [...draft.commands, moved];
  const undone = direction === 'undo' ? [...draft.undone, moved] : draft.undone.slice(0, -1);
  useStaging.setState({ draft: { ...draft, commands, undone, state: replay(draft.base, commands) } });
}

/** The wall has changed since the draft started (its apply would replace those changes). */
export function draftOutdated(draft: Draft, revision: number): boolean {
  return revision !== draft.baseRevision;
}

/**
 * Puts the draft on the wall as one revision; `replaceNewer` must be set to apply a draft the
 * wall has moved on from. Returns the new revision, or null (refused: the session shows why).
 */
export async function applyDraft(replaceNewer: boolean): Promise<number | null> {
  const { draft } = useStaging.getState();
  if (!draft || draft.commands.length === 0) return null;
  if (draftOutdated(draft, useAppStore.getState().revision) && !replaceNewer) return null;
  useStaging.setState({ applying: true });
  const result = await session().execute({ type: 'apply-layout', tiles: draft.state.tiles, preset: null, label: `staged: ${draft.commands.length} edits` });
  useStaging.setState({ applying: false, ...(result ? { draft: null } : {}) });
  return result?.revision ?? null;
}

/** The wall as the console edits it: the draft while there is one, else the live wall. */
export function useEditedWall(): WallState | null {
  const live = useAppStore((s) => s.wall);
  const draft = useStaging((s) => s.draft);
  return draft?.state ?? live;
}
