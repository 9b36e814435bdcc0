/**
 * The Electron IPC path without the Electron binary: the renderer's electronIpcTransport over an
 * IocBridge whose two ends are wired as the preload and ipcMain wire them, to the main side's
 * window relay (the one electron-main/ipc-port.ts uses) on a real core. Only the ipcMain/
 * ipcRenderer byte moving is left out; frames are strings, as on the real channel.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RejectedMessage } from '../../native-bridge/channel.js';
import { startCore, type Core } from '../../electron/node/core.js';
import { demoPresetsDir, demoWallFile, tempDir } from '../support/fixtures.js';
import { connectAsElectronWindow, connectInMemory, nextEvent, rejectsWith } from '../support/harness.js';
import { createAccount, helloAsConsole, type TestAccount } from '../support/accounts.js';

describe('Electron IPC transport (renderer bridge ↔ main relay, real core)', () => {
  let core: Core;
  let operatorAccount: TestAccount;
  before(async () => {
    const dataDir = tempDir();
    core = await startCore({ wallFile: demoWallFile, presetsDir: demoPresetsDir, dataDir, host: 'electron' });
    operatorAccount = await createAccount(dataDir, 'operator');
  });
  after(async () => core.close());

  it('serves the contract: hello as the window it was opened for, resync, patches from the console', async () => {
    const rejected: RejectedMessage[] = [];
    const display = connectAsElectronWindow(core, 'r0c1', rejected);
    const hello = await display.client.call('session.hello', { window: 'r0c1' });
    assert.deepEqual(hello.actor, { id: 'r0c1', role: 'display' });
    const snapshot = await display.client.call('wall.resync', { sinceRevision: 0 });
    assert.equal(snapshot.kind, 'snapshot');
    const patched = nextEvent<{ revision: number }>((cb) => display.client.on('wall.patch', cb));
    const operator = connectInMemory(core);
    await helloAsConsole(operator.client, operatorAccount);
    const { revision } = await operator.client.call('wall.execute', { command: { type: 'apply-preset', name: 'briefing' } });
    assert.equal((await patched).revision, revision);
    assert.ok(core.status().windows.find((w) => w.windowId === 'r0c1')!.connected);
    operator.transport.close();
    display.relay.close();
    assert.deepEqual(rejected, []);
  });

  it('a display window cannot say hello as the console nor act as it', async () => {
    const display = connectAsElectronWindow(core, 'r1c1', []);
    await rejectsWith(display.client.call('session.hello', { window: 'console' }), 'forbidden', 'window');
    await display.client.call('session.hello', { window: 'r1c1' });
    await rejectsWith(display.client.call('wall.execute', { command: { type: 'apply-preset', name: 'overview' } }), 'forbidden', 'method');
    display.relay.close();
  });

  it('refuses malformed frames on the main side and keeps serving', async () => {
    const rejected: RejectedMessage[] = [];
    const win = connectAsElectronWindow(core, 'r0c0', rejected);
    win.bridge.send('not json');
    win.bridge.send(JSON.stringify({ t: 'evt', event: 'wall.patch', payload: {} }));
    const hello = await win.client.call('session.hello', { window: 'r0c0' });
    assert.equal(hello.windowId, 'r0c0');
    assert.deepEqual(rejected.map((r) => r.reason), ['message is not JSON', 'unexpected "evt" frame from a client']);
    win.relay.close();
  });

  it('a reload (relay closed) ends the session: the window shows as disconnected', async () => {
    const win = connectAsElectronWindow(core, 'r1c0', []);
    await win.client.call('session.hello', { window: 'r1c0' });
    assert.equal(core.status().windows.find((w) => w.windowId === 'r1c0')!.connected, true);
    win.relay.close();
    assert.equal(core.status().windows.find((w) => w.windowId === 'r1c0')!.connected, false);
  });
});
