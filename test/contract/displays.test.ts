/**
 * Enrolled display windows. The attacks first: a display connection saying hello again as the
 * console to become the operator, a display credential used for another window or the console, a
 * person's session opening a display, a revoked credential, a reused or expired enrolment code,
 * code guessing; then what must keep working: a credential across a host restart (and on a second
 * host reading the same database), the data routes taking a display's credential, enrolment by
 * code from a technician's console. Real cores and their SQLite files; the WebSocket cases run
 * against a real host process.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { bearer } from '../../native-bridge/contract.js';
import { startCore, type Core } from '../../electron/node/core.js';
import { demoPresetsDir, demoWallFile, tempDir } from '../support/fixtures.js';
import { connectInMemory, rejectsWith, type Connection } from '../support/harness.js';
import { accountFor, connectConsole, connectDisplay, createAccount, helloAsConsole, issueDisplayCredential, type TestAccount } from '../support/accounts.js';
import { spawnHost, type HostProcess } from '../support/host-process.js';
import { connectNodeClient } from '../support/ws-client.js';

const closed = (socket: WebSocket): Promise<number> =>
  socket.readyState === socket.CLOSED ? Promise.resolve(0) : new Promise((resolve) => socket.once('close', (code) => resolve(code)));

describe('display credentials over a real host (WebSocket)', () => {
  const dataDir = tempDir();
  let host: HostProcess;
  before(async () => {
    host = await spawnHost({ dataDir, windows: 'none' });
  });
  after(async () => host?.stop());

  it('refuses a second hello on a display connection (as the console, to become the operator) and closes it', async () => {
    const display = await connectDisplay(host.runtime, dataDir, 'r0c0');
    assert.deepEqual(display.hello.actor?.role, 'display');
    const operator = await connectConsole(host.runtime, dataDir, 'operator');
    operator.transport.close();
    const token = (await accountFor(dataDir, 'operator')).token!;
    const again = display.client.call('session.hello', { window: 'console', credential: { kind: 'session', token } });
    await rejectsWith(again, 'forbidden', 'window');
    assert.ok((await closed(display.socket)) >= 1000, 'the connection is closed');
    // and the wall never took a command from it
    await rejectsWith(display.client.call('wall.execute', { command: { type: 'apply-preset', name: 'overview' } }), ['disconnected', 'unauthenticated', 'forbidden']);
  });

  it('refuses a display hello without a credential, with one of another window, or with a person\'s session', async () => {
    const bare = await connectNodeClient(host.runtime.baseUrl);
    await rejectsWith(bare.client.call('session.hello', { window: 'r0c1' }), 'unauthenticated', 'credential');
    await rejectsWith(bare.client.call('wall.execute', { command: { type: 'apply-preset', name: 'overview' } }), 'forbidden', 'method');
    const other = issueDisplayCredential(dataDir, 'r1c0');
    await rejectsWith(bare.client.call('session.hello', { window: 'r0c1', credential: { kind: 'display', token: other } }), 'forbidden', 'window');
    await rejectsWith(bare.client.call('session.hello', { window: 'console', credential: { kind: 'display', token: other } }), 'forbidden', 'credential');
    await connectConsole(host.runtime, dataDir, 'viewer').then((c) => c.transport.close());
    await rejectsWith(bare.client.call('session.hello', { window: 'r0c1', credential: { kind: 'session', token: (await accountFor(dataDir, 'viewer')).token! } }), 'forbidden', 'credential');
    bare.transport.close();
  });

  it('serves the map data to a display credential or a session, and to nothing else', async () => {
    const get = (authorization?: string) => fetch(`${host.runtime.baseUrl}/gis/datasets`, authorization ? { headers: { authorization } } : {});
    assert.equal((await get()).status, 401);
    assert.equal((await get(bearer(`d-${'0'.repeat(64)}`))).status, 401, 'an unknown credential');
    assert.equal((await get(bearer(issueDisplayCredential(dataDir, 'r1c0')))).status, 200);
    await connectConsole(host.runtime, dataDir, 'viewer').then((c) => c.transport.close());
    assert.equal((await get(bearer((await accountFor(dataDir, 'viewer')).token!))).status, 200);
  });

  it('ends a revoked display\'s connection and refuses its credential after', async () => {
    const display = await connectDisplay(host.runtime, dataDir, 'r1c1');
    const technician = await connectConsole(host.runtime, dataDir, 'technician');
    const { displays } = await technician.client.call('displays.list', {});
    assert.ok(displays.some((d) => d.windowId === 'r1c1' && d.connected), 'listed, connected');
    await technician.client.call('displays.revoke', { window: 'r1c1' });
    await closed(display.socket);
    const again = await connectNodeClient(host.runtime.baseUrl);
    await rejectsWith(again.client.call('session.hello', { window: 'r1c1', credential: { kind: 'display', token: display.credential } }), 'unauthenticated');
    assert.equal((await fetch(`${host.runtime.baseUrl}/gis/datasets`, { headers: { authorization: bearer(display.credential) } })).status, 401);
    again.transport.close();
    technician.transport.close();
  });

  it('keeps a credential across a host restart', async () => {
    const credential = issueDisplayCredential(dataDir, 'r0c1');
    await host.stop();
    host = await spawnHost({ dataDir, windows: 'none' });
    const c = await connectNodeClient(host.runtime.baseUrl);
    const hello = await c.client.call('session.hello', { window: 'r0c1', credential: { kind: 'display', token: credential } });
    assert.equal(hello.actor?.role, 'display');
    c.transport.close();
  });
});

describe('enrolment codes (a real core, its clock)', () => {
  const dataDir = tempDir();
  let now = Date.now();
  let core: Core;
  let technician: TestAccount;
  let operator: TestAccount;
  const open: Connection[] = [];
  const start = () => startCore({ wallFile: demoWallFile, presetsDir: demoPresetsDir, dataDir, host: 'chromium', auth: { clock: () => now } });
  const connect = () => {
    const c = connectInMemory(core);
    open.push(c);
    return c;
  };
  const asPerson = async (account: TestAccount) => {
    const c = connect();
    await helloAsConsole(c.client, account);
    return c;
  };
  before(async () => {
    core = await start();
    technician = await createAccount(dataDir, 'technician');
    operator = await createAccount(dataDir, 'operator');
  });
  after(async () => {
    open.forEach((c) => c.transport.close());
    await core.close();
  });

  it('enrols a display with a code once; the code cannot be used again, nor for another window', async () => {
    const tech = await asPerson(technician);
    const { code, name } = await tech.client.call('displays.enrolmentCode', { window: 'r0c1', name: 'Màn hình phòng họp' });
    assert.match(code, /^[A-Z2-9]{5}-[A-Z2-9]{5}$/);
    const stored = core.db.prepare('SELECT COUNT(*) AS n FROM enrolment_codes WHERE code_hash = ?').get(code.replace('-', '')) as { n: number };
    assert.equal(stored.n, 0, 'only the hash is stored');
    const page = connect();
    await rejectsWith(page.client.call('displays.enrol', { window: 'r1c0', code }), 'forbidden', 'code');
    const second = await tech.client.call('displays.enrolmentCode', { window: 'r0c1' });
    const { credential } = await page.client.call('displays.enrol', { window: 'r0c1', code: second.code.toLowerCase() });
    await rejectsWith(connect().client.call('displays.enrol', { window: 'r0c1', code: second.code }), 'forbidden', 'code');
    const hello = await page.client.call('session.hello', { window: 'r0c1', credential: { kind: 'display', token: credential } });
    assert.equal(hello.actor?.role, 'display');
    assert.notEqual(name, '');
    assert.equal((core.db.prepare('SELECT COUNT(*) AS n FROM displays WHERE credential_hash = ?').get(credential) as { n: number }).n, 0, 'the credential itself is never stored');
    // a code used for the wrong window is spent
    await rejectsWith(connect().client.call('displays.enrol', { window: 'r0c1', code }), 'forbidden', 'code');
  });

  it('refuses an expired code', async () => {
    const tech = await asPerson(technician);
    const { code, expiresAt } = await tech.client.call('displays.enrolmentCode', { window: 'r1c1' });
    now = expiresAt + 1;
    await rejectsWith(connect().client.call('displays.enrol', { window: 'r1c1', code }), 'forbidden', 'code');
    now = Date.now();
  });

  it('rate-limits code guessing per connection', async () => {
    const page = connect();
    const guesses = Array.from({ length: 8 }, () => page.client.call('displays.enrol', { window: 'r0c0', code: 'AAAAA-BBBBB' }).then(() => 'ok', (e: { code: string }) => e.code));
    const codes = await Promise.all(guesses);
    assert.ok(codes.includes('rate-limited'), codes.join(', '));
  });

  it('lets only technicians and administrators manage displays', async () => {
    const op = await asPerson(operator);
    await rejectsWith(op.client.call('displays.enrolmentCode', { window: 'r1c0' }), 'forbidden');
    await rejectsWith(op.client.call('displays.list', {}), 'forbidden');
    await rejectsWith(op.client.call('displays.revoke', { window: 'r0c1' }), 'forbidden');
  });

  it('accepts a credential on a second core reading the same database (a standby host)', async () => {
    const credential = core.displays.issue('r0c0', 'Màn hình dự phòng', 'system');
    const standby = await startCore({ wallFile: demoWallFile, presetsDir: demoPresetsDir, dataDir, host: 'chromium' });
    try {
      const c = connectInMemory(standby);
      const hello = await c.client.call('session.hello', { window: 'r0c0', credential: { kind: 'display', token: credential } });
      assert.equal(hello.actor?.name, 'Màn hình dự phòng');
      c.transport.close();
    } finally {
      await standby.close();
    }
  });
});
