/** What every tile component receives. */
import type { ComponentType } from 'react';
import type { Tile, WindowId } from '../../native-bridge/contract.js';
import type { TileKind } from '../../native-bridge/tile-props/index.js';

export type TileOf<K extends TileKind> = Extract<Tile, { kind: K }>;

export interface TileContext {
  /** The window showing the tile ("console" or "r0c1"). */
  windowId: WindowId;
  /** Where it is drawn: a wall display window, or a preview in the console. */
  surface: 'wall' | 'console';
}

export interface TileProps<K extends TileKind = TileKind> {
  tile: TileOf<K>;
  context: TileContext;
}

export type TileComponent<K extends TileKind = TileKind> = ComponentType<TileProps<K>>;

/** The props of a kind, as its schema outputs them. */
export type PropsOf<K extends TileKind> = TileOf<K>['props'];

/**
 * What a kind's prop editor (renderer/tiles/<kind>/Editor.tsx) receives: the tile with the
 * operator's unapplied edits already merged into its props, and a callback taking a patch of
 * props. Editors are controlled and stateless about the host: the console collects the patches
 * and sends them as one set-tile-props command when the operator presses "Áp dụng".
 */
export interface TileEditorProps<K extends TileKind = TileKind> {
  tile: TileOf<K>;
  onChange: (patch: Partial<PropsOf<K>>) => void;
}

export type TileEditor<K extends TileKind = TileKind> = ComponentType<TileEditorProps<K>>;
