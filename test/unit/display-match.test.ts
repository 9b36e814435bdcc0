import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { matchConsoleDisplay, matchDisplays, readingOrder, type DisplayLike, type WallForMatching } from '../../electron/common/display-match.js';
import { wallDefinition } from '../../native-bridge/contract.js';

const FHD = { width: 1920, height: 1080 };
const at = (x: number, y: number, label = '', size = FHD): DisplayLike & { name: string } => ({
  bounds: { x, y, ...size },
  label,
  name: `${label || 'display'}@${x},${y}`,
});

/** A rows×columns grid of Full-HD displays starting at (ox, oy). */
function grid(rows: number, columns: number, ox = 0, oy = 0) {
  const out = [];
  for (let r = 0; r < rows; r++) for (let c = 0; c < columns; c++) out.push(at(ox + c * 1920, oy + r * 1080, `M-${r}${c}`));
  return out;
}

const wall = (rows: number, columns: number, slots: WallForMatching['slots'] = []): WallForMatching => ({ rows, columns, slots });
const names = (result: ReturnType<typeof matchDisplays<ReturnType<typeof at>>>) => result.map((m) => m.display?.name ?? null);

describe('readingOrder', () => {
  it('reads rows top-to-bottom, each left-to-right', () => {
    const displays = grid(2, 3);
    const shuffled = [displays[4]!, displays[0]!, displays[5]!, displays[2]!, displays[3]!, displays[1]!];
    assert.deepEqual(
      readingOrder(shuffled).map((i) => shuffled[i]!.label),
      ['M-00', 'M-01', 'M-02', 'M-10', 'M-11', 'M-12'],
    );
  });

  it('keeps slightly offset and mixed-height monitors in one row', () => {
    const displays = [at(1920, 8, 'b'), at(0, 0, 'a'), at(3840, 0, 'c', { width: 2560, height: 1440 }), at(0, 1100, 'd')];
    assert.deepEqual(
      readingOrder(displays).map((i) => displays[i]!.label),
      ['a', 'b', 'c', 'd'],
    );
  });

  it('handles negative desktop coordinates (display left of or above the primary)', () => {
    const displays = [at(0, 0, 'primary'), at(-1920, 0, 'left'), at(0, -1080, 'above')];
    assert.deepEqual(
      readingOrder(displays).map((i) => displays[i]!.label),
      ['above', 'left', 'primary'],
    );
  });

  it('is empty for no displays', () => {
    assert.deepEqual(readingOrder([]), []);
  });
});

