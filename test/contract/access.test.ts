/**
 * The policy table (native-bridge/policy.ts) is enforced once, by ContractServer, before a request
 * is parsed or a handler runs. The role matrix is GENERATED from the table: every method × every
 * role that can connect, over WebSocket against a real Chromium host, each signed in as a real
 * account. A method added later is covered without touching this file.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ContractServer, type Handlers } from '../../native-bridge/channel.js';
import { ContractError, methodNames, type Actor, type MethodName, type PersonRole, type Role } from '../../native-bridge/contract.js';
import { mayCall, methodPolicy, PERSON_ROLES } from '../../native-bridge/policy.js';
import { startCore, type Core } from '../../electron/node/core.js';
import { demoPresetsDir, demoWallFile, tempDir } from '../support/fixtures.js';
import { connectInMemory, rejectsWith, webSocketHarness, type Connection } from '../support/harness.js';
import { createAccount, helloAsConsole, issueDisplayCredential } from '../support/accounts.js';

const CONNECTING_ROLES: readonly Role[] = [...PERSON_ROLES, 'display'];
const openMethods = methodNames.filter((m) => methodPolicy[m] === 'open');
const closedMethods = methodNames.filter((m) => methodPolicy[m] !== 'open');

/** The call's error code, or 'ok'. A bogus payload: an admitted caller gets 'invalid' (or its own error), never 'forbidden'. */
async function outcome(connection: Connection, method: MethodName): Promise<string> {
  try {
    await connection.transport.invoke(method, { bogus: true });
    return 'ok';
  } catch (error) {
    assert.ok(error instanceof ContractError, String(error));
    if (error.code === 'forbidden') assert.equal(error.field, 'method', `${method}: ${error.message}`);
    return error.code;
  }
}

describe('the role matrix, generated from the policy table, over WebSocket', () => {
  let harness: Awaited<ReturnType<typeof webSocketHarness>>;
  const connections = new Map<Role, Connection>();
  let signedOut: Connection;
  before(async () => {
    harness = await webSocketHarness();
    for (const role of CONNECTING_ROLES) {
      const connection = await harness.connect();
      if (role === 'display') await connection.client.call('session.hello', { window: 'r0c1', credential: { kind: 'display', token: issueDisplayCredential(harness.dataDir, 'r0c1') } });
      else await helloAsConsole(connection.client, await createAccount(harness.dataDir, role as PersonRole));
      connections.set(role, connection);
    }
    signedOut = await harness.connect();
    await signedOut.client.call('session.hello', { window: 'console' });
  });
  after(async () => harness.close());

  for (const role of CONNECTING_ROLES) {
    it(`${role}: every method allowed or refused 'forbidden' as the table declares`, async () => {
      const connection = connections.get(role)!;
      const wrong: string[] = [];
      for (const method of methodNames) {
        const got = await outcome(connection, method);
        const allowed = mayCall(role, method);
        if (allowed ? got === 'forbidden' || got === 'unauthenticated' : got !== 'forbidden') wrong.push(`${method}: ${allowed ? 'allowed' : 'refused'} by the table, got ${got}`);
      }
      assert.deepEqual(wrong, []);
    });
  }

  it('a signed-out console may call only the open methods; the rest are refused unauthenticated', async () => {
    for (const method of openMethods) assert.notEqual(await outcome(signedOut, method), 'unauthenticated', method);
    for (const method of closedMethods) assert.equal(await outcome(signedOut, method), 'unauthenticated', method);
    // besides sign-in: hello, a display page's enrolment by code (rate-limited, checked by its handler),
    // and the pair's client vote (after hello; a window losing its node is no person's act)
    assert.deepEqual(openMethods.filter((m) => !m.startsWith('auth.')).sort(), ['displays.enrol', 'pair.activeLost', 'session.hello']);
  });

  it('refuses every closed method before hello', async () => {
    const stranger = await harness.connect();
    for (const method of closedMethods) await rejectsWith(stranger.transport.invoke(method, {}), 'forbidden', 'method');
  });

  it('a display window cannot sign anyone in', async () => {
    const display = connections.get('display')!;
    await rejectsWith(display.client.call('auth.signIn', { username: 'ai-do', password: 'bất kỳ' }), 'forbidden', 'method');
  });
});

describe('policy enforcement in the core', () => {
  let core: Core;
  before(async () => {
    core = await startCore({ wallFile: demoWallFile, presetsDir: demoPresetsDir, dataDir: tempDir(), host: 'chromium' });
  });
  after(async () => core.close());

  it('a connection opened for a window may say hello only as that window', async () => {
    const enrolled = connectInMemory(core, { enrolledAs: 'r1c0' });
    try {
      await rejectsWith(enrolled.client.call('session.hello', { window: 'console' }), 'forbidden', 'window');
      await rejectsWith(enrolled.client.call('wall.execute', { command: { type: 'apply-preset', name: 'overview' } }), 'forbidden', 'method');
      const hello = await enrolled.client.call('session.hello', { window: 'r1c0' });
      assert.equal(hello.actor?.role, 'display');
    } finally {
      enrolled.transport.close();
    }
  });

  it('no handler runs for a caller the policy refuses', async () => {
    const ran: string[] = [];
    const handlers = new Proxy({} as Handlers<{ actor: Actor | null }>, {
      get: (_target, method: string) => () => {
        ran.push(method);
        return {};
      },
    });
    const server = new ContractServer(handlers, (ctx) => ctx.actor);
    for (const role of CONNECTING_ROLES) {
      const actor: Actor = { id: `x-${role}`, role };
      for (const method of methodNames.filter((m) => !mayCall(role, m))) await rejectsWith(server.handle(method, {}, { actor }), 'forbidden');
    }
    for (const method of closedMethods) await rejectsWith(server.handle(method, {}, { actor: null }), 'forbidden');
    assert.deepEqual(ran, []);
  });
});
