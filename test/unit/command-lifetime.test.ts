/**
 * Field commands' lifetime, over REAL ZeroMQ (CURVE) against the simulated gateway and a real
 * SQLite outbox: a command past its time-to-live is never sent (a siren must not sound when its
 * gateway comes back an hour later), an offline gateway's backlog costs the retry sweep nothing,
 * and a gateway's outbox is bounded. The clock is injected; sweeps are run by the test.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import Database from 'better-sqlite3-multiple-ciphers';
import * as zmq from 'zeromq';
import { ContractError } from '../../native-bridge/contract.js';
import type { FieldCommand } from '../../native-bridge/gateway-protocol.js';
import { SqliteCommandOutbox, type CommandAck, type CommandOutbox, type ExpiredCommand } from '../../electron/node/gateway/command-outbox.js';
import { DEFAULT_COMMAND_TTL_MS, withDeadline } from '../../electron/node/gateway/command-ttl.js';
import { expiryAlerts } from '../../electron/node/field/command-expiry-alerts.js';
import { COMMANDS_PER_SWEEP, GatewayHub } from '../../electron/node/gateway/gateway-hub.js';
import { loadOrCreateKeyPair } from '../../electron/node/gateway/keys.js';
import { SimGateway } from '../../sim/gateway.js';
import { tempDir } from '../support/fixtures.js';

const dir = tempDir('ioc-wall-command-lifetime-');
const hostKeys = loadOrCreateKeyPair(join(dir, 'keys', 'host.json'));
const keys = { 'gw-a': zmq.curveKeyPair(), 'gw-b': zmq.curveKeyPair() };
const gateways = [
  { id: 'gw-a', name: 'Trạm A', publicKey: keys['gw-a'].publicKey },
  { id: 'gw-b', name: 'Trạm B', publicKey: keys['gw-b'].publicKey },
];
const MINUTE = 60_000;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

/** The real outbox, counting the rows each of its sweep queries hands back (rows touched). */
class CountingOutbox implements CommandOutbox {
  rowsTouched = 0;
  dueCalls: string[] = [];
  constructor(private readonly inner: SqliteCommandOutbox) {}
  persist(gatewayId: string, command: FieldCommand) {
    return this.inner.persist(gatewayId, command);
  }
  markAcked(id: string, ack: CommandAck) {
    return this.inner.markAcked(id, ack);
  }
  due(gatewayId: string, now: number, limit: number) {
    this.dueCalls.push(gatewayId);
    const rows = this.inner.due(gatewayId, now, limit);
    this.rowsTouched += rows.length;
    return rows;
  }
  deferUntil(ids: readonly string[], until: number) {
    this.rowsTouched += ids.length;
    this.inner.deferUntil(ids, until);
  }
  expire(now: number, limit: number) {
    const rows = this.inner.expire(now, limit);
    this.rowsTouched += rows.length;
    return rows;
  }
  pendingCount(gatewayId: string) {
    return this.inner.pendingCount(gatewayId);
  }
  get(id: string) {
    return this.inner.get(id);
  }
  reset() {
    this.rowsTouched = 0;
    this.dueCalls = [];
  }
}

async function setup(options: { maxPendingPerGateway?: number } = {}) {
  const clock = { now: Date.now() }; // starts at the gateway's (real) time; tests move it on
  const db = new Database(join(dir, `outbox-${Math.random().toString(36).slice(2)}.sqlite`));
  db.pragma('journal_mode = WAL');
  const sqlite = new SqliteCommandOutbox(db, { clock: () => clock.now, ...options });
  const outbox = new CountingOutbox(sqlite);
  const hub = new GatewayHub({
    endpoints: { updates: 'tcp://127.0.0.1:*', control: 'tcp://127.0.0.1:*' },
    keyPair: hostKeys,
    gateways,
    outbox,
    clock: () => clock.now,
    log: () => {},
    // the test runs the sweeps; the timer's tick must not run one behind its back
    timings: { tickMs: 3_600_000 },
  });
  const expired: ExpiredCommand[] = [];
  hub.onExpired((batch) => {
    for (const entry of batch) expired.push(entry);
  });
  cleanups.push(async () => {
    await hub.close();
    db.close();
  });
  const endpoints = await hub.start();
  return { clock, db, outbox, hub, endpoints, expired };
}

