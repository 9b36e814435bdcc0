/**
 * Accounts and sign-in against a real core (its SQLite wall database, the contract over a port
 * pair): the attacks first — a replayed TOTP code, brute force, an expired or signed-out session,
 * a session from before a restart, a commune-scoped person acting outside their communes — then the
 * first run and the administrator's account management.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generateSync } from 'otplib';
import { startCore, type Core } from '../../electron/node/core.js';
import { firstRun } from '../../electron/node/accounts/first-run.js';
import { LOCKOUT } from '../../electron/node/accounts/auth-service.js';
import { demoPresetsDir, demoWallFile, tempDir } from '../support/fixtures.js';
import { connectInMemory, nextEvent, rejectsWith, type Connection } from '../support/harness.js';
import { createAccount, helloAsConsole, totpNow, type TestAccount } from '../support/accounts.js';

const IDLE_MS = 60_000;
const ABSOLUTE_MS = 3_600_000;

describe('accounts and sign-in', () => {
  const dataDir = tempDir();
  let now = Date.now();
  let core: Core;
  const open: Connection[] = [];
  const start = () => startCore({ wallFile: demoWallFile, presetsDir: demoPresetsDir, dataDir, host: 'chromium', auth: { clock: () => now, idleMs: IDLE_MS, absoluteMs: ABSOLUTE_MS } });
  /** The sign-in and account events in the host's audit log (the subject is the entry's target). */
  const audit = () => core.audit.list({ action: 'a', limit: 200 }).entries.map((e) => ({ action: e.action, actor: e.actor, subject: e.target }));
  const connect = () => {
    const connection = connectInMemory(core);
    open.push(connection);
    return connection;
  };
  const consoleConnection = async () => {
    const c = connect();
    await c.client.call('session.hello', { window: 'console' });
    return c;
  };
  let administrator: TestAccount;
  let operator: TestAccount;

  before(async () => {
    core = await start();
    administrator = await createAccount(dataDir, 'administrator');
    operator = await createAccount(dataDir, 'operator');
  });
  after(async () => {
    open.forEach((c) => c.transport.close());
    await core.close();
  });

  it('signs a console in only with the right password, and refuses every other method signed out (unauthenticated)', async () => {
    const c = await consoleConnection();
    await rejectsWith(c.client.call('wall.execute', { command: { type: 'apply-preset', name: 'overview' } }), 'unauthenticated', 'method');
    await rejectsWith(c.client.call('auth.signIn', { username: operator.username, password: 'sai mật khẩu rồi' }), 'forbidden');
    await rejectsWith(c.client.call('auth.signIn', { username: 'khong-ai-ca', password: operator.password }), 'forbidden');
    const answer = await c.client.call('auth.signIn', { username: operator.username, password: operator.password });
    assert.equal(answer.state, 'signed-in');
    assert.equal((await c.client.call('auth.status', {})).person?.fullName, 'Nguyễn Văn An');
    const { revision } = await c.client.call('wall.execute', { command: { type: 'apply-preset', name: 'overview' } });
    // the journal records the account, not the window
    const row = core.db.prepare('SELECT actor_id, actor_role FROM command_journal WHERE revision = ?').get(revision);
    assert.deepEqual({ ...(row as object) }, { actor_id: operator.id, actor_role: 'operator' });
    assert.ok(audit().some((e) => e.action === 'auth.sign-in' && e.actor.id === operator.id));
    assert.ok(audit().some((e) => e.action === 'auth.sign-in.failed' && e.subject === operator.id));
  });

  it('refuses a replayed TOTP code, even on another connection', async () => {
    const code = totpNow(administrator.totpSecret!);
    const first = await consoleConnection();
    assert.equal((await first.client.call('auth.signIn', { username: administrator.username, password: administrator.password })).state, 'second-factor-needed');
    const signedIn = await first.client.call('auth.signIn', { username: administrator.username, password: administrator.password, code });
    assert.equal(signedIn.state, 'signed-in');
    if (signedIn.state === 'signed-in') administrator.token = signedIn.token;
    const replay = await consoleConnection();
    await rejectsWith(replay.client.call('auth.signIn', { username: administrator.username, password: administrator.password, code }), 'forbidden');
    await rejectsWith(replay.client.call('accounts.list', {}), 'unauthenticated');
  });

  it('locks an account after repeated failures, doubling the wait, and lets the right password in only once it is over', async () => {
    const target = await createAccount(dataDir, 'commander');
    const guess = async (password: string) => (await consoleConnection()).client.call('auth.signIn', { username: target.username, password });
    for (let i = 0; i < LOCKOUT.freeFailures; i++) await rejectsWith(guess(`đoán sai lần ${i}`), 'forbidden');
    await rejectsWith(guess('đoán sai lần cuối'), 'forbidden');
    // locked: even the right password is refused, without being checked
    await assert.rejects(guess(target.password), (e: Error & { code?: string }) => e.code === 'rate-limited' && /locked.*30 s/.test(e.message));
    now += LOCKOUT.firstLockMs + 1;
    await rejectsWith(guess('vẫn đoán sai'), 'forbidden');
    // the next lock is twice as long
    await assert.rejects(guess(target.password), (e: Error & { code?: string }) => e.code === 'rate-limited' && /60 s/.test(e.message));
    now += 2 * LOCKOUT.firstLockMs + 1;
    assert.equal((await guess(target.password)).state, 'signed-in');
    assert.ok(audit().some((e) => e.action === 'auth.lockout' && e.subject === target.id));
  });

  it('bounds sign-in attempts per connection', async () => {
    const c = await consoleConnection();
    const answers = await Promise.allSettled(Array.from({ length: 14 }, () => c.client.call('auth.signIn', { username: 'ai-do', password: 'x' })));
    assert.ok(answers.some((a) => a.status === 'rejected' && (a.reason as { code: string }).code === 'rate-limited'));
  });

  it('ends an idle session (auth.ended, then unauthenticated), and a signed-out token no longer signs a console in', async () => {
    const c = connect();
    await helloAsConsole(c.client, operator);
    const ended = nextEvent<{ reason: string }>((cb) => c.client.on('auth.ended', cb));
    now += IDLE_MS + 1;
    await rejectsWith(c.client.call('alerts.list', {}), 'unauthenticated');
    assert.equal((await ended).reason, 'expired');
    const again = connect();
    assert.equal((await again.client.call('session.hello', { window: 'console', credential: operator.token! })).actor, null);

    operator.token = null;
    const signedIn = connect();
    await helloAsConsole(signedIn.client, operator);
    const twin = connect();
    assert.equal((await twin.client.call('session.hello', { window: 'console', credential: operator.token! })).actor?.id, operator.id);
    const twinEnded = nextEvent<{ reason: string }>((cb) => twin.client.on('auth.ended', cb));
    await signedIn.client.call('auth.signOut', {});
    assert.equal((await twinEnded).reason, 'signed-out');
    await rejectsWith(twin.client.call('alerts.list', {}), 'unauthenticated');
    assert.equal((await connect().client.call('session.hello', { window: 'console', credential: operator.token! })).actor, null);
    operator.token = null;
  });

  it('keeps sessions across a host restart (stored hashed)', async () => {
    const c = connect();
    await helloAsConsole(c.client, operator);
    const token = operator.token!;
    assert.equal((core.db.prepare('SELECT COUNT(*) AS n FROM sessions WHERE token_hash = ?').get(token) as { n: number }).n, 0, 'the token itself is never stored');
    open.forEach((x) => x.transport.close());
    open.length = 0;
    await core.close();
    core = await start();
    const hello = await connect().client.call('session.hello', { window: 'console', credential: token });
    assert.equal(hello.actor?.id, operator.id);
    assert.equal(hello.actor?.name, 'Nguyễn Văn An');
  });

  it('refuses a commune-scoped commander outside their communes, naming the commune', async () => {
    core.live.apply('gw-test', [
      { op: 'set', item: { type: 'sensor', id: 'rain-tb', kind: 'rain', name: 'Trạm mưa Trấn Biên', commune: 'Phường Trấn Biên', location: { lon: 106.82, lat: 10.95 }, unit: 'mm/h', thresholds: {} } },
      { op: 'set', item: { type: 'sensor', id: 'rain-lk', kind: 'rain', name: 'Trạm mưa Long Khánh', commune: 'Phường Long Khánh', location: { lon: 107.24, lat: 10.93 }, unit: 'mm/h', thresholds: {} } },
    ]);
    const commander = await createAccount(dataDir, 'commander', { scope: { kind: 'communes', communes: ['Phường Trấn Biên'] } });
    const c = connect();
    await helloAsConsole(c.client, commander);
    await assert.rejects(c.client.call('field.command', { gateway: 'gw-test', type: 'siren', target: 'rain-lk', params: {} }), (e: Error & { code?: string }) => e.code === 'forbidden' && e.message.includes('Phường Long Khánh'));
    await assert.rejects(c.client.call('field.command', { gateway: 'gw-test', type: 'siren', target: 'unknown-device', params: {} }), (e: Error & { code?: string }) => e.code === 'forbidden' && e.message.includes('not known'));
    // inside its commune it gets past the scope (this core has no gateway link)
    await rejectsWith(c.client.call('field.command', { gateway: 'gw-test', type: 'siren', target: 'rain-tb', params: {} }), 'not-found');
    await assert.rejects(c.client.call('scenarios.activate', { scenario: 'flood', incident: { lon: 107.24, lat: 10.93, commune: 'Phường Long Khánh' } }), (e: Error & { code?: string }) => e.code === 'forbidden' && e.message.includes('Phường Long Khánh'));
    await rejectsWith(c.client.call('scenarios.activate', { scenario: 'flood' }), 'forbidden');
  });

  it('enrols TOTP at an administrator’s first sign-in: secret and URI once, 10 recovery codes each usable once', async () => {
    const username = 'hoa.nguyen';
    const password = 'một mật khẩu đủ dài cho quản trị';
    const admin = connect();
    await helloAsConsole(admin.client, administrator);
    const { account } = await admin.client.call('accounts.create', { username, fullName: 'Nguyễn Thị Hoa', role: 'administrator', password });
    assert.equal(account.totpEnrolled, false);
    const c = await consoleConnection();
    await rejectsWith(c.client.call('auth.enrolTotp', {}), 'forbidden');
    assert.equal((await c.client.call('auth.signIn', { username, password })).state, 'enrolment-needed');
    await rejectsWith(c.client.call('accounts.list', {}), 'unauthenticated');
    const { secret, uri } = await c.client.call('auth.enrolTotp', {});
    assert.match(uri, /^otpauth:\/\/totp\/.*secret=/);
    await rejectsWith(c.client.call('auth.confirmTotp', { code: '000000' === generateSync({ secret }) ? '111111' : '000000' }), 'forbidden', 'code');
    const confirmed = await c.client.call('auth.confirmTotp', { code: generateSync({ secret }) });
    assert.equal(confirmed.recoveryCodes.length, 10);
    assert.equal((await c.client.call('auth.status', {})).person?.username, username);
    const stored = core.db.prepare('SELECT totp_secret FROM accounts WHERE id = ?').get(username) as { totp_secret: string };
    assert.ok(!stored.totp_secret.includes(secret), 'the secret is sealed at rest');
    assert.ok(!JSON.stringify(await admin.client.call('accounts.list', {})).includes(secret), 'and never handed out again');

    const recovery = confirmed.recoveryCodes[0]!;
    const byRecovery = await consoleConnection();
    assert.equal((await byRecovery.client.call('auth.signIn', { username, password, code: recovery })).state, 'signed-in');
    await rejectsWith((await consoleConnection()).client.call('auth.signIn', { username, password, code: recovery }), 'forbidden');
    assert.ok(audit().some((e) => e.action === 'auth.recovery-code.used' && e.subject === username));
    assert.ok(audit().some((e) => e.action === 'auth.totp.enrolled' && e.subject === username));
  });

  it('never disables or demotes the last administrator, and ends the sessions of a changed account', async () => {
    const admin = connect();
    await helloAsConsole(admin.client, administrator);
    for (const { id, role } of (await admin.client.call('accounts.list', {})).accounts) if (role === 'administrator' && id !== administrator.id) await admin.client.call('accounts.disable', { id, disabled: true });
    await rejectsWith(admin.client.call('accounts.disable', { id: administrator.id, disabled: true }), 'conflict');
    await rejectsWith(admin.client.call('accounts.update', { id: administrator.id, role: 'viewer' }), 'conflict');

    const c = connect();
    await helloAsConsole(c.client, operator);
    const ended = nextEvent<{ reason: string }>((cb) => c.client.on('auth.ended', cb));
    const { account } = await admin.client.call('accounts.update', { id: operator.id, role: 'viewer' });
    assert.equal(account.role, 'viewer');
    assert.equal((await ended).reason, 'account-changed');
    await rejectsWith(c.client.call('alerts.list', {}), 'unauthenticated');
    await rejectsWith(c.client.call('accounts.create', { username: 'x-y-z', fullName: 'X', role: 'viewer', password: 'mười hai ký tự' }), 'unauthenticated');
  });
});

