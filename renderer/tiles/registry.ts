/**
 * Tile components, found by folder: renderer/tiles/<kind>/Tile.tsx default-exports the component.
 * Adding a kind = that folder + one line in prop-schemas.ts; nothing here changes.
 */
import type { TileComponent } from './types.js';

const modules = import.meta.glob<{ default: TileComponent }>('./*/Tile.tsx', { eager: true });

const components = new Map<string, TileComponent>();
for (const [path, module] of Object.entries(modules)) {
  const kind = /^\.\/([^/]+)\/Tile\.tsx$/.exec(path)?.[1];
  if (kind && module.default) components.set(kind, module.default);
}

/** The component for a kind, or null when no folder provides one. */
export function tileComponent(kind: string): TileComponent | null {
  return components.get(kind) ?? null;
}

export function registeredKinds(): string[] {
  return [...components.keys()].sort();
}
