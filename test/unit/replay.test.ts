/**
 * Wall replay against a real core and its SQLite file: the wall rebuilt at a moment equals what the
 * controller held then (across checkpoints), alerts as they stood then, a gap in the record is
 * refused naming the revision, a damaged row is refused naming it, and hostile requests over the
 * contract (out-of-range times, huge ranges, a display window) are refused or bounded.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Actor, Command, WallState } from '../../native-bridge/contract.js';
import { replayLimits } from '../../native-bridge/replay.js';
import { startCore, type Core } from '../../electron/node/core.js';
import { openDatabase } from '../../electron/node/database.js';
import { ReplayJournal } from '../../electron/node/replay/replay-journal.js';
import { TelemetryCache } from '../../electron/node/cache/cache-client.js';
import { inMemoryHarness, rejectsWith, type Harness } from '../support/harness.js';
import { demoPresetsDir, demoWallFile, tempDir } from '../support/fixtures.js';
import { keyBeside } from '../support/storage.js';

const system: Actor = { id: 'system', role: 'system' };
const PRESETS = ['cameras', 'briefing', 'map', 'field', 'indicators', 'overview'];

/** A command that changes the wall: the presets in turn, and now and then one tile removed. */
const commandFor = (i: number, wall: WallState): Command =>
  i % 5 === 4 && wall.tiles.length > 1 ? { type: 'remove-tile', id: wall.tiles[0]!.id } : { type: 'apply-preset', name: PRESETS[i % PRESETS.length]! };

/** Runs n commands, each in its own millisecond, and returns the moments with the wall the controller held then. */
async function drive(core: Core, n: number): Promise<{ time: number; revision: number; state: WallState }[]> {
  const seen: { time: number; revision: number; state: WallState }[] = [];
  for (let i = 0; i < n; i++) {
    const { acceptedAt } = core.controller.execute(commandFor(i, core.controller.current), system);
    seen.push({ time: acceptedAt, revision: core.controller.currentRevision, state: structuredClone(core.controller.current) });
    while (Date.now() <= acceptedAt) await sleep(1);
  }
  return seen;
}

