/** The supervisor's restart policy: how long it waits, and what the restart alert quotes. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { crashCause, DEFAULT_BACKOFF, nextBackoff } from '../../launch/supervisor.js';

describe('supervisor policy', () => {
  it('doubles the wait from 1 s to 30 s, and starts over after 60 s up', () => {
    const waits: number[] = [];
    let wait: number | null = null;
    for (let i = 0; i < 8; i++) waits.push((wait = nextBackoff(wait, 5_000)));
    assert.deepEqual(waits, [1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
    assert.equal(nextBackoff(30_000, DEFAULT_BACKOFF.resetAfterMs), 1000);
  });

  it('quotes the exit code or signal and the last stderr lines, bounded', () => {
    assert.equal(crashCause(70, null, 'a\n\nb\nError: boom\n', false), 'exit code 70: a | b | Error: boom');
    assert.equal(crashCause(null, 'SIGKILL', '', false), 'signal SIGKILL');
    const firstRun = 'ioc-wall: demo administrator created — username: quantri  password: AAk1SnTkoAApGZfycU7H  (shown only this once)\nError: boom\n';
    const cause = crashCause(1, null, firstRun, false);
    assert.ok(!cause.includes('AAk1SnTkoAApGZfycU7H'), `the demo password never reaches the alert: ${cause}`);
    assert.match(cause, /Error: boom/);
    assert.match(crashCause(null, 'SIGKILL', '', true), /^no sign of life for 30 s, killed$/);
    const long = crashCause(1, null, 'x'.repeat(100_000), false);
    assert.ok(long.length <= 300 && long.endsWith('…'));
  });
});
