import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scriptTime, type CpuProfile } from '../../bench/support/cpu-profile.js';

const frame = (functionName: string, url = '', lineNumber = 0, columnNumber = 0) => ({ functionName, url, lineNumber, columnNumber });

/** Samples 1 ms apart from t = 1,000 µs: idle, applyPatch, layout (program), GC, applyPatch, idle. */
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(idle)') },
    { id: 2, callFrame: frame('applyPatch', 'http://127.0.0.1/assets/index.js', 9, 41) },
    { id: 3, callFrame: frame('(program)') },
    { id: 4, callFrame: frame('(garbage collector)') },
  ],
  startTime: 0,
  endTime: 7000,
  samples: [1, 2, 3, 4, 2, 1],
  timeDeltas: [1000, 1000, 1000, 1000, 1000, 1000],
};

describe('script time from a CPU profile', () => {
  it('counts script and its garbage collection, not idle time or the browser’s own work', () => {
    const { ms, byFunction } = scriptTime(profile, 0, 7000);
    assert.equal(ms, 3);
    assert.deepEqual(Object.fromEntries(byFunction), { 'applyPatch index.js:10:42': 2, '(garbage collector) :1:1': 1 });
  });

  it('counts only the part of each sample inside the span', () => {
    // the first applyPatch sample runs 2,000–3,000 µs, the second 5,000–6,000 µs
    assert.equal(scriptTime(profile, 2500, 5500).ms, 2);
    assert.equal(scriptTime(profile, 6000, 7000).ms, 0);
  });
});