describe('wall replay', () => {
  let dataDir: string;
  let core: Core;
  let harness: Harness;
  let seen: { time: number; revision: number; state: WallState }[];
  const startedAt = Date.now();

  before(async () => {
    dataDir = tempDir();
    core = await startCore({ wallFile: demoWallFile, presetsDir: demoPresetsDir, dataDir, host: 'chromium' });
    harness = inMemoryHarness(core, () => core.close(), dataDir);
    seen = await drive(core, 3 * replayLimits.checkpointEvery + 7);
  });
  after(() => harness.close());

  it('rebuilds every revision as the controller held it, across checkpoints', async () => {
    const { client } = await harness.console('operator');
    for (const moment of seen) {
      const replayed = await client.call('replay.at', { time: moment.time });
      assert.equal(replayed.revision, moment.revision, `revision at ${moment.time}`);
      assert.deepEqual(replayed.state, moment.state, `the wall of revision ${moment.revision}`);
    }
    // between two commands the earlier one is on the wall
    const middle = seen[100]!;
    const between = await client.call('replay.at', { time: middle.time + (seen[101]!.time - middle.time) - 1 });
    assert.equal(between.revision, middle.revision);
  });

  it('shows alerts as they stood then: raised before, acknowledged only once it was', async () => {
    const { client } = await harness.console('operator');
    const alert = core.alerts.raise('critical', 'test', { vi: 'Còi báo động đã phát', en: 'The siren sounded' });
    await sleep(5);
    const beforeAck = Date.now();
    await sleep(5);
    core.controller.execute({ type: 'apply-preset', name: 'overview' }, system);
    core.alerts.acknowledge(alert.id, { id: 'operator-x', role: 'operator' });
    const then = await client.call('replay.at', { time: beforeAck });
    const shown = then.alerts.find((a) => a.id === alert.id);
    assert.ok(shown, 'the alert was on the wall then');
    assert.equal(shown.ackedBy, null, 'not acknowledged yet at that moment');
    const now = await client.call('replay.at', { time: Date.now() });
    assert.equal(now.alerts.find((a) => a.id === alert.id)?.ackedBy, 'operator-x');
    const before = await client.call('replay.at', { time: alert.at - 1 });
    assert.equal(before.alerts.find((a) => a.id === alert.id), undefined, 'not raised yet');
  });

  it('marks commands and alerts on the timeline, with who did them by name', async () => {
    const operator = await harness.console('operator');
    const { revision } = await operator.client.call('wall.execute', { command: { type: 'apply-preset', name: 'map' } });
    const { client } = await harness.console('viewer');
    const { marks, truncated } = await client.call('replay.timeline', { from: startedAt, to: Date.now() });
    assert.equal(truncated, false);
    const commands = marks.filter((m) => m.kind === 'command');
    assert.ok(commands.length >= seen.length, `${commands.length} command marks`);
    assert.ok(commands.filter((m) => m.revision !== revision).every((m) => m.actor === 'system' && m.actorName === null && m.revision !== null));
    const byOperator = commands.find((m) => m.revision === revision);
    assert.equal(byOperator?.actorName, 'Nguyễn Văn An', 'the operator by full name');
    assert.equal(byOperator?.subject, 'map');
    assert.ok(marks.some((m) => m.kind === 'alert' && m.what === 'acknowledged' && m.actor === 'operator-x'));
    assert.deepEqual(marks.map((m) => m.at), marks.map((m) => m.at).sort((a, b) => a - b), 'in time order');
  });

  it('refuses hostile moments and ranges without running a query', async () => {
    const { client } = await harness.console('operator');
    await rejectsWith(client.call('replay.at', { time: -1 }), 'invalid', 'time');
    await rejectsWith(client.call('replay.at', { time: 1e20 }), 'invalid', 'time');
    await rejectsWith(client.call('replay.at', { time: 1.5e12 + 0.5 }), 'invalid', 'time');
    await rejectsWith(client.call('replay.at', { time: '14:32' } as never), 'invalid', 'time');
    await rejectsWith(client.call('replay.timeline', { from: Date.now(), to: Date.now() - 1 }), 'invalid', 'to');
    await rejectsWith(client.call('replay.timeline', { from: 946_684_800_000, to: Date.now() }), 'invalid', 'to');
    // a moment before the record starts is answered, not guessed
    await rejectsWith(client.call('replay.at', { time: startedAt - 86_400_000 }), 'not-found', 'time');
  });

  it('bounds a timeline full of marks', async () => {
    const from = Date.now();
    for (let i = 0; i < replayLimits.maxMarks + 300; i++) core.alerts.raise('info', 'flood-test', { vi: `Cảnh báo ${i}`, en: `Alert ${i}` });
    const { client } = await harness.console('operator');
    const answer = await client.call('replay.timeline', { from, to: Date.now() });
    assert.equal(answer.marks.length, replayLimits.maxMarks);
    assert.equal(answer.truncated, true);
  });

  it('is for people: a display window is refused', async () => {
    const { client } = await harness.display('r0c0');
    await rejectsWith(client.call('replay.at', { time: Date.now() }), 'forbidden');
  });
});

