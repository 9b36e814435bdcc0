/**
 * The hooks where events happen, on a real wall database: a field command persisted, acknowledged
 * and expired by the outbox, a scenario run's log lines (a person's and the data's own), and an
 * event recorded while the disk is full — each lands in the chain as it should, and the chain
 * verifies.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { FieldCommand } from '../../native-bridge/gateway-protocol.js';
import { AuditLog } from '../../electron/node/audit/audit-log.js';
import { listAudit } from '../../electron/node/audit/audit-query.js';
import { verifyAuditLog } from '../../electron/node/audit/audit-verify.js';
import { openDatabase } from '../../electron/node/database.js';
import { SqliteCommandOutbox } from '../../electron/node/gateway/command-outbox.js';
import { RunStore, type RunDocument } from '../../electron/node/scenarios/run-store.js';
import { tempDir } from '../support/fixtures.js';
import { keyBeside } from '../support/storage.js';

const openWall = () => {
  const file = join(tempDir(), 'demo.sqlite');
  return openDatabase(file, keyBeside(file));
};
const actions = (db: ReturnType<typeof openWall>) => listAudit(db, { limit: 200 }).entries.reverse();

describe('audit hooks', () => {
  it('chains a field command, its acknowledgement by the gateway and an expiry, with who did each', async () => {
    const db = openWall();
    db.prepare("INSERT INTO accounts (id, username, full_name, role, scope, password_hash, created_at, changed_at) VALUES ('binh', 'binh', 'Trần Thị Bình', 'commander', '{\"kind\":\"province\"}', 'x', 0, 0)").run();
    let now = Date.now();
    const audit = new AuditLog(db, { key: null });
    const outbox = new SqliteCommandOutbox(db, { clock: () => now, audit });
    const siren = (id: string): FieldCommand => ({ id, type: 'siren', target: 'siren-bien-hoa-01', params: { mode: 'flood' }, issuedAt: now, issuedBy: 'binh' });
    outbox.persist('gw-dong-nai', siren('cmd-0000001'));
    outbox.persist('gw-dong-nai', siren('cmd-0000001')); // the same command again: no second entry
    outbox.markAcked('cmd-0000001', { v: 1, gw: 'gw-dong-nai', epoch: 'e1', id: 'cmd-0000001', status: 'done', at: now });
    outbox.markAcked('cmd-0000001', { v: 1, gw: 'gw-dong-nai', epoch: 'e1', id: 'cmd-0000001', status: 'done', at: now }); // a repeated ack: ignored
    outbox.persist('gw-dong-nai', siren('cmd-0000002'));
    now += 3_600_000;
    outbox.expire(now, 10);
    const entries = actions(db);
    assert.deepEqual(
      entries.map((e) => e.action),
      ['audit.started', 'field.command', 'field.command.done', 'field.command', 'field.command.expired'],
    );
    assert.deepEqual(entries[1]!.actor, { kind: 'account', id: 'binh', name: 'Trần Thị Bình', role: 'commander' });
    assert.equal(entries[1]!.target, 'siren-bien-hoa-01');
    assert.deepEqual(entries[2]!.actor, { kind: 'gateway', id: 'gw-dong-nai', name: null, role: null });
    assert.equal(entries[4]!.actor.kind, 'system');
    assert.equal((await verifyAuditLog(db, { publicKey: null })).problems.length, 0);
    db.close();
  });

  it("chains a scenario run's log lines in their transaction, leaving out the live data's own", async () => {
    const db = openWall();
    const audit = new AuditLog(db, { key: null });
    const store = new RunStore(db, audit);
    const doc = { run: { runId: 'run-1', scenario: 'flood', state: 'active', activatedAt: 1 } } as unknown as RunDocument;
    store.save(doc, [
      { kind: 'activated', actor: 'binh', at: 1 },
      { kind: 'figures', actor: 'system', at: 1, data: { sensors: 3 } },
      { kind: 'trigger-fired', actor: 'system', at: 2 },
      { kind: 'step-done', actor: 'binh', at: 3, stepId: 'warn' },
      { kind: 'step-confirmed', actor: 'an', at: 4, stepId: 'warn' },
    ], 5);
    const entries = actions(db);
    assert.deepEqual(
      entries.map((e) => e.action),
      ['audit.started', 'scenario.activated', 'scenario.step-done', 'scenario.step-confirmed'],
    );
    assert.equal(entries[2]!.details?.step, 'warn');
    assert.equal(entries[3]!.target, 'run-1');
    assert.equal((await verifyAuditLog(db, { publicKey: null })).problems.length, 0);
    db.close();
  });

  it('holds an event the disk had no room for and writes it, in order, with the next one', async () => {
    const db = openWall();
    const failures: unknown[] = [];
    const audit = new AuditLog(db, { key: null, onStorageFailure: (error) => failures.push(error) });
    db.pragma(`max_page_count = ${(db.pragma('page_count', { simple: true }) as number) + 2}`);
    const filler = db.prepare("INSERT INTO meta (key, value) VALUES (?, ?)");
    assert.throws(() => {
      for (let i = 0; ; i++) filler.run(`filler-${i}`, 'x'.repeat(4000));
    });
    // an entry too big for the room left in the file's pages (a new page is needed: none can be had)
    audit.record({ action: 'auth.sign-in', actor: 'binh', target: 'binh', details: { note: 'đ'.repeat(2000) } });
    assert.equal(failures.length, 1, 'the storage watch is told');
    assert.deepEqual(actions(db).map((e) => e.action), ['audit.started']);
    db.pragma('max_page_count = 1073741823');
    audit.record({ action: 'auth.sign-out', actor: 'binh', target: 'binh' });
    assert.deepEqual(actions(db).map((e) => e.action), ['audit.started', 'auth.sign-in', 'auth.sign-out']);
    assert.equal((await verifyAuditLog(db, { publicKey: null })).problems.length, 0);
    db.close();
  });

  it('lists rows edited into nonsense (not JSON, an unknown actor kind) instead of failing, and verification names them', async () => {
    const db = openWall();
    const audit = new AuditLog(db, { key: null });
    audit.record({ action: 'auth.sign-in', actor: 'binh', target: 'binh' });
    db.exec("DROP TRIGGER audit_log_no_update; DROP INDEX audit_log_revision; UPDATE audit_log SET details = '{not json', actor_kind = 'robot' WHERE seq = 2");
    const [entry] = listAudit(db, { limit: 1 }).entries;
    assert.deepEqual(entry!.details, { unreadable: '{not json' });
    assert.equal(entry!.actor.kind, 'system');
    const problem = (await verifyAuditLog(db, { publicKey: null })).problems[0];
    assert.equal(problem?.kind, 'edited');
    assert.equal(problem?.seq, 2);
    db.close();
  });
});
