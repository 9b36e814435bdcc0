/**
 * The field-command outbox on its own, on real SQLite files (and the real audit chain of a wall
 * database): what a command's deadline, a retry time, an ack and an expiry do to each query the
 * gateway hub makes, where exactly each boundary lies, what the audit log hears, and how an outbox
 * written before deadlines existed is brought up to date. No sockets: the hub's use of these over
 * ZeroMQ is command-lifetime.test.ts and gateway-hub.test.ts.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3-multiple-ciphers';
import { ContractError } from '../../native-bridge/contract.js';
import type { FieldCommand } from '../../native-bridge/gateway-protocol.js';
import { AuditLog } from '../../electron/node/audit/audit-log.js';
import { listAudit } from '../../electron/node/audit/audit-query.js';
import { openDatabase } from '../../electron/node/database.js';
import { DEFAULT_MAX_PENDING_PER_GATEWAY, SqliteCommandOutbox, type CommandAck } from '../../electron/node/gateway/command-outbox.js';
import { callerParams, commandTtls, DEFAULT_COMMAND_TTL_MS, MAX_COMMAND_TTL_MS, withDeadline, type CommandTtls } from '../../electron/node/gateway/command-ttl.js';
import { tempDir } from '../support/fixtures.js';
import { keyBeside } from '../support/storage.js';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 5, 1, 7, 0);
/** Short, distinct TTLs so a deadline taken from the wrong type shows. */
const TTLS: CommandTtls = { siren: 1_000, 'resident-warning': 2_000, 'traffic-signal-plan': 3_000 };

let serial = 0;
function command(type: FieldCommand['type'] = 'siren', issuedAt = T0, target = 'coi-cho-tan-hiep'): FieldCommand {
  return { id: `cmd-${String(++serial).padStart(8, '0')}`, type, target, params: { durationS: 60 }, issuedAt, issuedBy: 'truc-ban-01' };
}

const ack = (id: string, status: CommandAck['status'] = 'done', at = T0): CommandAck => ({ v: 1, gw: 'gw-a', epoch: 'e1', id, status, at });

function open(options: { maxPendingPerGateway?: number; ttls?: CommandTtls } = {}) {
  const clock = { now: T0 };
  const db = new Database(join(tempDir('ioc-wall-outbox-'), 'outbox.sqlite'));
  const outbox = new SqliteCommandOutbox(db, { clock: () => clock.now, ttls: TTLS, ...options });
  return { clock, db, outbox };
}

function refusal(fn: () => unknown): ContractError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof ContractError, `a ContractError, not ${String(error)}`);
    return error;
  }
  return assert.fail('expected a refusal');
}

const ids = (commands: readonly FieldCommand[]) => commands.map((c) => c.id);

