/**
 * Which physical display shows which wall slot. Pure: the Electron shell passes in what
 * `screen.getAllDisplays()` reports, the Chromium host could pass its own list, tests pass plain
 * objects. Never uses Electron's display id (it changes across reboots and driver updates).
 *
 * Rules (see `displayMatch` in the contract):
 * - position: the display whose desktop origin (bounds.x, bounds.y) is exactly (x, y);
 * - label:    the one display whose OS-reported label equals `label` (two displays with the same
 *             label are ambiguous: the slot stays unmatched rather than show on a guessed screen);
 * - order:    the n-th display in reading order: rows top-to-bottom, each row left-to-right.
 *             Indexes always count all displays, so a display's index does not depend on other
 *             slots' rules.
 * A slot without a rule matches by order, index row * columns + column.
 * A display is used at most once: position rules are resolved first, then label, then order;
 * within a kind, slots go in row-major order. The loser of a conflict is unmatched, with a reason.
 */
import type { DisplayMatch, WallDefinition, WindowId } from '../../native-bridge/contract.js';

export interface DisplayBounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** What matching needs to know about a display; callers may pass richer objects and get them back. */
export interface DisplayLike {
  bounds: DisplayBounds;
  label: string;
}

export type MatchedSlot<D extends DisplayLike> = {
  windowId: WindowId;
  row: number;
  column: number;
  rule: DisplayMatch;
  /** Whether the rule came from wall.slots or is the default order rule. */
  ruleSource: 'slot' | 'default';
} & ({ display: D; displayIndex: number; reason?: undefined } | { display: null; displayIndex?: undefined; reason: string });

export type WallForMatching = Pick<WallDefinition, 'rows' | 'columns' | 'slots'>;

const RULE_PRIORITY: Record<DisplayMatch['by'], number> = { position: 0, label: 1, order: 2 };

function describe(bounds: DisplayBounds): string {
  return `${bounds.width}×${bounds.height} at (${bounds.x}, ${bounds.y})`;
}

/**
 * Indexes into `displays` in reading order. Displays form one row when their vertical extents
 * overlap by at least half of the shorter one, so a row of mixed-height or slightly offset
 * monitors still reads as one row.
 */
export function readingOrder(displays: readonly DisplayLike[]): number[] {
  const byTop = displays
    .map((d, index) => ({ index, b: d.bounds, label: d.label }))
    .sort((p, q) => p.b.y - q.b.y || p.b.x - q.b.x || p.index - q.index);
  const rows: { top: number; bottom: number; members: typeof byTop }[] = [];
  for (const item of byTop) {
    const top = item.b.y;
    const bottom = item.b.y + item.b.height;
    const row = rows.find((r) => {
      const overlap = Math.min(bottom, r.bottom) - Math.max(top, r.top);
      return overlap > 0 && overlap * 2 >= Math.min(item.b.height, r.bottom - r.top);
    });
    if (row) {
      row.members.push(item);
      row.top = Math.min(row.top, top);
      row.bottom = Math.max(row.bottom, bottom);
    } else {
      rows.push({ top, bottom, members: [item] });
    }
  }
  rows.sort((r, s) => r.top - s.top);
  return rows.flatMap((r) => r.members.sort((p, q) => p.b.x - q.b.x || p.b.y - q.b.y || p.index - q.index).map((m) => m.index));
}

