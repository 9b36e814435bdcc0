/** What every tile component receives. */
import type { ComponentType } from 'react';
import type { Tile, WindowId } from '../../native-bridge/contract.js';
import type { TileKind } from './prop-schemas.js';

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