describe('command outbox: persisting', () => {
  it('stores the command with its type’s deadline, pending, and returns it as it is sent', () => {
    const { outbox, db } = open();
    const plan = command('traffic-signal-plan');
    const sent = outbox.persist('gw-a', plan);
    assert.deepEqual(sent, { ...plan, params: { durationS: 60, expiresAt: T0 + 3_000 } });
    assert.deepEqual(outbox.get(plan.id), { gatewayId: 'gw-a', command: sent, state: 'pending', ack: null, expiredAt: null });
    assert.equal(outbox.get('cmd-unknown'), undefined);
    assert.equal(outbox.pendingCount('gw-a'), 1);
    assert.equal(outbox.pendingCount('gw-b'), 0);
    db.close();
  });

  it('takes the default TTLs when none are given', () => {
    const db = new Database(join(tempDir('ioc-wall-outbox-'), 'outbox.sqlite'));
    const outbox = new SqliteCommandOutbox(db, { clock: () => T0 });
    const warning = command('resident-warning');
    assert.equal(outbox.persist('gw-a', warning).params.expiresAt, T0 + DEFAULT_COMMAND_TTL_MS['resident-warning']);
    db.close();
  });

  it('persisting the same command again is a no-op; the same id with other content or another gateway is refused', () => {
    const { outbox, db } = open();
    const siren = command();
    const first = outbox.persist('gw-a', siren);
    assert.deepEqual(outbox.persist('gw-a', siren), first);
    assert.equal(outbox.pendingCount('gw-a'), 1);
    const changed = refusal(() => outbox.persist('gw-a', { ...siren, target: 'coi-khac' }));
    assert.equal(changed.code, 'invalid');
    assert.equal(changed.field, 'id', 'the console marks the id as the wrong field');
    assert.match(changed.message, new RegExp(`"${siren.id}" is already used by a different command`));
    assert.equal(refusal(() => outbox.persist('gw-b', siren)).code, 'invalid', 'the same command for another gateway');
    assert.equal(outbox.pendingCount('gw-b'), 0);
    assert.deepEqual(outbox.get(siren.id)?.command, first, 'the stored command is untouched');
    // once acknowledged, the same command again is still the same command, not a new one to send
    outbox.markAcked(siren.id, ack(siren.id));
    assert.deepEqual(outbox.persist('gw-a', siren), first);
    assert.equal(outbox.get(siren.id)?.state, 'acked');
    db.close();
  });

  it('refuses a deadline the caller set, but takes one equal to the host’s', () => {
    const { outbox, db } = open();
    const forged = { ...command(), params: { expiresAt: T0 + 365 * 24 * 60 * MINUTE } };
    const error = refusal(() => outbox.persist('gw-a', forged));
    assert.equal(error.code, 'invalid');
    assert.equal(error.field, 'params');
    assert.match(error.message, /params\.expiresAt is set by the host/);
    assert.equal(outbox.get(forged.id), undefined);
    const same = { ...command(), params: { expiresAt: T0 + TTLS.siren } };
    assert.equal(outbox.persist('gw-a', same).params.expiresAt, T0 + TTLS.siren);
    db.close();
  });

  it('refuses a command at or past its deadline, naming it; one a millisecond before is stored', () => {
    const { clock, outbox, db } = open();
    clock.now = T0 + TTLS.siren;
    const late = command('siren', T0, 'coi-1');
    const error = refusal(() => outbox.persist('gw-a', late));
    assert.equal(error.code, 'invalid');
    assert.equal(error.field, 'issuedAt');
    assert.equal(error.message, `field command ${late.id} (siren → coi-1) was issued at ${new Date(T0).toISOString()}: already past its deadline, not sent`);
    assert.equal(outbox.get(late.id), undefined);
    clock.now = T0 + TTLS.siren - 1;
    outbox.persist('gw-a', late);
    assert.equal(outbox.get(late.id)?.state, 'pending');
    db.close();
  });

  it('refuses a command for a gateway with maxPendingPerGateway waiting; acked ones and other gateways’ do not count', () => {
    const { outbox, db } = open({ maxPendingPerGateway: 2 });
    const [a, b, c] = [command(), command(), command()];
    outbox.persist('gw-a', a);
    outbox.persist('gw-a', b);
    outbox.persist('gw-b', command());
    const full = refusal(() => outbox.persist('gw-a', c));
    assert.equal(full.code, 'conflict');
    assert.equal(full.field, 'gateway');
    assert.equal(full.message, `gateway "gw-a" already has 2 commands waiting for delivery (at most 2): command siren → coi-cho-tan-hiep refused`);
    assert.equal(outbox.get(c.id), undefined);
    outbox.markAcked(a.id, ack(a.id));
    outbox.persist('gw-a', c);
    assert.equal(outbox.pendingCount('gw-a'), 2);
    db.close();
  });

  it('holds 1000 commands per gateway by default', () => {
    assert.equal(DEFAULT_MAX_PENDING_PER_GATEWAY, 1000);
    const db = new Database(join(tempDir('ioc-wall-outbox-'), 'outbox.sqlite'));
    const outbox = new SqliteCommandOutbox(db, { clock: () => T0, ttls: TTLS });
    db.transaction(() => {
      for (let i = 0; i < 1000; i++) outbox.persist('gw-a', command());
    })();
    assert.equal(refusal(() => outbox.persist('gw-a', command())).code, 'conflict');
    db.close();
  });
});

