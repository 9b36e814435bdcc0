/**
 * A window's side of wall.patch: the host's immer patches applied to the state the window holds,
 * keeping every unchanged part of it the same object. A patch's values arrive as fresh JSON — a
 * scenario's layout replaces the whole `tiles` array even where most tiles stay as they were — and
 * the wall renders each tile memoized by identity, so a tile equal to the one before must be that
 * one. Pure.
 */
import { applyPatches, enablePatches } from 'immer';
import type { Patch, WallState } from './contract.js';

enablePatches();

export function applyWallPatches(state: WallState, patches: readonly Patch[]): WallState {
  return shareUnchanged(state, applyPatches(state, patches as Patch[]));
}

/**
 * `next`, with every part deep-equal to its counterpart in `previous` replaced by that counterpart
 * (`previous` itself when nothing differs). Array items that carry a string `id` (tiles) are
 * matched by id, so a reordered layout keeps its tiles; other items by position.
 */
export function shareUnchanged<T>(previous: unknown, next: T): T {
  if (previous === next || typeof next !== 'object' || next === null || typeof previous !== 'object' || previous === null) return next;
  if (Array.isArray(next)) {
    if (!Array.isArray(previous)) return next;
    const before = previous as unknown[];
    const byId = new Map<string, unknown>();
    for (const item of before) {
      const id = idOf(item);
      if (id !== undefined) byId.set(id, item);
    }
    let same = before.length === next.length;
    const shared = next.map((item: unknown, index) => {
      const id = idOf(item);
      const kept = shareUnchanged(id === undefined ? before[index] : byId.get(id), item);
      if (kept !== before[index]) same = false;
      return kept;
    });
    return (same ? previous : Object.freeze(shared)) as T;
  }
  if (Array.isArray(previous)) return next;
  const before = previous as Record<string, unknown>;
  const keys = Object.keys(next);
  let same = keys.length === Object.keys(before).length;
  const shared: Record<string, unknown> = {};
  for (const key of keys) {
    const kept = shareUnchanged(before[key], (next as Record<string, unknown>)[key]);
    if (kept !== before[key] || !(key in before)) same = false;
    shared[key] = kept;
  }
  // frozen like immer's own results, so the store's state stays read-only
  return (same ? previous : Object.freeze(shared)) as T;
}

function idOf(item: unknown): string | undefined {
  if (typeof item !== 'object' || item === null) return undefined;
  const id = (item as { id?: unknown }).id;
  return typeof id === 'string' ? id : undefined;
}
