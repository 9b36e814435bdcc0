/**
 * The host SIGKILLed again and again under a console's stream of wall and field commands: no
 * acknowledged command is ever lost, and a command the host committed before dying is applied
 * once (its retry answers the first result). bench/support/kill-loop.ts does the work; benchmarks
 * run it with 100 kills, the test with IOC_WALL_KILLS (default 20).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { killLoop } from '../../bench/support/kill-loop.js';

const kills = Number(process.env.IOC_WALL_KILLS ?? 20);

describe('a host killed repeatedly', () => {
  it(`loses no acknowledged command across ${kills} SIGKILLs`, { timeout: 600_000 }, async () => {
    const result = await killLoop(kills, (line) => console.log(`# ${line}`));
    console.log(`# ${JSON.stringify(result)}`);
    assert.equal(result.restarts_survived, kills);
    assert.equal(result.acked_lost, 0, 'acknowledged commands lost');
    assert.ok(result.acked.wall > 0 && result.acked.field > 0, 'both kinds of command were acknowledged and checked');
  });
});