function gateway(id: 'gw-a' | 'gw-b', endpoints: { updates: string; control: string }) {
  const sim = new SimGateway({ id, name: id, endpoints, hostPublicKey: hostKeys.publicKey, keyPair: keys[id], helloRepeatMs: 200 });
  cleanups.push(() => sim.stop());
  return sim;
}

let serial = 0;
function command(type: FieldCommand['type'], issuedAt: number, target = 'coi-buu-long'): FieldCommand {
  return { id: `cmd-${String(++serial).padStart(8, '0')}`, type, target, params: { durationS: 300 }, issuedAt, issuedBy: 'truc-ban-01' };
}

async function waitFor(predicate: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const live = (hub: GatewayHub, id: string) => hub.links().find((l) => l.gateway === id)?.state === 'live';

describe('field commands: time-to-live', () => {
  it('a siren for an offline gateway expires after its TTL and is never sent when the gateway comes back', async () => {
    const { clock, outbox, hub, endpoints, expired } = await setup();
    const siren = command('siren', clock.now);
    const outcome = hub.sendCommand('gw-a', siren).then(
      () => 'acked',
      (error: Error) => error.message,
    );
    const stored = outbox.get(siren.id)!;
    assert.equal(stored.state, 'pending');
    assert.equal(stored.command.params.expiresAt, siren.issuedAt + DEFAULT_COMMAND_TTL_MS.siren, 'the deadline travels with the command');

    clock.now += DEFAULT_COMMAND_TTL_MS.siren - 1;
    assert.deepEqual(hub.sweepCommands(), { expired: 0, sent: 0 }, 'still within its TTL');
    clock.now += 1;
    assert.equal(hub.sweepCommands().expired, 1);
    assert.equal(outbox.get(siren.id)?.state, 'expired');
    assert.equal(outbox.get(siren.id)?.expiredAt, clock.now);
    assert.deepEqual(
      expired.map((e) => [e.gatewayId, e.command.id]),
      [['gw-a', siren.id]],
    );
    assert.match(await outcome, /expired/);

    // The gateway comes back: sweeps run, the siren stays silent.
    const sim = gateway('gw-a', endpoints);
    await sim.start();
    await waitFor(() => live(hub, 'gw-a'), 'gw-a live');
    for (let i = 0; i < 3; i++) hub.sweepCommands();
    // a sleep, not a wait: the siren staying silent is nothing happening
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(sim.stats.commands, 0, 'nothing was sent to the gateway');
    assert.equal(sim.effects.size, 0);
    // Sending it again by id does not revive it.
    await assert.rejects(hub.sendCommand('gw-a', siren), /expired/);
    assert.equal(expired.length, 1, 'one expiry, told once');
  });

  it('a command acknowledged in time never expires', async () => {
    const { clock, outbox, hub, endpoints, expired } = await setup();
    const sim = gateway('gw-a', endpoints);
    await sim.start();
    await waitFor(() => live(hub, 'gw-a'), 'gw-a live');
    const warning = command('resident-warning', clock.now);
    const ack = await hub.sendCommand('gw-a', warning);
    assert.equal(ack.status, 'done');
    clock.now += DEFAULT_COMMAND_TTL_MS['resident-warning'] * 10;
    assert.equal(hub.sweepCommands().expired, 0);
    assert.equal(outbox.get(warning.id)?.state, 'acked');
    assert.deepEqual(expired, []);
    assert.equal(sim.effects.get(warning.id), 1);
  });

  it('a gateway whose clock is past the deadline drops a late command and says so (the deadline travels with it)', async () => {
    const { clock, outbox, hub, endpoints } = await setup();
    const sim = gateway('gw-a', endpoints);
    await sim.start();
    await waitFor(() => live(hub, 'gw-a'), 'gw-a live');
    // The host's clock is 10 minutes behind the gateway's: to the host the siren is fresh, to the gateway late.
    clock.now -= 10 * MINUTE;
    const siren = command('siren', clock.now);
    const ack = await hub.sendCommand('gw-a', siren);
    assert.equal(ack.status, 'rejected');
    assert.match(ack.detail ?? '', /expired/);
    assert.equal(sim.effects.get(siren.id), undefined, 'no siren');
    assert.equal(outbox.get(siren.id)?.state, 'acked');
  });

  it('refuses a command whose caller set its own deadline, or that is already past it', async () => {
    const { clock, hub } = await setup();
    const forged = { ...command('siren', clock.now), params: { expiresAt: clock.now + 365 * 24 * 60 * MINUTE } };
    await assert.rejects(hub.sendCommand('gw-a', forged), (error: ContractError) => error.code === 'invalid' && /expiresAt is set by the host/.test(error.message));
    const stale = command('siren', clock.now - DEFAULT_COMMAND_TTL_MS.siren - 1);
    await assert.rejects(hub.sendCommand('gw-a', stale), /already past its deadline/);
  });
});

describe('field commands: the retry sweep is bounded', () => {
  it('7,260 pending commands for an offline gateway: a sweep touches at most K rows and skips that gateway', async () => {
    const { clock, db, outbox, hub, endpoints } = await setup({ maxPendingPerGateway: 10_000 });
    // gw-b is offline with a large backlog (one transaction: this is setup, not the point)
    db.transaction(() => {
      for (let i = 0; i < 7260; i++) void hub.sendCommand('gw-b', command('traffic-signal-plan', clock.now, `nut-${i}`)).catch(() => {});
    })();
    assert.equal(outbox.pendingCount('gw-b'), 7260);
    // gw-a is live with a few of its own.
    const sim = gateway('gw-a', endpoints);
    await sim.start();
    await waitFor(() => live(hub, 'gw-a'), 'gw-a live');
    const mine = [command('siren', clock.now), command('siren', clock.now)];
    const acks = mine.map((c) => hub.sendCommand('gw-a', c));
    await Promise.all(acks);

    for (let sweep = 0; sweep < 5; sweep++) {
      outbox.reset();
      clock.now += 2_000;
      hub.sweepCommands();
      assert.ok(outbox.rowsTouched <= 2 * COMMANDS_PER_SWEEP, `sweep ${sweep} touched ${outbox.rowsTouched} rows`);
      assert.ok(!outbox.dueCalls.includes('gw-b'), 'the offline gateway is not even asked for');
    }
    assert.equal(sim.stats.commands, 2, 'the live gateway got its two commands once each');
  });

  it('a gateway coming back gets its backlog in order, at most K per sweep, each once', async () => {
    const { clock, outbox, hub, endpoints } = await setup();
    const backlog = Array.from({ length: 2 * COMMANDS_PER_SWEEP + 20 }, (_, i) => command('traffic-signal-plan', clock.now, `nut-${i}`));
    for (const c of backlog) void hub.sendCommand('gw-b', c).catch(() => {});
    const received: string[] = [];
    const sim = new SimGateway({
      id: 'gw-b',
      name: 'Trạm B',
      endpoints,
      hostPublicKey: hostKeys.publicKey,
      keyPair: keys['gw-b'],
      helloRepeatMs: 200,
      onCommand: (c) => {
        received.push(c.id);
        return { status: 'done' };
      },
    });
    cleanups.push(() => sim.stop());
    await sim.start();
    await waitFor(() => live(hub, 'gw-b'), 'gw-b live');
    const sent: number[] = [];
    for (let i = 0; i < 4; i++) sent.push(hub.sweepCommands().sent);
    assert.deepEqual(sent, [COMMANDS_PER_SWEEP, COMMANDS_PER_SWEEP, 20, 0]);
    await waitFor(() => outbox.pendingCount('gw-b') === 0, 'every command acked');
    assert.deepEqual(received, backlog.map((c) => c.id), 'in the order they were issued, each once');
  });

  it('refuses new commands for a gateway whose outbox is full, naming it; others still go', async () => {
    const { clock, hub, outbox } = await setup({ maxPendingPerGateway: 3 });
    for (let i = 0; i < 3; i++) void hub.sendCommand('gw-b', command('siren', clock.now)).catch(() => {});
    await assert.rejects(
      hub.sendCommand('gw-b', command('siren', clock.now)),
      (error: ContractError) => error.code === 'conflict' && error.message.includes('"gw-b"') && error.message.includes('3 commands waiting'),
    );
    assert.equal(outbox.pendingCount('gw-b'), 3);
    void hub.sendCommand('gw-a', command('siren', clock.now)).catch(() => {});
    assert.equal(outbox.pendingCount('gw-a'), 1);
  });
});

describe('field commands: the operator is told what expired', () => {
  it('one alert per gateway, command type and target commune in a sweep, by name, however many expired', () => {
    const at = Date.UTC(2026, 0, 15, 8, 0);
    const expired = (gatewayId: string, type: FieldCommand['type'], target: string): ExpiredCommand => ({
      gatewayId,
      command: withDeadline(command(type, at, target), DEFAULT_COMMAND_TTL_MS),
      expiredAt: at + DEFAULT_COMMAND_TTL_MS[type],
    });
    const batch = [
      ...Array.from({ length: 7 }, (_, i) => expired('gw-a', 'traffic-signal-plan', `nut-${i}`)),
      expired('gw-a', 'siren', 'coi-1'),
      expired('gw-a', 'siren', 'coi-1'),
      expired('gw-b', 'resident-warning', 'phuong-1'),
    ];
    const names = { gateway: (id: string) => ({ 'gw-a': 'Trạm A', 'gw-b': 'Trạm B' })[id] ?? id, target: (id: string) => (id === 'coi-1' ? 'Còi chợ Tân Hiệp' : id), commune: () => null };
    assert.deepEqual(
      expiryAlerts(batch, names).map((a) => [a.gatewayId, a.title.vi, a.title.en]),
      [
        ['gw-a', '7 lệnh đổi phương án đèn tín hiệu tới nut-0, nut-1, nut-2 và 4 nơi khác qua Trạm A không được gửi: quá hạn 30 phút', '7 × traffic signal plan to nut-0, nut-1, nut-2 and 4 more via Trạm A not delivered: expired after 30 minutes'],
        ['gw-a', '2 lệnh hú còi tới Còi chợ Tân Hiệp qua Trạm A không được gửi: quá hạn 5 phút', '2 × siren command to Còi chợ Tân Hiệp via Trạm A not delivered: expired after 5 minutes'],
        ['gw-b', 'Lệnh cảnh báo người dân tới phuong-1 qua Trạm B không được gửi: quá hạn 5 phút', 'Resident warning to phuong-1 via Trạm B not delivered: expired after 5 minutes'],
      ],
    );
    // targets in two communes: one alert each, in its commune, so no commune reads the other's targets
    const byCommune = { ...names, commune: (id: string) => (Number(id.slice(4)) < 3 ? 'Phường A' : 'Xã B') };
    assert.deepEqual(
      expiryAlerts(batch.slice(0, 7), byCommune).map((a) => [a.commune, a.title.en]),
      [
        ['Phường A', '3 × traffic signal plan to nut-0, nut-1, nut-2 via Trạm A not delivered: expired after 30 minutes'],
        ['Xã B', '4 × traffic signal plan to nut-3, nut-4, nut-5 and 1 more via Trạm A not delivered: expired after 30 minutes'],
      ],
    );
  });
});

describe('field commands: an outbox from before deadlines existed', () => {
  it('is migrated: acked rows stay acked, pending ones get their type’s TTL from when they were stored', () => {
    const db = new Database(join(dir, 'legacy.sqlite'));
    cleanups.push(() => {
      db.close();
    });
    db.exec(`
      CREATE TABLE field_commands (id TEXT PRIMARY KEY, gateway_id TEXT NOT NULL, command TEXT NOT NULL, created_at INTEGER NOT NULL, acked_at INTEGER, ack TEXT);
      CREATE INDEX field_commands_pending ON field_commands(created_at) WHERE acked_at IS NULL;
    `);
    const old = { ...command('siren', 1000), params: {} };
    const done = { ...command('siren', 1000), params: {} };
    db.prepare('INSERT INTO field_commands (id, gateway_id, command, created_at) VALUES (?, ?, ?, ?)').run(old.id, 'gw-a', JSON.stringify(old), 1000);
    db.prepare('INSERT INTO field_commands (id, gateway_id, command, created_at, acked_at, ack) VALUES (?, ?, ?, ?, ?, ?)').run(done.id, 'gw-a', JSON.stringify(done), 1000, 2000, JSON.stringify({ v: 1, gw: 'gw-a', epoch: 'e', id: done.id, status: 'done', at: 2000 }));
    const outbox = new SqliteCommandOutbox(db, { clock: () => 1000 + DEFAULT_COMMAND_TTL_MS.siren });
    assert.equal(outbox.get(done.id)?.state, 'acked');
    assert.equal(outbox.get(old.id)?.state, 'pending');
    assert.deepEqual(outbox.due('gw-a', 1000 + DEFAULT_COMMAND_TTL_MS.siren - 1, 10).map((c) => c.id), [old.id]);
    assert.deepEqual(outbox.expire(1000 + DEFAULT_COMMAND_TTL_MS.siren, 10).map((e) => e.command.id), [old.id]);
  });
});
