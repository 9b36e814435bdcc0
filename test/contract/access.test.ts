/**
 * Access is declared per method in the contract and enforced once by ContractServer, before a
 * request is parsed or a handler runs. The cases are generated from the contract: a method added
 * later is covered without touching this file.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { accessRoles, ContractServer, type Handlers } from '../../native-bridge/channel.js';
import { contract, methodNames, type Actor, type MethodName } from '../../native-bridge/contract.js';
import { startCore, type Core } from '../../electron/node/core.js';
import { demoPresetsDir, demoWallFile, tempDir } from '../support/fixtures.js';
import { connectInMemory, rejectsWith, type Connection } from '../support/harness.js';

const byAccess = (access: string) => methodNames.filter((m) => contract.methods[m].access === access);
const consoleOnly = byAccess('console');
const afterHello = byAccess('window');

describe('access declared in the contract', () => {
  let core: Core;
  let display: Connection;
  let operator: Connection;
  let stranger: Connection;
  before(async () => {
    core = await startCore({ wallFile: demoWallFile, presetsDir: demoPresetsDir, dataDir: tempDir(), host: 'chromium' });
    display = connectInMemory(core);
    await display.client.call('session.hello', { window: 'r0c1' });
    operator = connectInMemory(core);
    await operator.client.call('session.hello', { window: 'console' });
    stranger = connectInMemory(core);
  });
  after(async () => {
    for (const c of [display, operator, stranger]) c.transport.close();
    await core.close();
  });

  it('declares an access level for every method, and only session.hello is open', () => {
    for (const method of methodNames) assert.ok(contract.methods[method].access in accessRoles, method);
    assert.deepEqual(byAccess('open'), ['session.hello']);
    assert.ok(consoleOnly.includes('wall.execute') && consoleOnly.includes('scenarios.activate') && consoleOnly.includes('field.command'));
  });

  it('refuses every console-only method to a display window, naming the method, before the request is even parsed', async () => {
    for (const method of consoleOnly) {
      // an empty payload is invalid for most of them: 'forbidden' (not 'invalid') shows the check came first
      await rejectsWith(display.transport.invoke(method, {}), 'forbidden', 'method');
      await assert.rejects(display.transport.invoke(method, {}), (error: Error) => error.message.includes(method) && error.message.includes('r0c1'));
    }
  });

  it('lets the console past the access check of every console-only method (its errors are about the request)', async () => {
    for (const method of consoleOnly) {
      await assert.rejects(operator.transport.invoke(method, { bogus: true }), (error: { code?: string }) => error.code === 'invalid', method);
    }
  });

  it('refuses every method but session.hello before hello', async () => {
    for (const method of [...afterHello, ...consoleOnly]) await rejectsWith(stranger.transport.invoke(method, {}), 'forbidden', 'method');
  });

  it('a connection opened for a window may say hello only as that window', async () => {
    const enrolled = connectInMemory(core, { enrolledAs: 'r1c0' });
    try {
      await rejectsWith(enrolled.client.call('session.hello', { window: 'console' }), 'forbidden', 'window');
      await rejectsWith(enrolled.client.call('wall.execute', { command: { type: 'apply-preset', name: 'overview' } }), 'forbidden', 'method');
      const hello = await enrolled.client.call('session.hello', { window: 'r1c0' });
      assert.equal(hello.actor.role, 'display');
    } finally {
      enrolled.transport.close();
    }
  });

  it('no handler runs for a caller the access check refuses', async () => {
    const ran: string[] = [];
    const handlers = new Proxy({} as Handlers<{ actor: Actor | null }>, {
      get: (_target, method: string) => () => {
        ran.push(method);
        return {};
      },
    });
    const server = new ContractServer(handlers, (ctx) => ctx.actor);
    const displayActor: Actor = { id: 'r0c0', role: 'display' };
    for (const method of consoleOnly) await rejectsWith(server.handle(method, {}, { actor: displayActor }), 'forbidden');
    for (const method of [...afterHello, ...consoleOnly] as MethodName[]) await rejectsWith(server.handle(method, {}, { actor: null }), 'forbidden');
    assert.deepEqual(ran, []);
  });
});