describe('matchDisplays', () => {
  it('matches a 2×2 wall by default order in row-major order regardless of input order', () => {
    const displays = grid(2, 2).reverse();
    const result = matchDisplays(wall(2, 2), displays);
    assert.deepEqual(
      result.map((m) => [m.windowId, m.display?.label, m.ruleSource]),
      [
        ['r0c0', 'M-00', 'default'],
        ['r0c1', 'M-01', 'default'],
        ['r1c0', 'M-10', 'default'],
        ['r1c1', 'M-11', 'default'],
      ],
    );
    assert.deepEqual(
      result.map((m) => m.rule),
      [0, 1, 2, 3].map((index) => ({ by: 'order', index })),
    );
    // displayIndex points into the caller's array
    for (const m of result) assert.equal(m.display, displays[m.displayIndex!]);
  });

  it('matches by position', () => {
    const displays = grid(1, 3);
    const result = matchDisplays(
      wall(1, 2, [
        { row: 0, column: 0, match: { by: 'position', x: 3840, y: 0 } },
        { row: 0, column: 1, match: { by: 'position', x: 1920, y: 0 } },
      ]),
      displays,
    );
    assert.deepEqual(names(result), ['M-02@3840,0', 'M-01@1920,0']);
  });

  it('matches by label and reports missing or ambiguous labels', () => {
    const displays = [at(0, 0, 'DELL U2720Q'), at(1920, 0, 'LG 27UL850'), at(3840, 0, 'Samsung'), at(5760, 0, 'Samsung')];
    const result = matchDisplays(
      wall(1, 3, [
        { row: 0, column: 0, match: { by: 'label', label: 'LG 27UL850' } },
        { row: 0, column: 1, match: { by: 'label', label: 'Samsung' } },
        { row: 0, column: 2, match: { by: 'label', label: 'Philips' } },
      ]),
      displays,
    );
    assert.equal(result[0]!.display?.label, 'LG 27UL850');
    assert.equal(result[1]!.display, null);
    assert.match(result[1]!.reason!, /2 displays are labelled "Samsung"/);
    assert.equal(result[2]!.display, null);
    assert.match(result[2]!.reason!, /no display is labelled "Philips"/);
  });

  it('reports slots beyond the connected displays', () => {
    const result = matchDisplays(wall(2, 2), grid(1, 3));
    assert.deepEqual(
      result.map((m) => m.display?.label ?? null),
      ['M-00', 'M-01', 'M-02', null],
    );
    assert.match(result[3]!.reason!, /order index 3 needs at least 4 displays, 3 connected/);
  });

  it('reports a missing position', () => {
    const [m] = matchDisplays(wall(1, 1, [{ row: 0, column: 0, match: { by: 'position', x: 100, y: 100 } }]), grid(1, 2));
    assert.equal(m!.display, null);
    assert.match(m!.reason!, /no display has its origin at \(100, 100\)/);
  });

  it('uses a display at most once: explicit rules win over order, the loser gets a reason', () => {
    const displays = grid(1, 2);
    const result = matchDisplays(
      wall(1, 2, [
        // r0c1 has no rule: order index 1 → the display at 1920, which r0c0 claims by position
        { row: 0, column: 0, match: { by: 'position', x: 1920, y: 0 } },
      ]),
      displays,
    );
    assert.equal(result[0]!.display?.label, 'M-01');
    assert.equal(result[1]!.display, null);
    assert.match(result[1]!.reason!, /already used by r0c0/);
  });

  it('gives a contested display to the first slot in row-major order among equal rules', () => {
    const displays = grid(1, 2);
    const result = matchDisplays(
      wall(2, 1, [
        { row: 0, column: 0, match: { by: 'label', label: 'M-01' } },
        { row: 1, column: 0, match: { by: 'position', x: 1920, y: 0 } },
      ]),
      displays,
    );
    // position resolves before label, so r1c0 keeps the display
    assert.equal(result[1]!.display?.label, 'M-01');
    assert.match(result[0]!.reason!, /already used by r1c0/);

    const tie = matchDisplays(
      wall(1, 2, [
        { row: 0, column: 0, match: { by: 'order', index: 0 } },
        { row: 0, column: 1, match: { by: 'order', index: 0 } },
      ]),
      displays,
    );
    assert.equal(tie[0]!.display?.label, 'M-00');
    assert.equal(tie[1]!.display, null);
    assert.match(tie[1]!.reason!, /already used by r0c0/);
  });

  it('never matches more slots than displays, and never one display twice', () => {
    const displays = grid(2, 3);
    for (let rows = 1; rows <= 3; rows++) {
      for (let columns = 1; columns <= 4; columns++) {
        const result = matchDisplays(wall(rows, columns), displays);
        assert.equal(result.length, rows * columns);
        const used = result.flatMap((m) => (m.display ? [m.displayIndex] : []));
        assert.equal(new Set(used).size, used.length);
        assert.equal(used.length, Math.min(rows * columns, displays.length));
      }
    }
  });

  it('does not depend on any display id', () => {
    const withIds = grid(1, 2).map((d, i) => ({ ...d, id: 1000 - i }));
    const result = matchDisplays(wall(1, 2), withIds);
    assert.deepEqual(
      result.map((m) => m.display?.label),
      ['M-00', 'M-01'],
    );
  });

  it('accepts a parsed wall definition', () => {
    const def = wallDefinition.parse({
      id: 'demo',
      title: { vi: 'Tường', en: 'Wall' },
      rows: 1,
      columns: 2,
      display: { width: 1920, height: 1080 },
      slots: [{ row: 0, column: 1, match: { by: 'label', label: 'M-00' } }],
    });
    const result = matchDisplays(def, grid(1, 2));
    // r0c1 takes M-00 by label first; r0c0's default order index 0 is then taken
    assert.equal(result[1]!.display?.label, 'M-00');
    assert.equal(result[0]!.display, null);
  });

  it('leaves every slot unmatched with no displays', () => {
    const result = matchDisplays(wall(1, 2), []);
    assert.deepEqual(
      result.map((m) => m.display),
      [null, null],
    );
    for (const m of result) assert.ok(m.reason);
  });
});

describe('matchConsoleDisplay', () => {
  it('finds a free display, refuses one used by the wall, and falls back without a rule', () => {
    const displays = [...grid(1, 2), at(0, 1080, 'desk')];
    const wallMatches = matchDisplays(wall(1, 2), displays);
    const free = matchConsoleDisplay({ by: 'label', label: 'desk' }, displays, wallMatches);
    assert.equal(free.display?.label, 'desk');
    const taken = matchConsoleDisplay({ by: 'position', x: 0, y: 0 }, displays, wallMatches);
    assert.equal(taken.display, null);
    assert.equal(matchConsoleDisplay(undefined, displays, wallMatches).display, null);
    assert.equal(matchConsoleDisplay({ by: 'order', index: 2 }, displays, wallMatches).display?.label, 'desk');
    assert.equal(matchConsoleDisplay({ by: 'order', index: 9 }, displays, wallMatches).display, null);
  });
});
