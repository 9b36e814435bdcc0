/**
 * One wall revision per console map gesture: the coalescer hands on only the last view of a drag
 * (after the pointer is released) or of a wheel zoom (after the changes pause), once.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GestureCoalescer, type GestureTimers } from '../../renderer/console/map/gesture-coalescer.js';

/** Timers run by hand: `advance(ms)` fires what is due, in order. */
function manualTimers(): GestureTimers & { advance(ms: number): void; pending(): number } {
  let now = 0;
  let next = 1;
  const due = new Map<number, { at: number; callback: () => void }>();
  return {
    set(callback, ms) {
      const id = next++;
      due.set(id, { at: now + ms, callback });
      return id;
    },
    clear(handle) {
      due.delete(handle as number);
    },
    advance(ms) {
      const until = now + ms;
      for (;;) {
        const first = [...due.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
        if (!first) break;
        due.delete(first[0]);
        now = first[1].at;
        first[1].callback();
      }
      now = until;
    },
    pending: () => due.size,
  };
}

describe('gesture coalescer', () => {
  it('a drag of many frames is handed on once, with its last view, after the pointer is released', () => {
    const timers = manualTimers();
    const sent: number[] = [];
    const gestures = new GestureCoalescer<number>((v) => sent.push(v), 300, timers);
    gestures.press();
    for (let frame = 1; frame <= 40; frame++) {
      gestures.change(frame);
      timers.advance(16);
    }
    timers.advance(2000); // the operator holds the map still, pointer down
    assert.deepEqual(sent, [], 'nothing while the pointer is down');
    gestures.release();
    timers.advance(100);
    assert.deepEqual(sent, [40]);
    timers.advance(5000);
    assert.deepEqual(sent, [40], 'once');
  });

  it('wheel zooms without a pointer end after a pause; a new pause is a new gesture', () => {
    const timers = manualTimers();
    const sent: number[] = [];
    const gestures = new GestureCoalescer<number>((v) => sent.push(v), 300, timers);
    for (let tick = 1; tick <= 8; tick++) {
      gestures.change(tick);
      timers.advance(120);
    }
    assert.deepEqual(sent, []);
    timers.advance(300);
    assert.deepEqual(sent, [8]);
    gestures.change(9);
    timers.advance(299);
    assert.deepEqual(sent, [8]);
    timers.advance(1);
    assert.deepEqual(sent, [8, 9]);
  });

  it('a click (press and release without a change) sends nothing; cancel drops a gesture in progress', () => {
    const timers = manualTimers();
    const sent: number[] = [];
    const gestures = new GestureCoalescer<number>((v) => sent.push(v), 300, timers);
    gestures.press();
    gestures.release();
    timers.advance(1000);
    assert.deepEqual(sent, []);
    gestures.change(1);
    gestures.cancel();
    timers.advance(1000);
    assert.deepEqual(sent, []);
    assert.equal(timers.pending(), 0);
  });
});
