/**
 * Tile components and prop editors, found by folder: renderer/tiles/<kind>/Tile.tsx default-exports
 * the component, renderer/tiles/<kind>/Editor.tsx (optional) its prop editor for the console.
 * Adding a kind = that folder + its prop schema in native-bridge/tile-props/<kind>.ts, listed in
 * native-bridge/tile-props/index.ts; nothing here changes.
 */
import type { TileComponent, TileEditor } from './types.js';

const modules = import.meta.glob<{ default: TileComponent }>('./*/Tile.tsx', { eager: true });
const editorModules = import.meta.glob<{ default: TileEditor }>('./*/Editor.tsx', { eager: true });

function byKind<T>(found: Record<string, { default: T }>, file: string): Map<string, T> {
  const map = new Map<string, T>();
  const pattern = new RegExp(`^\\./([^/]+)/${file.replace('.', '\\.')}$`);
  for (const [path, module] of Object.entries(found)) {
    const kind = pattern.exec(path)?.[1];
    if (kind && module.default) map.set(kind, module.default);
  }
  return map;
}

const components = byKind(modules, 'Tile.tsx');
const editors = byKind(editorModules, 'Editor.tsx');

/** The component for a kind, or null when no folder provides one. */
export function tileComponent(kind: string): TileComponent | null {
  return components.get(kind) ?? null;
}

/** The console's prop editor for a kind, or null when its folder has no Editor.tsx. */
export function tileEditor(kind: string): TileEditor | null {
  return editors.get(kind) ?? null;
}

export function registeredKinds(): string[] {
  return [...components.keys()].sort();
}
