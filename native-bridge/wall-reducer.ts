/**
 * The wall state reducer: applies one validated command to the wall document and returns the new
 * document plus the immer patches that windows apply to catch up. Pure; throws ContractError.
 */
import { enablePatches, produceWithPatches, type Draft } from 'immer';
import {
  ContractError,
  parseOrThrow,
  tile as tileSchema,
  tileLayoutIssues,
  type Command,
  type Patch,
  type Preset,
  type Tile,
  type WallState,
} from './contract.js';

enablePatches();

export interface ReduceContext {
  findPreset(name: string): Preset | undefined;
}

export interface Reduction {
  state: WallState;
  patches: Patch[];
  /** Set when the command saves the current tiles as a preset. */
  savedPreset?: Preset;
}

function findTile(draft: Draft<WallState>, id: string): Draft<Tile> {
  const found = draft.tiles.find((t) => t.id === id);
  if (!found) throw new ContractError('not-found', `no tile "${id}" on the wall`, 'command.id');
  return found;
}

function checkLayout(state: WallState): void {
  const [issue] = tileLayoutIssues(state.wall, state.tiles);
  if (issue) throw new ContractError('conflict', issue.message, ['tiles', ...issue.path].map(String).join('.'));
}

export function reduceWall(state: WallState, command: Command, context: ReduceContext): Reduction {
  let savedPreset: Preset | undefined;
  const [next, patches] = produceWithPatches(state, (draft) => {
    switch (command.type) {
      case 'apply-preset': {
        const preset = context.findPreset(command.name);
        if (!preset) throw new ContractError('not-found', `no preset "${command.name}"`, 'command.name');
        draft.tiles = structuredClone(preset.tiles) as Draft<Tile>[];
        draft.activePreset = preset.name;
        break;
      }
      case 'add-tile':
        if (draft.tiles.some((t) => t.id === command.tile.id)) {
          throw new ContractError('conflict', `tile id "${command.tile.id}" is already on the wall`, 'command.tile.id');
        }
        draft.tiles.push(structuredClone(command.tile) as Draft<Tile>);
        draft.activePreset = null;
        break;
      case 'move-tile': {
        const t = findTile(draft, command.id);
        t.rect.x = command.x;
        t.rect.y = command.y;
        draft.activePreset = null;
        break;
      }
      case 'resize-tile':
        findTile(draft, command.id).rect = { ...command.rect };
        draft.activePreset = null;
        break;
      case 'remove-tile': {
        const index = draft.tiles.findIndex((t) => t.id === command.id);
        if (index < 0) throw new ContractError('not-found', `no tile "${command.id}" on the wall`, 'command.id');
        draft.tiles.splice(index, 1);
        draft.activePreset = null;
        break;
      }
      case 'set-tile-props': {
        const t = findTile(draft, command.id);
        const both = (command.unset ?? []).find((key) => key in command.props);
        if (both) throw new ContractError('invalid', `prop "${both}" is both set and unset`, 'command.unset');
        const props: Record<string, unknown> = { ...t.props, ...command.props };
        for (const key of command.unset ?? []) delete props[key];
        const merged = { ...t, props };
        // The tile kind's own schema decides what props are valid.
        const valid = parseOrThrow(tileSchema, merged, 'tile props', ['command']);
        t.props = valid.props as Draft<Tile>['props'];
        break;
      }
      case 'apply-layout':
        // One revision for the whole wall (a scenario's layout, or the one it took over).
        draft.tiles = structuredClone(command.tiles) as Draft<Tile>[];
        draft.activePreset = command.preset;
        break;
      case 'save-preset':
        if (!command.overwrite && context.findPreset(command.name)) {
          throw new ContractError('conflict', `a preset "${command.name}" exists already: overwrite it, or choose another name`, 'command.name');
        }
        savedPreset = { name: command.name, title: command.title, tiles: structuredClone(state.tiles) };
        draft.activePreset = command.name;
        break;
    }
  });
  checkLayout(next);
  return { state: next, patches: patches as Patch[], ...(savedPreset ? { savedPreset } : {}) };
}

/** The empty wall a fresh database starts from. */
export function emptyWallState(wall: WallState['wall']): WallState {
  return { wall, tiles: [], activePreset: null };
}