describe('command outbox: what is due, deferred and expired', () => {
  it('hands out one gateway’s pending commands, oldest due first, at most `limit`', () => {
    const { outbox, db } = open();
    const mine = [command(), command(), command()];
    for (const c of mine) outbox.persist('gw-a', c);
    outbox.persist('gw-b', command());
    assert.deepEqual(ids(outbox.due('gw-a', T0, 10)), ids(mine));
    assert.deepEqual(ids(outbox.due('gw-a', T0, 2)), ids(mine.slice(0, 2)));
    assert.deepEqual(outbox.due('gw-a', T0, 10)[0], { ...mine[0], params: { durationS: 60, expiresAt: T0 + TTLS.siren } }, 'as sent, with its deadline');
    assert.deepEqual(outbox.due('gw-c', T0, 10), []);
    db.close();
  });

  it('a deferred command is due again at its retry time, not before, and then after those never deferred', () => {
    const { outbox, db } = open();
    const [a, b, c] = [command('traffic-signal-plan'), command('traffic-signal-plan'), command('traffic-signal-plan')];
    for (const x of [a, b, c]) outbox.persist('gw-a', x);
    outbox.deferUntil([a.id, b.id], T0 + 500);
    outbox.deferUntil([], T0 + 10_000);
    assert.deepEqual(ids(outbox.due('gw-a', T0 + 499, 10)), [c.id]);
    assert.deepEqual(ids(outbox.due('gw-a', T0 + 500, 10)), [c.id, a.id, b.id]);
    outbox.deferUntil([a.id], T0 + 700);
    outbox.deferUntil([b.id], T0 + 600);
    assert.deepEqual(ids(outbox.due('gw-a', T0 + 700, 10)), [c.id, b.id, a.id], 'by retry time');
    db.close();
  });

  it('an acked or expired command is never due; one at its deadline is not due either', () => {
    const { outbox, db } = open();
    const [siren, plan, other] = [command('siren'), command('traffic-signal-plan'), command('traffic-signal-plan')];
    for (const x of [siren, plan, other]) outbox.persist('gw-a', x);
    assert.equal(outbox.markAcked(plan.id, ack(plan.id)), true);
    assert.deepEqual(ids(outbox.due('gw-a', T0 + TTLS.siren - 1, 10)), [siren.id, other.id]);
    assert.deepEqual(ids(outbox.due('gw-a', T0 + TTLS.siren, 10)), [other.id], 'the siren’s deadline has come');
    outbox.expire(T0 + TTLS.siren, 10);
    // deferring it does not bring it back
    outbox.deferUntil([siren.id, plan.id], T0);
    assert.deepEqual(ids(outbox.due('gw-a', T0 + TTLS.siren - 1, 10)), [other.id]);
    db.close();
  });

  it('expires pending commands whose deadline has come, oldest deadline first, at most `limit`, each once', () => {
    const { outbox, db } = open();
    // persisted newest deadline first, so the order returned is the deadlines', not the rows'
    const plan = command('traffic-signal-plan', T0, 'nut-1');
    const warning = command('resident-warning', T0, 'phuong-1');
    const siren = command('siren', T0, 'coi-1');
    const acked = command('siren', T0, 'coi-2');
    outbox.persist('gw-b', plan);
    outbox.persist('gw-a', warning);
    outbox.persist('gw-a', siren);
    outbox.persist('gw-a', acked);
    outbox.markAcked(acked.id, ack(acked.id));
    assert.deepEqual(outbox.expire(T0 + TTLS.siren - 1, 10), [], 'nothing due yet');

    const first = outbox.expire(T0 + TTLS['traffic-signal-plan'], 2);
    assert.deepEqual(
      first.map((e) => [e.gatewayId, e.command.id, e.expiredAt]),
      [
        ['gw-a', siren.id, T0 + 3_000],
        ['gw-a', warning.id, T0 + 3_000],
      ],
    );
    assert.deepEqual(first[0]!.command, { ...siren, params: { durationS: 60, expiresAt: T0 + TTLS.siren } });
    assert.deepEqual(outbox.get(siren.id), { gatewayId: 'gw-a', command: first[0]!.command, state: 'expired', ack: null, expiredAt: T0 + 3_000 });
    assert.equal(outbox.pendingCount('gw-a'), 0);
    assert.equal(outbox.get(plan.id)?.state, 'pending', 'past the limit: left for the next sweep');

    const second = outbox.expire(T0 + 4_000, 10);
    assert.deepEqual(second.map((e) => [e.gatewayId, e.command.id, e.expiredAt]), [['gw-b', plan.id, T0 + 4_000]]);
    assert.deepEqual(outbox.expire(T0 + 5_000, 10), [], 'each expires once');
    assert.equal(outbox.get(acked.id)?.state, 'acked');
    db.close();
  });

  it('sorts what one sweep expires by deadline, whatever order the rows were written in', () => {
    const { outbox, db } = open();
    const persisted = Array.from({ length: 6 }, (_, i) => command('siren', T0 - i * 100, `coi-${i}`));
    for (const c of persisted) outbox.persist('gw-a', c);
    const expired = outbox.expire(T0 + TTLS.siren, 10);
    assert.deepEqual(expired.map((e) => e.command.target), ['coi-5', 'coi-4', 'coi-3', 'coi-2', 'coi-1', 'coi-0']);
    db.close();
  });
});