describe('first run', () => {
  it('creates the demo administrator once, printing its random password once; a real host gets a setup code instead', async () => {
    const demoDir = tempDir();
    const lines: string[] = [];
    let core = await startCore({ wallFile: demoWallFile, presetsDir: demoPresetsDir, dataDir: demoDir, host: 'chromium' });
    await firstRun(core.auth, { demo: true, print: (l) => lines.push(l) });
    await core.close();
    core = await startCore({ wallFile: demoWallFile, presetsDir: demoPresetsDir, dataDir: demoDir, host: 'chromium' });
    await firstRun(core.auth, { demo: true, print: (l) => lines.push(l) });
    assert.equal(lines.length, 1, 'printed once, at the first start only');
    const password = /password: (\S+)/.exec(lines[0]!)![1]!;
    assert.ok(password.length >= 16);
    const c = connectInMemory(core);
    await c.client.call('session.hello', { window: 'console' });
    assert.equal((await c.client.call('auth.signIn', { username: 'quantri', password })).state, 'enrolment-needed');
    c.transport.close();
    await core.close();

    const realDir = tempDir();
    const real = await startCore({ wallFile: demoWallFile, presetsDir: demoPresetsDir, dataDir: realDir, host: 'chromium' });
    const printed: string[] = [];
    await firstRun(real.auth, { demo: false, print: (l) => printed.push(l) });
    const setupCode = /setup code: (\S+)/.exec(printed[0]!)![1]!;
    const s = connectInMemory(real);
    await s.client.call('session.hello', { window: 'console' });
    assert.equal((await s.client.call('auth.status', {})).setupNeeded, true);
    const first = { username: 'hoa.nguyen', fullName: 'Nguyễn Thị Hoa', password: 'mật khẩu quản trị đầu tiên' };
    await rejectsWith(s.client.call('auth.setup', { ...first, setupCode: 'sai-ma' }), 'forbidden', 'setupCode');
    await s.client.call('auth.setup', { ...first, setupCode });
    await rejectsWith(s.client.call('auth.setup', { ...first, username: 'ke-gian', setupCode }), 'conflict');
    assert.equal((await s.client.call('auth.status', {})).setupNeeded, false);
    assert.equal((await s.client.call('auth.signIn', { username: 'hoa.nguyen', password: first.password })).state, 'enrolment-needed');
    s.transport.close();
    await real.close();
  });
});
