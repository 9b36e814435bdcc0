/**
 * The audit log through the contract, against a real core (its SQLite wall database) with real
 * accounts signed in: what sign-in, a wall command and a refused GIS import leave in the log, the
 * filters (person, action, time) and paging, the CSV export (a typed username cannot become a
 * spreadsheet formula), who may read and verify it, and a broken chain found at start: a critical
 * alert, the host still serving.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startCore, type Core } from '../../electron/node/core.js';
import { demoPresetsDir, demoWallFile, tempDir } from '../support/fixtures.js';
import { connectInMemory, rejectsWith, type Connection } from '../support/harness.js';
import { createAccount, helloAsConsole, helloAsDisplay, wallDatabaseIn, type TestAccount } from '../support/accounts.js';
import { openHostFile } from '../support/storage.js';

describe('audit log over the contract', () => {
  const dataDir = tempDir();
  let core: Core;
  const open: Connection[] = [];
  const start = () => startCore({ wallFile: demoWallFile, presetsDir: demoPresetsDir, dataDir, host: 'chromium' });
  const signedIn = async (account: TestAccount) => {
    const connection = connectInMemory(core);
    open.push(connection);
    await helloAsConsole(connection.client, account);
    return connection.client;
  };
  let administrator: TestAccount;
  let operator: TestAccount;
  let technician: TestAccount;
  let viewer: TestAccount;
  let commandAt = 0;

  before(async () => {
    core = await start();
    administrator = await createAccount(dataDir, 'administrator');
    operator = await createAccount(dataDir, 'operator');
    technician = await createAccount(dataDir, 'technician');
    viewer = await createAccount(dataDir, 'viewer');
    const anonymous = connectInMemory(core);
    open.push(anonymous);
    await anonymous.client.call('session.hello', { window: 'console' });
    await rejectsWith(anonymous.client.call('auth.signIn', { username: operator.username, password: 'không đúng mật khẩu' }), 'forbidden');
    await rejectsWith(anonymous.client.call('auth.signIn', { username: '=HYPERLINK("http://x")', password: 'không đúng mật khẩu' }), 'forbidden');
    const asOperator = await signedIn(operator);
    commandAt = Date.now();
    await asOperator.call('wall.execute', { command: { type: 'apply-preset', name: 'overview' } });
    const asTechnician = await signedIn(technician);
    // GIS is not running in a bare core: the import fails, and the attempt is recorded all the same
    await assert.rejects(asTechnician.call('gis.import', { file: '/tmp/ranh-gioi-xa.geojson', dataset: 'communes' }));
  });
  after(async () => {
    open.forEach((c) => c.transport.close());
    await core.close();
  });

  it('records sign-ins, failures, wall commands and GIS imports, with the person and their name', async () => {
    const admin = await signedIn(administrator);
    const { entries } = await admin.call('audit.list', { limit: 200 });
    const signIn = entries.find((e) => e.action === 'auth.sign-in' && e.actor.id === operator.id);
    assert.deepEqual(signIn?.actor, { kind: 'account', id: operator.id, name: 'Nguyễn Văn An', role: 'operator' });
    const failed = entries.find((e) => e.action === 'auth.sign-in.failed' && e.target === operator.id);
    assert.equal(failed?.actor.kind, 'window');
    assert.equal(failed?.details?.reason, 'wrong-password');
    const command = entries.find((e) => e.action === 'wall.command');
    assert.equal(command?.actor.name, 'Nguyễn Văn An');
    assert.equal(command?.target, 'overview');
    assert.match(String(command?.details?.journalHash), /^[0-9a-f]{64}$/);
    const gis = entries.find((e) => e.action === 'gis.import.failed');
    assert.equal(gis?.actor.id, technician.id);
    assert.equal(gis?.target, 'communes');
    // newest first, and every entry chained
    assert.ok(entries.every((e, i) => i === 0 || e.seq < entries[i - 1]!.seq));
    assert.equal(entries.at(-1)?.action, 'audit.started');
  });

  it('filters by person (as actor or target), by action prefix and by time, and pages', async () => {
    const admin = await signedIn(administrator);
    const byPerson = (await admin.call('audit.list', { person: operator.id, limit: 200 })).entries;
    assert.ok(byPerson.length >= 3);
    assert.ok(byPerson.every((e) => e.actor.id === operator.id || e.target === operator.id));
    assert.ok(byPerson.some((e) => e.action === 'auth.sign-in.failed') && byPerson.some((e) => e.action === 'wall.command'));
    const walls = (await admin.call('audit.list', { action: 'wall.', limit: 200 })).entries;
    assert.ok(walls.length >= 1 && walls.every((e) => e.action === 'wall.command'));
    // a prefix is a prefix: its LIKE wildcards are taken literally
    assert.equal((await admin.call('audit.list', { action: '%', limit: 200 })).entries.length, 0);
    const later = (await admin.call('audit.list', { from: commandAt, limit: 200 })).entries;
    assert.ok(later.every((e) => e.at >= commandAt));
    assert.ok(!later.some((e) => e.action === 'audit.started'));
    const earlier = (await admin.call('audit.list', { to: commandAt - 1, limit: 200 })).entries;
    assert.ok(earlier.every((e) => e.at < commandAt) && earlier.some((e) => e.action === 'audit.started'));
    const pageOne = await admin.call('audit.list', { limit: 2 });
    assert.equal(pageOne.entries.length, 2);
    assert.ok(pageOne.next !== null);
    const pageTwo = await admin.call('audit.list', { limit: 2, before: pageOne.next });
    assert.ok(pageTwo.entries.every((e) => e.seq < pageOne.next!));
    await rejectsWith(admin.call('audit.list', { limit: 10_000 }), 'invalid', 'limit');
  });

  it('exports CSV pages; text a spreadsheet would run as a formula is quoted inert', async () => {
    const admin = await signedIn(administrator);
    const page = await admin.call('audit.export', {});
    assert.equal(page.next, null);
    assert.match(page.fileName, /^nhat-ky-kiem-toan-demo-.*\.csv$/);
    const lines = page.csv.trim().split('\r\n');
    assert.equal(lines[0], 'seq,time,actor_kind,actor_id,actor_name,actor_role,action,target,details,hash');
    assert.equal(lines.length, page.rows + 1);
    assert.ok(page.csv.includes(`"'=HYPERLINK(""http://x"")"`), 'the typed username starts with a quote');
    assert.ok(!/(^|,)=HYPERLINK/m.test(page.csv));
    assert.ok(page.csv.includes('Nguyễn Văn An'));
  });

  it('lets administrators read and export, technicians only verify, others nothing', async () => {
    const asOperator = await signedIn(operator);
    await rejectsWith(asOperator.call('audit.list', {}), 'forbidden');
    await rejectsWith(asOperator.call('audit.verify', {}), 'forbidden');
    const asViewer = await signedIn(viewer);
    await rejectsWith(asViewer.call('audit.export', {}), 'forbidden');
    const asTechnician = await signedIn(technician);
    await rejectsWith(asTechnician.call('audit.list', {}), 'forbidden');
    await rejectsWith(asTechnician.call('audit.export', {}), 'forbidden');
    const report = await asTechnician.call('audit.verify', {});
    assert.equal(report.ok, true, JSON.stringify(report.problems));
    assert.ok(report.entries > 5);
    const display = connectInMemory(core);
    open.push(display);
    await helloAsDisplay(display.client, dataDir, 'r0c0');
    await rejectsWith(display.client.call('audit.list', {}), 'forbidden');
  });

  it('raises a critical alert at start when the chain was tampered with, and keeps serving', async () => {
    open.splice(0).forEach((c) => c.transport.close());
    await core.close();
    const raw = openHostFile(wallDatabaseIn(dataDir));
    const victim = raw.prepare("SELECT seq FROM audit_log WHERE action = 'auth.sign-in.failed' ORDER BY seq LIMIT 1").pluck().get() as number;
    raw.exec(`DROP TRIGGER audit_log_no_update; UPDATE audit_log SET target = 'ai-do-khac' WHERE seq = ${victim};
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;`);
    raw.close();
    core = await start();
    const report = await core.audit.startCheck;
    assert.equal(report?.problems[0]?.seq, victim);
    const alert = core.alerts.list().find((a) => a.source === 'audit');
    assert.equal(alert?.severity, 'critical');
    assert.match(alert!.title.vi, new RegExp(`Nhật ký kiểm toán đã bị can thiệp: một mục bị sửa tại mục #${victim}`));
    const asOperator = await signedIn(operator);
    assert.ok((await asOperator.call('wall.execute', { command: { type: 'apply-preset', name: 'overview' } })).revision > 1, 'the host still takes commands');
    const verified = await (await signedIn(administrator)).call('audit.verify', {});
    assert.equal(verified.ok, false);
    assert.equal(verified.problems[0]?.kind, 'edited');
    assert.equal(verified.problems[0]?.seq, victim);
    assert.ok((await (await signedIn(administrator)).call('audit.list', { action: 'audit.broken' })).entries.length === 1);
  });
});
