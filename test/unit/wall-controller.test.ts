import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ContractError, type Actor, type Tile } from '../../native-bridge/contract.js';
import { roleAuthorizer } from '../../electron/common/authorization.js';
import { openDatabase } from '../../electron/node/database.js';
import { loadPresetDir, loadWallFile } from '../../electron/node/layout-files.js';
import { SqliteWallStore } from '../../electron/node/sqlite-wall-store.js';
import { WallController } from '../../electron/node/wall-controller.js';
import { demoPresetsDir, demoWallFile, tempDir } from '../support/fixtures.js';
import { corruptTablePage, keyBeside } from '../support/storage.js';

const operator: Actor = { id: 'console', role: 'operator' };
const wall = loadWallFile(demoWallFile);
const { presets: filePresets } = loadPresetDir(demoPresetsDir, wall);

function open(file = join(tempDir(), 'wall.sqlite')) {
  const db = openDatabase(file, keyBeside(file));
  const controller = new WallController({ wall, store: new SqliteWallStore(db), authorizer: roleAuthorizer(), filePresets });
  return { db, controller, file };
}

const note = (id: string, x = 0, y = 0): Tile => ({ id, kind: 'note', rect: { x, y, w: 4, h: 3 }, props: { markdown: 'Xin chào', fontScale: 1, tone: 'neutral' } });

function rejects(fn: () => unknown, code: string, field?: string) {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof ContractError, `expected a ContractError, got ${String(error)}`);
    assert.equal(error.code, code);
    if (field) assert.equal(error.field, field);
    return true;
  });
}

