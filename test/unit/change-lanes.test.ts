/** ChangeLanes: each gateway's changes in order, in slices, a full state superseding what is queued, bounded. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ChangeLanes, type ItemChange } from '../../electron/node/gateway/change-lanes.js';
import type { StateItem } from '../../native-bridge/gateway-protocol.js';
import { until } from '../support/page-wait.js';

const reading = (n: number): StateItem => ({ type: 'reading', id: `r${n}`, at: n, value: n, extra: {} });
const ids = (changes: ItemChange[]) => changes.map((c) => c.item.id);


function recorder(wait?: (gw: string) => Promise<unknown> | undefined) {
  const got: { gw: string; ids: string[]; replacedAll: boolean }[] = [];
  const sink = (gw: string, changes: ItemChange[], replacedAll: boolean) => {
    got.push({ gw, ids: ids(changes), replacedAll });
    return wait?.(gw);
  };
  return { got, sink };
}

describe('ChangeLanes', () => {
  it('delivers a small change at once, a big state in slices with live changes after it, in order', async () => {
    const { got, sink } = recorder();
    const lanes = new ChangeLanes(sink, { sliceItems: 4, maxQueued: 100, stateOf: () => [] });
    lanes.changes('a', [{ op: 'set', item: reading(0) }]);
    assert.deepEqual(got, [{ gw: 'a', ids: ['r0'], replacedAll: false }], 'synchronously');
    lanes.replaceAll('a', Array.from({ length: 10 }, (_, i) => reading(i + 1)));
    lanes.changes('a', [{ op: 'set', item: reading(99) }]);
    assert.equal(got.length, 2, 'one slice now, the rest later');
    await until(() => lanes.backlog === 0, 'lanes.backlog === 0');
    assert.deepEqual(got.slice(1), [
      { gw: 'a', ids: ['r1', 'r2', 'r3', 'r4'], replacedAll: true },
      { gw: 'a', ids: ['r5', 'r6', 'r7', 'r8'], replacedAll: false },
      { gw: 'a', ids: ['r9', 'r10', 'r99'], replacedAll: false },
    ]);
    assert.equal(lanes.backlog, 0);
  });

  it('waits for a slice whose delivery returns a promise; a new full state supersedes what is queued; overflow collapses to the whole state', async () => {
    let release: () => void = () => {};
    let hold = true;
    const { got, sink } = recorder((gw) => (hold && gw === 'a' ? new Promise<void>((resolve) => (release = resolve)) : undefined));
    const lanes = new ChangeLanes(sink, { sliceItems: 2, maxQueued: 5, stateOf: () => [reading(7), reading(8)] });
    lanes.replaceAll('a', [1, 2, 3, 4].map(reading));
    // a sleep, not a wait: being held is nothing happening; a few turns of the event loop without a second slice show it
    await sleep(10);
    assert.equal(got.length, 1, 'held by the first slice');
    lanes.replaceAll('a', [5, 6].map(reading)); // supersedes r3, r4
    lanes.changes('b', [{ op: 'delete', item: reading(1) }]); // another lane is not held
    assert.deepEqual(got[1], { gw: 'b', ids: ['r1'], replacedAll: false });
    for (let i = 0; i < 6; i++) lanes.changes('a', [{ op: 'set', item: reading(100 + i) }]); // the 4th overflows maxQueued: the whole state, then r104, r105
    hold = false;
    release();
    await until(() => got.length >= 4, 'got.length >= 4');
    assert.deepEqual(got.slice(2), [{ gw: 'a', ids: ['r7', 'r8'], replacedAll: true }, { gw: 'a', ids: ['r104', 'r105'], replacedAll: false }]);
  });
});