describe('command outbox: acknowledgements', () => {
  it('the first ack of a pending command wins and is kept; later ones and unknown ids are ignored', () => {
    const { outbox, db } = open();
    const siren = command();
    outbox.persist('gw-a', siren);
    const done = { ...ack(siren.id, 'rejected', T0 + 5), detail: 'thiết bị bận' };
    assert.equal(outbox.markAcked(siren.id, done), true);
    assert.deepEqual(outbox.get(siren.id)?.ack, done);
    assert.equal(outbox.get(siren.id)?.state, 'acked');
    assert.equal(outbox.markAcked(siren.id, ack(siren.id, 'done')), false);
    assert.deepEqual(outbox.get(siren.id)?.ack, done);
    assert.equal(outbox.markAcked('cmd-never-sent', ack('cmd-never-sent')), false);
    assert.equal(outbox.get('cmd-never-sent'), undefined);
    db.close();
  });

  it('an expired command’s late ack is recorded: it was sent in time, and the gateway acted on it', () => {
    const { outbox, db } = open();
    const siren = command();
    outbox.persist('gw-a', siren);
    outbox.expire(T0 + TTLS.siren, 10);
    assert.equal(outbox.markAcked(siren.id, ack(siren.id)), true);
    assert.equal(outbox.get(siren.id)?.state, 'acked');
    assert.equal(outbox.get(siren.id)?.expiredAt, T0 + TTLS.siren, 'when it expired is kept');
    db.close();
  });
});

describe('command outbox: the standby’s feed', () => {
  it('pages through in persisted order, only the pending commands, saying whether rows follow exactly at a page boundary', () => {
    const { outbox, db } = open();
    const commands = Array.from({ length: 6 }, () => command());
    commands.forEach((c, i) => outbox.persist(i % 2 ? 'gw-b' : 'gw-a', c));
    outbox.markAcked(commands[1]!.id, ack(commands[1]!.id));
    const page = outbox.pendingSince(0, 3);
    assert.deepEqual(page.entries.map((e) => [e.gatewayId, e.command.id]), [['gw-a', commands[0]!.id], ['gw-a', commands[2]!.id]], 'the acked one is skipped');
    assert.equal(page.more, true);
    const last = outbox.pendingSince(page.last, 3);
    assert.deepEqual(last.entries.map((e) => [e.gatewayId, e.command.id]), [['gw-b', commands[3]!.id], ['gw-a', commands[4]!.id], ['gw-b', commands[5]!.id]], 'the next page starts after the last row read, acked or not');
    assert.equal(last.more, false, 'exactly `limit` rows left: nothing follows');
    assert.deepEqual(outbox.pendingSince(last.last, 3), { entries: [], last: last.last, more: false });
    db.close();
  });
});

