import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ContractError, type Actor } from '../../native-bridge/contract.js';
import { roleAuthorizer } from '../../electron/common/authorization.js';
import { openDatabase } from '../../electron/node/database.js';
import { loadPresetDir, loadWallFile } from '../../electron/node/layout-files.js';
import { SqliteWallStore } from '../../electron/node/sqlite-wall-store.js';
import { WallController } from '../../electron/node/wall-controller.js';
import { UNDO_LIMIT, WallUndo } from '../../electron/node/wall-undo.js';
import { demoPresetsDir, demoWallFile, tempDir } from '../support/fixtures.js';
import { keyBeside } from '../support/storage.js';

const an: Actor = { id: 'acc-an', role: 'operator', name: 'Nguyễn Văn An' };
const binh: Actor = { id: 'acc-binh', role: 'commander', name: 'Trần Thị Bình' };
const system: Actor = { id: 'scenario-engine', role: 'system' };
const wall = loadWallFile(demoWallFile);
const { presets: filePresets } = loadPresetDir(demoPresetsDir, wall);

function open() {
  const file = join(tempDir(), 'wall.sqlite');
  const db = openDatabase(file, keyBeside(file));
  const store = new SqliteWallStore(db);
  const controller = new WallController({ wall, store, authorizer: roleAuthorizer(), filePresets });
  const undo = new WallUndo(controller);
  controller.execute({ type: 'apply-preset', name: 'overview' }, system);
  return { controller, undo, store };
}

function refused(fn: () => unknown, code: string): void {
  assert.throws(fn, (error: unknown) => error instanceof ContractError && error.code === code);
}

const rectOf = (controller: WallController, id: string) => controller.current.tiles.find((t) => t.id === id)?.rect;

describe('wall undo', () => {
  it('undoes and redoes a person’s own edits in order, each as a journalled revision', () => {
    const { controller, undo, store } = open();
    const original = controller.current;
    controller.execute({ type: 'resize-tile', id: 'alerts', rect: { x: 14, y: 3, w: 10, h: 20 } }, an);
    controller.execute({ type: 'remove-tile', id: 'water' }, an);
    const edited = controller.current;
    assert.equal(controller.currentRevision, 3);

    assert.equal(undo.undo(an).revision, 4);
    assert.ok(controller.current.tiles.some((t) => t.id === 'water'), 'a deleted tile comes back');
    assert.deepEqual(rectOf(controller, 'alerts'), { x: 14, y: 3, w: 10, h: 20 });
    undo.undo(an);
    assert.deepEqual(controller.current.tiles, original.tiles);
    assert.equal(controller.current.activePreset, 'overview', 'back to the preset it was');
    refused(() => undo.undo(an), 'not-found');

    undo.redo(an);
    undo.redo(an);
    assert.deepEqual(controller.current.tiles, edited.tiles);
    assert.equal(controller.current.activePreset, null);
    refused(() => undo.redo(an), 'not-found');

    const journal = store.journal(0, 20);
    assert.deepEqual(journal.slice(3).map((e) => [e.actor.id, e.command.type, e.command.type === 'apply-layout' ? e.command.label : null]), [
      ['acc-an', 'apply-layout', 'undo of revision 3'],
      ['acc-an', 'apply-layout', 'undo of revision 2'],
      ['acc-an', 'apply-layout', 'redo of revision 2'],
      ['acc-an', 'apply-layout', 'redo of revision 3'],
    ]);
  });

  it('never drops someone else’s change: undo is refused once another person or a scenario changed the wall', () => {
    const { controller, undo } = open();
    controller.execute({ type: 'remove-tile', id: 'water' }, an);
    controller.execute({ type: 'resize-tile', id: 'alerts', rect: { x: 14, y: 3, w: 10, h: 20 } }, binh);
    refused(() => undo.undo(an), 'not-found');
    assert.equal(controller.current.tiles.some((t) => t.id === 'water'), false);
    // Bình's own edit is his to undo
    undo.undo(binh);
    assert.deepEqual(rectOf(controller, 'alerts'), { x: 14, y: 3, w: 10, h: 21 });

    controller.execute({ type: 'remove-tile', id: 'alerts' }, an);
    controller.execute({ type: 'apply-preset', name: 'map' }, system);
    refused(() => undo.undo(an), 'not-found');
    assert.equal(controller.current.activePreset, 'map');
  });

  it('forgets the redo steps when the person edits again, and keeps its history across a saved preset', () => {
    const { controller, undo } = open();
    controller.execute({ type: 'remove-tile', id: 'water' }, an);
    undo.undo(an);
    controller.execute({ type: 'remove-tile', id: 'shift-note' }, an);
    refused(() => undo.redo(an), 'not-found');
    controller.execute({ type: 'save-preset', name: 'ca-dem', title: { vi: 'Ca đêm', en: 'Night shift' } }, an);
    undo.undo(an);
    assert.ok(controller.current.tiles.some((t) => t.id === 'shift-note'));
    assert.ok(controller.presets().some((p) => p.preset.name === 'ca-dem'), 'undo does not delete a saved preset');
  });

  it('answers a retried undo with its first result instead of undoing twice', () => {
    const { controller, undo } = open();
    controller.execute({ type: 'remove-tile', id: 'water' }, an);
    controller.execute({ type: 'remove-tile', id: 'shift-note' }, an);
    const first = undo.undo(an, 'req-undo-1');
    const retried = undo.undo(an, 'req-undo-1');
    assert.deepEqual(retried, first);
    assert.equal(controller.currentRevision, first.revision);
    assert.equal(controller.current.tiles.some((t) => t.id === 'water'), false, 'only the latest edit was undone');
  });

  it('keeps a bounded history', () => {
    const { controller, undo } = open();
    controller.execute({ type: 'remove-tile', id: 'water' }, an);
    for (let i = 0; i < UNDO_LIMIT + 20; i++) controller.execute({ type: 'resize-tile', id: 'shift-note', rect: { x: 0, y: 3, w: 14, h: 9 + (i % 2) } }, an);
    let undone = 0;
    for (;;) {
      try {
        undo.undo(an);
        undone++;
      } catch (error) {
        assert.ok(error instanceof ContractError && error.code === 'not-found');
        break;
      }
    }
    assert.equal(undone, UNDO_LIMIT);
    assert.equal(controller.current.tiles.some((t) => t.id === 'water'), false, 'the oldest edits fell out of the history');
  });
});