describe('wall controller', () => {
  it('applies commands in order with strictly increasing revisions and patches', () => {
    const { controller } = open();
    const events: number[] = [];
    controller.onAccepted((e) => events.push(e.revision));
    assert.equal(controller.execute({ type: 'apply-preset', name: 'overview' }, operator).revision, 1);
    assert.equal(controller.current.activePreset, 'overview');
    assert.equal(controller.execute({ type: 'remove-tile', id: 'water' }, operator).revision, 2);
    assert.equal(controller.execute({ type: 'add-tile', tile: note('extra', 0, 12) }, operator).revision, 3);
    assert.equal(controller.execute({ type: 'move-tile', id: 'extra', x: 10, y: 20 }, operator).revision, 4);
    const moved = controller.current.tiles.find((t) => t.id === 'extra')!;
    assert.deepEqual(moved.rect, { x: 10, y: 20, w: 4, h: 3 });
    assert.equal(controller.current.activePreset, null, 'a hand-made change leaves the preset');
    controller.execute({ type: 'resize-tile', id: 'extra', rect: { x: 8, y: 18, w: 6, h: 6 } }, operator);
    controller.execute({ type: 'set-tile-props', id: 'extra', props: { tone: 'critical' } }, operator);
    assert.equal((controller.current.tiles.find((t) => t.id === 'extra')!.props as { tone: string }).tone, 'critical');
    controller.execute({ type: 'remove-tile', id: 'extra' }, operator);
    assert.equal(controller.current.tiles.some((t) => t.id === 'extra'), false);
    assert.deepEqual(events, [1, 2, 3, 4, 5, 6, 7]);
  });

  it('unsets optional props: back to absent, or to the default', () => {
    const { controller } = open();
    controller.execute({ type: 'apply-preset', name: 'overview' }, operator);
    const readings: Tile = { id: 'readings', kind: 'sensor-readings', rect: { x: 0, y: 0, w: 4, h: 3 }, props: { kinds: [], commune: 'Phường Tam Hiệp', layout: 'table', maxRows: 20, sparkline: true } };
    controller.execute({ type: 'remove-tile', id: controller.current.tiles[0]!.id }, operator);
    controller.execute({ type: 'add-tile', tile: readings }, operator);
    const propsOf = (id: string) => controller.current.tiles.find((t) => t.id === id)!.props as Record<string, unknown>;
    controller.execute({ type: 'set-tile-props', id: 'readings', props: { maxRows: 10 }, unset: ['commune'] }, operator);
    assert.equal('commune' in propsOf('readings'), false, 'the commune filter is gone');
    assert.equal(propsOf('readings').maxRows, 10, 'and the props set with it applied');
    controller.execute({ type: 'add-tile', tile: { ...note('memo', 4, 0), props: { markdown: 'Ca trực', fontScale: 1, tone: 'critical' } } }, operator);
    controller.execute({ type: 'set-tile-props', id: 'memo', props: {}, unset: ['tone'] }, operator);
    assert.equal(propsOf('memo').tone, 'neutral', 'a prop with a default returns to it');
    const before = controller.currentRevision;
    rejects(() => controller.execute({ type: 'set-tile-props', id: 'memo', props: { tone: 'info' }, unset: ['tone'] }, operator), 'invalid', 'command.unset');
    rejects(() => controller.execute({ type: 'set-tile-props', id: 'memo', props: {}, unset: ['markdown'] }, operator), 'invalid', 'command.props.markdown');
    assert.equal(controller.currentRevision, before, 'a refused unset changes nothing');
  });

  it('rejects invalid commands before they change anything, naming the field', () => {
    const { controller } = open();
    controller.execute({ type: 'apply-preset', name: 'overview' }, operator);
    const before = controller.current;
    rejects(() => controller.execute({ type: 'move-tile', id: 'alerts', x: -1, y: 0 }, operator), 'invalid', 'command.x');
    rejects(() => controller.execute({ type: 'add-tile', tile: { ...note('bad'), rect: { x: 0, y: 0, w: 0, h: 1 } } }, operator), 'invalid', 'command.tile.rect.w');
    rejects(() => controller.execute({ type: 'add-tile', tile: { ...note('bad'), kind: 'nope' } }, operator), 'invalid', 'command.tile.kind');
    rejects(() => controller.execute({ type: 'add-tile', tile: note('alerts') }, operator), 'conflict', 'command.tile.id');
    rejects(() => controller.execute({ type: 'move-tile', id: 'alerts', x: 23, y: 0 }, operator), 'conflict');
    rejects(() => controller.execute({ type: 'move-tile', id: 'ghost', x: 0, y: 0 }, operator), 'not-found', 'command.id');
    rejects(() => controller.execute({ type: 'set-tile-props', id: 'shift-note', props: { tone: 'purple' } }, operator), 'invalid', 'command.props.tone');
    rejects(() => controller.execute({ type: 'set-tile-props', id: 'shift-note', props: { colour: 'red' } }, operator), 'invalid');
    rejects(() => controller.execute({ type: 'apply-preset', name: 'missing' }, operator), 'not-found', 'command.name');
    assert.equal(controller.current, before);
    assert.equal(controller.currentRevision, 1);
  });

  it('refuses a tile that would cover another, leaving the wall as it was', () => {
    const { controller } = open();
    controller.execute({ type: 'apply-preset', name: 'overview' }, operator);
    const before = controller.current;
    // overview: shift-note 0,3 14×9 beside alerts 14,3 10×21; water 0,12 14×12 below shift-note
    rejects(() => controller.execute({ type: 'move-tile', id: 'alerts', x: 13, y: 3 }, operator), 'conflict', 'tiles.2.rect');
    rejects(() => controller.execute({ type: 'resize-tile', id: 'shift-note', rect: { x: 0, y: 3, w: 14, h: 10 } }, operator), 'conflict');
    controller.execute({ type: 'remove-tile', id: 'water' }, operator);
    rejects(() => controller.execute({ type: 'add-tile', tile: note('memo', 11, 11) }, operator), 'conflict');
    rejects(() => controller.execute({ type: 'apply-layout', tiles: [note('a', 0, 0), note('b', 3, 2)], preset: null }, operator), 'conflict');
    assert.deepEqual(controller.current.tiles, before.tiles.filter((t) => t.id !== 'water'));
    assert.equal(controller.currentRevision, 2);
    // edge to edge is not an overlap
    controller.execute({ type: 'add-tile', tile: note('memo', 10, 12) }, operator);
    controller.execute({ type: 'resize-tile', id: 'memo', rect: { x: 0, y: 12, w: 14, h: 12 } }, operator);
  });

  it('saves over an existing preset only when told to overwrite it', () => {
    const { controller } = open();
    controller.execute({ type: 'apply-preset', name: 'overview' }, operator);
    const title = { vi: 'Ca đêm', en: 'Night shift' };
    controller.execute({ type: 'save-preset', name: 'ca-dem', title }, operator);
    controller.execute({ type: 'remove-tile', id: 'water' }, operator);
    rejects(() => controller.execute({ type: 'save-preset', name: 'ca-dem', title }, operator), 'conflict', 'command.name');
    rejects(() => controller.execute({ type: 'save-preset', name: 'overview', title }, operator), 'conflict', 'command.name');
    assert.equal(controller.presets().find((p) => p.preset.name === 'ca-dem')!.preset.tiles.length, 4, 'the saved preset is untouched');
    controller.execute({ type: 'save-preset', name: 'ca-dem', title, overwrite: true }, operator);
    assert.equal(controller.presets().find((p) => p.preset.name === 'ca-dem')!.preset.tiles.length, 3);
  });

  it('authorizes every command: display windows may not change the wall', () => {
    const { controller } = open();
    rejects(() => controller.execute({ type: 'apply-preset', name: 'overview' }, { id: 'r0c0', role: 'display' }), 'forbidden');
    assert.equal(controller.currentRevision, 0);
  });

  it('persists state, journal and saved presets across a reopen', () => {
    const first = open();
    first.controller.execute({ type: 'apply-preset', name: 'briefing' }, operator);
    first.controller.execute({ type: 'resize-tile', id: 'agenda', rect: { x: 0, y: 0, w: 12, h: 11 } }, operator);
    first.controller.execute({ type: 'save-preset', name: 'my-layout', title: { vi: 'Bố cục của tôi', en: 'My layout' } }, operator);
    const saved = first.controller.current;
    first.db.close();

    const second = open(first.file);
    assert.equal(second.controller.currentRevision, 3);
    assert.deepEqual(second.controller.current, saved);
    const mine = second.controller.presets().find((p) => p.preset.name === 'my-layout');
    assert.equal(mine?.source, 'database');
    assert.equal(mine?.preset.title.vi, 'Bố cục của tôi');
    const journal = new SqliteWallStore(second.db).journal(0, 10);
    assert.deepEqual(journal.map((e) => e.command.type), ['apply-preset', 'resize-tile', 'save-preset']);
    assert.ok(journal.every((e) => e.actor.id === 'console'));
  });

  it('keeps the command journal append-only', () => {
    const { db, controller } = open();
    controller.execute({ type: 'apply-preset', name: 'overview' }, operator);
    assert.throws(() => db.prepare("UPDATE command_journal SET actor_id = 'mallory'").run(), /append-only/);
    assert.throws(() => db.prepare('DELETE FROM command_journal').run(), /append-only/);
  });

  it('resyncs with patches while it has them, else with a snapshot', () => {
    const { controller } = open();
    controller.execute({ type: 'apply-preset', name: 'overview' }, operator);
    controller.execute({ type: 'resize-tile', id: 'alerts', rect: { x: 14, y: 3, w: 10, h: 20 } }, operator);
    controller.execute({ type: 'move-tile', id: 'alerts', x: 14, y: 4 }, operator);
    const patches = controller.resync(1);
    assert.equal(patches.kind, 'patches');
    assert.deepEqual(patches.kind === 'patches' && patches.events.map((e) => e.revision), [2, 3]);
    const upToDate = controller.resync(3);
    assert.equal(upToDate.kind === 'patches' && upToDate.events.length, 0);
    assert.equal(controller.resync(0).kind, 'snapshot');
    assert.equal(controller.resync(99).kind, 'snapshot', 'a window ahead of the host (host restarted) gets a snapshot');
  });

  it('answers a repeated request id with its first result, across a reopen, and refuses it for another command', () => {
    const first = open();
    const events: number[] = [];
    first.controller.onAccepted((e) => events.push(e.revision));
    const move = { type: 'apply-preset', name: 'overview' } as const;
    const accepted = first.controller.execute(move, operator, 'req-1');
    assert.deepEqual(first.controller.execute(move, operator, 'req-1'), accepted, 'a retry gets the first answer');
    assert.equal(first.controller.currentRevision, 1, 'and applies nothing');
    assert.deepEqual(events, [1]);
    rejects(() => first.controller.execute({ type: 'apply-preset', name: 'briefing' }, operator, 'req-1'), 'conflict', 'requestId');
    assert.throws(() => first.controller.execute({ type: 'apply-preset', name: 'briefing' }, operator, 'req-1'), /request id "req-1" was already used for a different command \(revision 1\)/);
    assert.throws(() => first.controller.execute({ type: 'move-tile', id: 'alerts', x: -1, y: 0 }, operator), /^ContractError: command: command\.x: /);
    first.controller.execute(move, operator);
    first.controller.execute(move, operator);
    assert.equal(first.controller.currentRevision, 3, 'commands without a request id are never deduplicated');
    first.db.close();

    const second = open(first.file);
    assert.deepEqual(second.controller.execute(move, operator, 'req-1'), accepted, 'the request id outlives the process');
    assert.equal(second.controller.currentRevision, 3);
  });

  it('stops telling a listener once it unsubscribes', () => {
    const { controller } = open();
    const events: number[] = [];
    const unsubscribe = controller.onAccepted((e) => events.push(e.revision));
    controller.execute({ type: 'apply-preset', name: 'overview' }, operator);
    unsubscribe();
    controller.execute({ type: 'apply-preset', name: 'briefing' }, operator);
    assert.deepEqual(events, [1]);
  });

  it('keeps the last 512 patches: a window further behind gets a snapshot', () => {
    const { db, controller } = open();
    db.pragma('synchronous = OFF'); // 514 commits: this test is about the history, not about power loss
    controller.execute({ type: 'apply-preset', name: 'overview' }, operator);
    for (let i = 0; i < 513; i++) controller.execute({ type: 'resize-tile', id: 'alerts', rect: { x: 14, y: 3, w: 10, h: 20 + (i % 2) } }, operator);
    assert.equal(controller.currentRevision, 514);
    const oldest = controller.resync(2);
    assert.equal(oldest.kind, 'patches', 'revision 2 onwards is still held');
    assert.equal(oldest.kind === 'patches' && oldest.events.length, 512);
    assert.equal(controller.resync(1).kind, 'snapshot', 'the patch from revision 1 was dropped');
  });

  it('lists file and saved presets by name, a saved one winning over the file of the same name', () => {
    const { controller } = open();
    controller.execute({ type: 'save-preset', name: 'overview', title: { vi: 'Tổng quan (đã lưu)', en: 'Overview (saved)' }, overwrite: true }, operator);
    controller.execute({ type: 'save-preset', name: 'a-dau-tien', title: { vi: 'Đầu tiên', en: 'First' } }, operator);
    const listed = controller.presets();
    const names = listed.map((p) => p.preset.name);
    assert.equal(names[0], 'a-dau-tien', 'a saved preset takes its place by name, not after the files');
    assert.deepEqual(names, [...names].sort((a, b) => a.localeCompare(b)));
    assert.deepEqual(new Set(names), new Set([...filePresets.map((p) => p.name), 'a-dau-tien']));
    for (const { preset, source } of listed) assert.equal(source, ['overview', 'a-dau-tien'].includes(preset.name) ? 'database' : 'file', preset.name);
  });

  it('leaves out a stored preset the schema refuses', () => {
    const { db, controller } = open();
    db.prepare('INSERT INTO presets (name, doc, updated_at) VALUES (?, ?, ?)').run('broken', JSON.stringify({ name: 'broken' }), 0);
    assert.deepEqual(new SqliteWallStore(db).presets(), []);
    assert.equal(controller.presets().some((p) => p.preset.name === 'broken'), false);
  });

  it('refuses to start on a stored wall state the schema refuses', () => {
    const first = open();
    first.controller.execute({ type: 'apply-preset', name: 'overview' }, operator);
    first.db.prepare('UPDATE wall_state SET doc = ?').run(JSON.stringify({ tiles: 'none' }));
    assert.throws(() => new WallController({ wall, store: new SqliteWallStore(first.db), authorizer: roleAuthorizer(), filePresets }), /stored wall state is invalid/);
  });

  it('creates every table of the schema and refuses a database newer than this build', () => {
    const { db, file } = open();
    const tables = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name));
    for (const table of ['wall_state', 'command_journal', 'presets', 'alerts', 'accounts', 'displays', 'audit_log', 'replay_patches', 'replay_checkpoints', 'scenario_run_log']) {
      assert.ok(tables.has(table), `table ${table}`);
    }
    const alertColumns = (db.prepare('PRAGMA table_info(alerts)').all() as { name: string }[]).map((c) => c.name);
    assert.ok(alertColumns.includes('resolved_at'), 'alerts.resolved_at');
    const version = db.pragma('user_version', { simple: true }) as number;
    db.pragma(`user_version = ${version + 1}`);
    db.close();
    assert.throws(() => openDatabase(file, keyBeside(file)), new RegExp(`schema version ${version + 1}, newer than this build \\(${version}\\)`));
  });

  it('refuses a damaged wall database and leaves the file where it is', () => {
    const { db, controller, file } = open();
    controller.execute({ type: 'apply-preset', name: 'overview' }, operator);
    db.close();
    corruptTablePage(file, 'command_journal');
    assert.throws(() => openDatabase(file, keyBeside(file)), /^SqliteFileError: wall database .* damaged.*The host will not write to it/s);
    assert.ok(existsSync(file), 'never moved aside');
  });

  it('refuses a command the disk has no room for as storage-full, applying nothing, and reports it', () => {
    const file = join(tempDir(), 'wall.sqlite');
    const db = openDatabase(file, keyBeside(file));
    const failures: unknown[] = [];
    const controller = new WallController({ wall, store: new SqliteWallStore(db, (error) => failures.push(error)), authorizer: roleAuthorizer(), filePresets });
    controller.execute({ type: 'apply-preset', name: 'overview' }, operator);
    // a full disk as SQLite sees one: no page may be added (the same SQLITE_FULL a full filesystem raises)
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
    controller.execute({ type: 'remove-tile', id: 'water' }, operator);
    const big = { ...note('big', 0, 12), props: { markdown: 'Mưa lớn. '.repeat(2_000), fontScale: 1, tone: 'neutral' } };
    rejects(() => controller.execute({ type: 'add-tile', tile: big }, operator), 'storage-full');
    assert.equal(failures.length, 1);
    assert.equal(controller.currentRevision, 2);
    assert.equal(controller.current.tiles.some((t) => t.id === 'big'), false);
    db.pragma('max_page_count = 1073741823');
    const store = new SqliteWallStore(db, (error) => failures.push(error));
    const again = { revision: 1, at: 0, actor: operator, command: { type: 'apply-preset', name: 'overview' } as const };
    assert.throws(() => store.commit(again, controller.current), /UNIQUE|append-only|overwrite/i, 'any other failure is passed on as it is, not as a full disk');
    assert.equal(failures.length, 1);
  });
});
