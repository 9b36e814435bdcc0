/** The outbox page a pair's standby reads: only pending commands, in persisted order, with the position reached and whether more follow. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3-multiple-ciphers';
import type { FieldCommand } from '../../native-bridge/gateway-protocol.js';
import { SqliteCommandOutbox } from '../../electron/node/gateway/command-outbox.js';
import { tempDir } from '../support/fixtures.js';

const siren = (n: number): FieldCommand => ({ id: `cmd-${n}`, type: 'siren', target: `siren-${n}`, params: {}, issuedAt: Date.now(), issuedBy: 'commander' });

describe('outbox feed for the standby', () => {
  it('pages through in persisted order, skipping acknowledged and expired commands', () => {
    const db = new Database(join(tempDir(), 'outbox.sqlite'));
    const outbox = new SqliteCommandOutbox(db);
    for (let n = 0; n < 7; n++) outbox.persist(n % 2 ? 'gw-b' : 'gw-a', siren(n));
    outbox.markAcked('cmd-1', { v: 1, gw: 'gw-b', epoch: 'e1', id: 'cmd-1', status: 'done', at: Date.now() });
    const first = outbox.pendingSince(0, 3);
    assert.deepEqual(first.entries.map((e) => e.command.id), ['cmd-0', 'cmd-2']);
    assert.equal(first.entries[1]!.gatewayId, 'gw-a');
    assert.equal(first.more, true);
    const second = outbox.pendingSince(first.last, 3);
    assert.deepEqual(second.entries.map((e) => e.command.id), ['cmd-3', 'cmd-4', 'cmd-5']);
    const third = outbox.pendingSince(second.last, 3);
    assert.deepEqual(third.entries.map((e) => e.command.id), ['cmd-6']);
    assert.equal(third.more, false);
    assert.deepEqual(outbox.pendingSince(third.last, 3), { entries: [], last: third.last, more: false });
    db.close();
  });
});