describe('command outbox: the audit log', () => {
  it('records a command persisted, its acknowledgement and an expiry once each, with what they were, in the wall database’s chain', () => {
    const file = join(tempDir('ioc-wall-outbox-audit-'), 'wall.sqlite');
    const db = openDatabase(file, keyBeside(file));
    let now = T0;
    const outbox = new SqliteCommandOutbox(db, { clock: () => now, ttls: TTLS, audit: new AuditLog(db, { key: null, clock: () => now }), maxPendingPerGateway: 2 });
    const siren = command('siren', T0, 'coi-1');
    const plan = command('traffic-signal-plan', T0, 'nut-1');
    outbox.persist('gw-a', siren);
    outbox.persist('gw-a', siren);
    outbox.persist('gw-a', plan);
    assert.throws(() => outbox.persist('gw-a', command()), ContractError); // full: refused, not recorded
    assert.throws(() => outbox.persist('gw-a', { ...siren, target: 'coi-2' }), ContractError);
    outbox.markAcked(siren.id, { ...ack(siren.id, 'rejected', T0 + 7), detail: 'mất điện' });
    outbox.markAcked(siren.id, ack(siren.id));
    now = T0 + TTLS['traffic-signal-plan'];
    outbox.expire(now, 10);
    const entries = listAudit(db, { limit: 50 }).entries.reverse().slice(1); // after audit.started
    assert.deepEqual(
      entries.map((e) => [e.action, e.actor.kind, e.actor.id, e.target, e.details]),
      [
        ['field.command', 'account', 'truc-ban-01', 'coi-1', { gateway: 'gw-a', id: siren.id, type: 'siren', params: { durationS: 60, expiresAt: T0 + TTLS.siren } }],
        ['field.command', 'account', 'truc-ban-01', 'nut-1', { gateway: 'gw-a', id: plan.id, type: 'traffic-signal-plan', params: { durationS: 60, expiresAt: T0 + TTLS['traffic-signal-plan'] } }],
        ['field.command.rejected', 'gateway', 'gw-a', 'coi-1', { id: siren.id, type: 'siren', detail: 'mất điện', gatewayAt: T0 + 7 }],
        ['field.command.expired', 'system', 'system', 'nut-1', { gateway: 'gw-a', id: plan.id, type: 'traffic-signal-plan' }],
      ],
    );
    db.close();
  });
});

