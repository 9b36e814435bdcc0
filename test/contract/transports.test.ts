/**
 * One contract suite, run over the in-memory and the WebSocket transports against a real core
 * (real SQLite file). The same requests must give the same answers on both.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { applyPatches, enablePatches } from 'immer';
import type { WallPatchEvent, WallState } from '../../native-bridge/contract.js';
import { startCore } from '../../electron/node/core.js';
import { demoPresetsDir, demoWallFile, tempDir } from '../support/fixtures.js';
import { inMemoryHarness, nextEvent, rejectsWith, webSocketHarness, type Harness } from '../support/harness.js';

enablePatches();

async function inMemoryCore(): Promise<Harness> {
  const dataDir = tempDir();
  const core = await startCore({ wallFile: demoWallFile, presetsDir: demoPresetsDir, dataDir, host: 'chromium' });
  return inMemoryHarness(core, () => core.close(), dataDir);
}

for (const [name, make] of [
  ['in-memory', inMemoryCore],
  ['websocket', webSocketHarness],
] as const) {
  describe(`contract over ${name}`, () => {
    let harness: Harness;
    before(async () => (harness = await make()));
    after(async () => harness.close());

    it('says hello, then resyncs from nothing to a snapshot of the start preset', async () => {
      const { client, transport } = await harness.connect();
      const hello = await client.call('session.hello', { window: 'console' });
      assert.equal(hello.actor, null, 'a console without a session is signed out');
      assert.equal(hello.status.windows.find((w) => w.windowId === 'console')?.connected, true);
      await rejectsWith(client.call('wall.resync', { sinceRevision: 0 }), 'unauthenticated');
      transport.close();
      const viewer = await harness.console('viewer');
      const sync = await viewer.client.call('wall.resync', { sinceRevision: 0 });
      assert.equal(sync.kind, 'snapshot');
      assert.equal(sync.kind === 'snapshot' && sync.state.activePreset, 'overview');
      viewer.transport.close();
    });

    it('fans a command out as patches that rebuild the host state in another window', async () => {
      const operator = await harness.console('operator');
      const display = await harness.display('r0c1');
      const sync = await display.client.call('wall.resync', { sinceRevision: 0 });
      assert.equal(sync.kind, 'snapshot');
      let state = (sync as { state: WallState }).state;
      const patched = nextEvent<WallPatchEvent>((cb) => display.client.on('wall.patch', cb));
      const { revision } = await operator.client.call('wall.execute', { command: { type: 'resize-tile', id: 'alerts', rect: { x: 14, y: 3, w: 10, h: 20 } } });
      const event = await patched;
      assert.equal(event.revision, revision);
      assert.equal(event.baseRevision, sync.revision);
      state = applyPatches(state, event.patches as never);
      const truth = await operator.client.call('wall.resync', { sinceRevision: 0 });
      assert.deepEqual(state, (truth as { state: WallState }).state);
      const since = await display.client.call('wall.resync', { sinceRevision: sync.revision });
      assert.equal(since.kind, 'patches');
      operator.transport.close();
      display.transport.close();
    });

    it('rejects bad input with the field named, before it reaches a service', async () => {
      const { client, transport } = await harness.console('operator');
      const before = await client.call('wall.resync', { sinceRevision: 0 });
      await rejectsWith(transport.invoke('wall.execute', { command: { type: 'move-tile', id: 'alerts', x: 'left', y: 0 } }), 'invalid', 'payload.command.x');
      await rejectsWith(transport.invoke('wall.execute', { command: { type: 'explode' } }), 'invalid', 'payload.command.type');
      await rejectsWith(transport.invoke('wall.execute', {}), 'invalid', 'payload.command');
      const fresh = await harness.connect();
      await rejectsWith(fresh.transport.invoke('session.hello', { window: 'r99c0' }), 'not-found', 'window');
      fresh.transport.close();
      await rejectsWith(transport.invoke('no.such.method', {}), 'unknown-method');
      // The client validates too: a typed call with bad data never leaves the window.
      await rejectsWith(client.call('window.painted', { revision: -1 }), 'invalid', 'revision');
      const afterwards = await client.call('wall.resync', { sinceRevision: 0 });
      assert.equal(afterwards.revision, before.revision, 'nothing was applied');
      transport.close();
    });

    it('authorizes: no command before hello, none from display windows', async () => {
      const { client, transport } = await harness.connect();
      await rejectsWith(client.call('wall.execute', { command: { type: 'apply-preset', name: 'briefing' } }), 'forbidden');
      transport.close();
      const display = await harness.display('r1c1');
      await rejectsWith(display.client.call('wall.execute', { command: { type: 'apply-preset', name: 'briefing' } }), 'forbidden');
      display.transport.close();
    });

    it('refuses a display without a credential (it must enrol)', async () => {
      const { client, transport } = await harness.connect();
      await rejectsWith(client.call('session.hello', { window: 'r1c1' }), 'unauthenticated', 'credential');
      await rejectsWith(client.call('wall.execute', { command: { type: 'apply-preset', name: 'briefing' } }), 'forbidden');
      transport.close();
    });

    it('lists presets from files and saved ones, and reports painting', async () => {
      const { client, transport } = await harness.console('operator');
      await client.call('wall.execute', { command: { type: 'save-preset', name: 'night-shift', title: { vi: 'Ca đêm', en: 'Night shift' } } });
      const { presets } = await client.call('presets.list', {});
      assert.deepEqual(
        presets.map((p) => [p.name, p.source]),
        [
          ['briefing', 'file'],
          ['cameras', 'file'],
          ['field', 'file'],
          ['indicators', 'file'],
          ['map', 'file'],
          ['night-shift', 'database'],
          ['overview', 'file'],
        ],
      );
      assert.deepEqual(await client.call('window.painted', { revision: 1 }), {});
      transport.close();
    });
  });
}