describe('replay journal', () => {
  const wallOf = async () => {
    const dataDir = tempDir();
    const core = await startCore({ wallFile: demoWallFile, presetsDir: demoPresetsDir, dataDir, host: 'chromium' });
    return { core, dataDir };
  };

  it('a revision that was not recorded is refused naming it; the next start checkpoints and replay goes on', async () => {
    const { core, dataDir } = await wallOf();
    const file = core.databaseFile;
    const seen = await drive(core, 10);
    await core.close();
    // a command committed while the replay record could not be written (the host died in between)
    const db = openDatabase(file, keyBeside(file));
    db.prepare("INSERT INTO command_journal (revision, at, actor_id, actor_role, command) VALUES (?, ?, 'system', 'system', '{}')").run(seen.at(-1)!.revision + 1, Date.now());
    db.prepare('UPDATE wall_state SET revision = revision + 1').run();
    db.close();
    const journal = new ReplayJournal(openDatabase(file, keyBeside(file)));
    const restarted = await startCore({ wallFile: demoWallFile, presetsDir: demoPresetsDir, dataDir, host: 'chromium' });
    try {
      const revision = restarted.controller.currentRevision;
      assert.equal(revision, seen.at(-1)!.revision + 1);
      assert.deepEqual(journal.stateAt(revision), restarted.controller.current, 'the start checkpoint covers the unrecorded revision');
      assert.deepEqual(journal.stateAt(seen[3]!.revision), seen[3]!.state, 'earlier revisions still rebuild');
      restarted.controller.execute({ type: 'apply-preset', name: 'map' }, system);
      assert.deepEqual(journal.stateAt(revision + 1), restarted.controller.current);
    } finally {
      await restarted.close();
    }
  });

  it('a gap in the patches is refused naming the missing revision', () => {
    const file = `${tempDir()}/gap.sqlite`;
    const db = openDatabase(file, keyBeside(file));
    const journal = new ReplayJournal(db, { checkpointEvery: 1000 });
    const wall = { wall: {} as WallState['wall'], tiles: [], activePreset: null } as WallState;
    db.prepare('INSERT INTO replay_checkpoints (revision, at, doc) VALUES (1, 1, ?)').run(JSON.stringify(wall));
    journal.record({ revision: 2, acceptedAt: 2, patches: [{ op: 'replace', path: ['activePreset'], value: 'map' }] }, wall);
    journal.record({ revision: 4, acceptedAt: 4, patches: [] }, wall);
    assert.throws(() => journal.stateAt(4), /no record of revision 3/);
  });

  it('a damaged row is refused naming it, and the record is append-only', async () => {
    const { core } = await wallOf();
    await drive(core, 3);
    const revision = core.controller.currentRevision;
    await core.close();
    const db = openDatabase(core.databaseFile, core.storageKey);
    assert.throws(() => db.prepare('DELETE FROM replay_patches').run(), /append-only/);
    assert.throws(() => db.prepare("UPDATE replay_checkpoints SET doc = '{}'").run(), /append-only/);
    db.exec('DROP TRIGGER replay_patches_no_update');
    db.prepare("UPDATE replay_patches SET patches = '[{\"op\":\"explode\"}' WHERE revision = ?").run(revision);
    const journal = new ReplayJournal(db);
    assert.throws(() => journal.stateAt(revision), new RegExp(`patches of revision ${revision} is not readable`));
    db.prepare("UPDATE replay_patches SET patches = '[{\"op\":\"replace\",\"path\":[\"tiles\",0,\"rect\",\"w\"],\"value\":\"wide\"}]' WHERE revision = ?").run(revision);
    assert.throws(() => journal.stateAt(revision), new RegExp(`replayed wall of revision ${revision} is invalid`));
    db.close();
  });
});

describe('sensor readings as of a moment (telemetry cache)', () => {
  it('the last raw reading at or before the moment, then the minute average once rolled up, none before the first', async () => {
    const file = `${tempDir()}/cache.sqlite`;
    const cache = await TelemetryCache.open(file, { key: keyBeside(file), retentionIntervalMs: 0, retention: { rawMs: 3_600_000, bucketMs: 60_000 } });
    try {
      const T = Date.UTC(2026, 11, 2, 7, 32); // 14:32 in Biên Hòa
      const reading = (at: number, value: number) => ({ op: 'set' as const, item: { type: 'reading' as const, id: 'wl-tam-hiep', at, value, extra: {} } });
      cache.write('gw-thuy-van', [reading(T - 30_000, 2.1), reading(T, 2.4), reading(T + 20_000, 3.0)]);
      await cache.flush();
      assert.deepEqual(await cache.readingsAt(['wl-tam-hiep', 'unknown'], T + 10_000), [{ sensorId: 'wl-tam-hiep', at: T, value: 2.4 }]);
      assert.deepEqual(await cache.readingsAt(['wl-tam-hiep'], T - 30_001), [], 'nothing before the first reading');
      await cache.runRetention(T + 3 * 3_600_000); // the raw readings are rolled up into minute averages
      const [rolled] = await cache.readingsAt(['wl-tam-hiep'], T + 10_000);
      assert.equal(rolled?.at, T, "the minute's bucket start");
      assert.ok(Math.abs(rolled.value - (2.4 + 3.0) / 2) < 1e-9, `the minute's average: ${rolled.value}`);
    } finally {
      await cache.close();
    }
  });
});
