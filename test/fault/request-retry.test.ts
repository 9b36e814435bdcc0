/**
 * A console that lost an answer (the host was SIGKILLed after committing, before replying) retries
 * with the same request id: the restarted host answers the first result and applies nothing again.
 * Real host processes, real SQLite, a configured gateway that is offline (its commands wait in the
 * outbox).
 */
import { accountFor, connectConsole } from '../support/accounts.js';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { rejectsWith } from '../support/harness.js';
import { spawnHost, type HostProcess } from '../support/host-process.js';
import { tempDir } from '../support/fixtures.js';
import { offlineGatewayFile } from '../support/offline-gateway.js';
import { openHostFile } from '../support/storage.js';

/** The commander's console (its session outlives the host's restart). */
const consoleOf = (host: HostProcess, dataDir: string) => connectConsole(host.runtime, dataDir);

describe('request ids across a host crash', () => {
  const dataDir = tempDir('ioc-wall-retry-');
  const gatewaysFile = offlineGatewayFile(dataDir);
  let host: HostProcess | undefined;
  after(() => host?.stop('SIGKILL'));

  it('answers a retried wall command and field command with their first result, applied once', { timeout: 120_000 }, async () => {
    host = await spawnHost({ dataDir, windows: 'none', gatewaysFile });
    const first = await consoleOf(host, dataDir);
    const wallRequest = { command: { type: 'apply-preset', name: 'cameras' } as const, requestId: randomUUID() };
    const fieldRequest = { gateway: 'gw-test', type: 'siren' as const, target: 'siren-bien-hoa-1', params: { minutes: 5 }, requestId: randomUUID() };
    const applied = await first.client.call('wall.execute', wallRequest);
    const persisted = await first.client.call('field.command', fieldRequest);
    assert.equal(persisted.id, fieldRequest.requestId, 'the request id is the command id');
    // Same process: the retry is answered, not applied.
    assert.deepEqual(await first.client.call('wall.execute', wallRequest), applied);
    assert.deepEqual(await first.client.call('field.command', fieldRequest), persisted);
    first.transport.close();

    await host.stop('SIGKILL');
    host = await spawnHost({ dataDir, windows: 'none', gatewaysFile });
    const second = await consoleOf(host, dataDir);
    assert.deepEqual(await second.client.call('wall.execute', wallRequest), applied, 'the retried wall command answers its first revision');
    assert.deepEqual(await second.client.call('field.command', fieldRequest), persisted, 'the retried field command answers its first result');
    const { revision } = await second.client.call('wall.resync', { sinceRevision: 0 });
    assert.equal(revision, applied.revision, 'nothing was applied again');
    // A request id is bound to its first command.
    await rejectsWith(second.client.call('wall.execute', { ...wallRequest, command: { type: 'apply-preset', name: 'map' } }), 'conflict', 'requestId');
    await rejectsWith(second.client.call('field.command', { ...fieldRequest, target: 'siren-khac' }), 'conflict', 'requestId');
    await rejectsWith(second.client.call('wall.execute', { ...wallRequest, requestId: 'x' }), 'invalid');
    second.transport.close();
    await host.stop('SIGTERM');

    const db = openHostFile(join(dataDir, 'demo.sqlite'), { readonly: true });
    try {
      const commander = await accountFor(dataDir);
      const stored = db.prepare('SELECT command FROM field_commands WHERE id = ?').all(fieldRequest.requestId) as { command: string }[];
      assert.equal(stored.length, 1);
      assert.equal((JSON.parse(stored[0]!.command) as { issuedBy: string }).issuedBy, commander.id, 'the field command is issued by the account');
      assert.equal((db.prepare('SELECT COUNT(*) AS n FROM command_journal WHERE actor_id = ?').get(commander.id) as { n: number }).n, 1, 'one journal entry, recorded for the signed-in account');
    } finally {
      db.close();
    }
  });
});