describe('command outbox: an outbox from before deadlines existed', () => {
  function legacy(rows: { command: FieldCommand; createdAt: number; ackedAt?: number }[]) {
    const file = join(tempDir('ioc-wall-outbox-legacy-'), 'outbox.sqlite');
    const db = new Database(file);
    db.exec(`
      CREATE TABLE field_commands (id TEXT PRIMARY KEY, gateway_id TEXT NOT NULL, command TEXT NOT NULL, created_at INTEGER NOT NULL, acked_at INTEGER, ack TEXT);
      CREATE INDEX field_commands_pending ON field_commands(created_at) WHERE acked_at IS NULL;
    `);
    const insert = db.prepare('INSERT INTO field_commands (id, gateway_id, command, created_at, acked_at, ack) VALUES (?, ?, ?, ?, ?, ?)');
    for (const { command: c, createdAt, ackedAt } of rows) insert.run(c.id, 'gw-a', JSON.stringify(c), createdAt, ackedAt ?? null, ackedAt === undefined ? null : JSON.stringify(ack(c.id, 'done', ackedAt)));
    return { file, db };
  }
  const indexes = (db: Database.Database) => (db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'field_commands' AND sql IS NOT NULL ORDER BY name").pluck().all() as string[]);

  it('gives each pending command its own type’s TTL from when it was stored; acked ones stay acked and are never due', () => {
    const siren = { ...command('siren', 0), params: {} };
    const plan = { ...command('traffic-signal-plan', 0), params: {} };
    const warning = { ...command('resident-warning', 0), params: {} };
    const done = { ...command('siren', 0), params: {} };
    const { db } = legacy([
      { command: siren, createdAt: T0 },
      { command: plan, createdAt: T0 + 10 },
      { command: warning, createdAt: T0 + 20 },
      { command: done, createdAt: T0, ackedAt: T0 + 50 },
    ]);
    const outbox = new SqliteCommandOutbox(db, { clock: () => T0, ttls: TTLS });
    assert.deepEqual(indexes(db), ['field_commands_deadline', 'field_commands_due'], 'the old index is gone, the new ones are there');
    assert.deepEqual(outbox.get(done.id), { gatewayId: 'gw-a', command: done, state: 'acked', ack: ack(done.id, 'done', T0 + 50), expiredAt: null });
    assert.equal(outbox.get(siren.id)?.state, 'pending');
    assert.equal(outbox.pendingCount('gw-a'), 3);
    assert.deepEqual(ids(outbox.due('gw-a', T0, 10)), [siren.id, plan.id, warning.id], 'due at once (they were never deferred)');
    // each deadline: created_at + its type's TTL (siren 1 s, warning 2 s, plan 3 s)
    assert.deepEqual(outbox.expire(T0 + 999, 10), []);
    assert.deepEqual(ids(outbox.expire(T0 + 1_000, 10).map((e) => e.command)), [siren.id]);
    assert.deepEqual(ids(outbox.expire(T0 + 2_019, 10).map((e) => e.command)), []);
    assert.deepEqual(ids(outbox.expire(T0 + 2_020, 10).map((e) => e.command)), [warning.id]);
    assert.deepEqual(ids(outbox.expire(T0 + 3_010, 10).map((e) => e.command)), [plan.id]);
    db.close();
  });

  it('is migrated once: opening it again leaves the state and deadlines it has', () => {
    const siren = { ...command('siren', 0), params: {} };
    const { file, db } = legacy([{ command: siren, createdAt: T0 }]);
    const first = new SqliteCommandOutbox(db, { clock: () => T0, ttls: TTLS });
    first.expire(T0 + TTLS.siren, 10);
    db.close();
    const again = new Database(file);
    // other TTLs now: a second migration would give the expired row a new deadline and make it pending
    const second = new SqliteCommandOutbox(again, { clock: () => T0, ttls: { ...TTLS, siren: 10 * MINUTE } });
    assert.equal(second.get(siren.id)?.state, 'expired');
    assert.equal(second.get(siren.id)?.expiredAt, T0 + TTLS.siren);
    assert.deepEqual(second.due('gw-a', T0, 10), []);
    again.close();
  });

  it('a new outbox file has the table and its indexes, and opening it again keeps its commands', () => {
    const file = join(tempDir('ioc-wall-outbox-'), 'outbox.sqlite');
    const db = new Database(file);
    const siren = command();
    new SqliteCommandOutbox(db, { clock: () => T0, ttls: TTLS }).persist('gw-a', siren);
    assert.deepEqual(indexes(db), ['field_commands_deadline', 'field_commands_due']);
    db.close();
    const again = new Database(file);
    const outbox = new SqliteCommandOutbox(again, { clock: () => T0, ttls: TTLS });
    assert.equal(outbox.get(siren.id)?.state, 'pending');
    assert.deepEqual(ids(outbox.due('gw-a', T0, 10)), [siren.id]);
    again.close();
  });
});

describe('command time-to-live', () => {
  it('defaults: five minutes for a siren or a warning to residents, thirty for a signal plan; at most a day', () => {
    assert.deepEqual(DEFAULT_COMMAND_TTL_MS, { siren: 5 * MINUTE, 'resident-warning': 5 * MINUTE, 'traffic-signal-plan': 30 * MINUTE });
    assert.equal(MAX_COMMAND_TTL_MS, 86_400_000);
  });

  it('a gateways file’s overrides are seconds, per type; the others keep their defaults', () => {
    assert.deepEqual(commandTtls({ siren: 90, 'traffic-signal-plan': undefined }), { siren: 90_000, 'resident-warning': 5 * MINUTE, 'traffic-signal-plan': 30 * MINUTE });
    assert.deepEqual(commandTtls(), DEFAULT_COMMAND_TTL_MS);
    commandTtls({ siren: 1 });
    assert.equal(DEFAULT_COMMAND_TTL_MS.siren, 5 * MINUTE, 'the defaults are not changed by an override');
  });

  it('the deadline is issuedAt + the type’s TTL, and the caller’s params come back without it', () => {
    const plan = command('traffic-signal-plan', T0);
    const stamped = withDeadline(plan, TTLS);
    assert.deepEqual(stamped.params, { durationS: 60, expiresAt: T0 + 3_000 });
    assert.deepEqual(plan.params, { durationS: 60 }, 'the caller’s command is not changed');
    assert.deepEqual(withDeadline(stamped, TTLS), stamped, 'stamping twice changes nothing');
    assert.deepEqual(callerParams(stamped), { durationS: 60 });
    assert.throws(() => withDeadline({ ...plan, params: { expiresAt: T0 + 2_999 } }, TTLS), /cmd-\d+: params\.expiresAt is set by the host \(issuedAt \+ the traffic-signal-plan time-to-live\)/);
  });
});