/** Assigns a display (or a reason) to every slot of the wall, in row-major order. */
export function matchDisplays<D extends DisplayLike>(wall: WallForMatching, displays: readonly D[]): MatchedSlot<D>[] {
  const explicit = new Map<string, DisplayMatch>();
  for (const slot of wall.slots) explicit.set(`${slot.row}:${slot.column}`, slot.match);

  const slots = [] as { windowId: WindowId; row: number; column: number; rule: DisplayMatch; ruleSource: 'slot' | 'default' }[];
  for (let row = 0; row < wall.rows; row++) {
    for (let column = 0; column < wall.columns; column++) {
      const rule = explicit.get(`${row}:${column}`);
      slots.push({
        windowId: `r${row}c${column}`,
        row,
        column,
        rule: rule ?? { by: 'order', index: row * wall.columns + column },
        ruleSource: rule ? 'slot' : 'default',
      });
    }
  }

  const order = readingOrder(displays);
  const usedBy = new Map<number, WindowId>();
  const results = new Map<WindowId, MatchedSlot<D>>();

  const resolve = (rule: DisplayMatch): { index: number } | { reason: string } => {
    switch (rule.by) {
      case 'position': {
        const candidates = displays.flatMap((d, i) => (d.bounds.x === rule.x && d.bounds.y === rule.y ? [i] : []));
        if (candidates.length === 0) return { reason: `no display has its origin at (${rule.x}, ${rule.y})` };
        if (candidates.length > 1) return { reason: `${candidates.length} displays have their origin at (${rule.x}, ${rule.y}) (mirrored?)` };
        return { index: candidates[0]! };
      }
      case 'label': {
        const candidates = displays.flatMap((d, i) => (d.label === rule.label ? [i] : []));
        if (candidates.length === 0) return { reason: `no display is labelled "${rule.label}"` };
        if (candidates.length > 1) return { reason: `${candidates.length} displays are labelled "${rule.label}"; match by position or order instead` };
        return { index: candidates[0]! };
      }
      case 'order': {
        const index = order[rule.index];
        if (index === undefined) return { reason: `order index ${rule.index} needs at least ${rule.index + 1} displays, ${displays.length} connected` };
        return { index };
      }
    }
  };

  const byPriority = [...slots].sort((a, b) => RULE_PRIORITY[a.rule.by] - RULE_PRIORITY[b.rule.by]);
  for (const slot of byPriority) {
    const found = resolve(slot.rule);
    if ('reason' in found) {
      results.set(slot.windowId, { ...slot, display: null, reason: found.reason });
      continue;
    }
    const display = displays[found.index]!;
    const owner = usedBy.get(found.index);
    if (owner !== undefined) {
      results.set(slot.windowId, { ...slot, display: null, reason: `display ${describe(display.bounds)} is already used by ${owner}` });
      continue;
    }
    usedBy.set(found.index, slot.windowId);
    results.set(slot.windowId, { ...slot, display, displayIndex: found.index });
  }
  return slots.map((s) => results.get(s.windowId)!);
}

/**
 * Where the console goes: with a match rule, a display not used by any wall slot; without one
 * (or when its rule cannot be met) the caller falls back to the console's own rectangle.
 */
export function matchConsoleDisplay<D extends DisplayLike>(
  rule: DisplayMatch | undefined,
  displays: readonly D[],
  wallMatches: readonly MatchedSlot<D>[],
): { display: D; displayIndex: number } | { display: null; reason: string } {
  if (!rule) return { display: null, reason: 'the console has no display match rule' };
  const used = new Set(wallMatches.flatMap((m) => (m.display ? [m.displayIndex] : [])));
  let candidates: number[];
  if (rule.by === 'order') {
    const index = readingOrder(displays)[rule.index];
    candidates = index === undefined ? [] : [index];
  } else if (rule.by === 'position') {
    candidates = displays.flatMap((d, i) => (d.bounds.x === rule.x && d.bounds.y === rule.y ? [i] : []));
  } else {
    candidates = displays.flatMap((d, i) => (d.label === rule.label ? [i] : []));
  }
  if (candidates.length !== 1) {
    return { display: null, reason: candidates.length === 0 ? `no display matches the console rule ${JSON.stringify(rule)}` : `console rule ${JSON.stringify(rule)} is ambiguous` };
  }
  const index = candidates[0]!;
  if (used.has(index)) return { display: null, reason: `the console's display is used by a wall slot` };
  return { display: displays[index]!, displayIndex: index };
}
