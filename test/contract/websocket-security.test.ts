/**
 * Bad input against the real host process: connections from another Origin are refused, oversized and malformed frames are rejected, refusals are logged, and the host
 * keeps serving.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { MAX_MESSAGE_BYTES } from '../../native-bridge/contract.js';
import { createAccount, helloAsConsole, type TestAccount } from '../support/accounts.js';
import { spawnHost, type HostProcess } from '../support/host-process.js';
import { tempDir } from '../support/fixtures.js';
import { connectNodeClient } from '../support/ws-client.js';
import { until } from '../support/page-wait.js';

function upgradeStatus(url: string, origin?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, origin ? { origin } : {});
    socket.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    socket.once('open', () => {
      socket.close();
      resolve(101);
    });
    socket.once('error', (e) => (e.message.includes('Unexpected server response') ? undefined : reject(e)));
  });
}

function closeCode(socket: WebSocket): Promise<number> {
  return new Promise((resolve) => socket.once('close', (code) => resolve(code)));
}

describe('WebSocket transport security (real host process)', () => {
  let host: HostProcess;
  let wsBase: string;
  let operator: TestAccount;
  before(async () => {
    const dataDir = tempDir();
    operator = await createAccount(dataDir, 'operator');
    host = await spawnHost({ dataDir, windows: 'none' });
    wsBase = `${host.runtime.baseUrl.replace('http', 'ws')}/ws`;
  });
  after(async () => host.stop());

  it('refuses a connection from another Origin or without one (who it is comes in session.hello)', async () => {
    const origin = host.runtime.baseUrl;
    assert.equal(await upgradeStatus(wsBase, 'http://evil.example'), 403);
    assert.equal(await upgradeStatus(wsBase), 403, 'no Origin header at all');
    assert.equal(await upgradeStatus(wsBase, origin), 101, 'the right Origin gets in');
    // the first refusal of each kind is logged at once; more of that kind are counted into one later line
    const originRefusal = () => host.output().split('\n').find((l) => l.includes('"connection-refused"') && l.includes('"kind":"origin"') && l.includes('evil.example'));
    await until(originRefusal, `the Origin refusal in the log:\n${host.output()}`, 10_000);
  });

  it('closes a socket that sends an oversized frame, and rejects malformed ones', async () => {
    const signIn = await connectNodeClient(host.runtime.baseUrl);
    await helloAsConsole(signIn.client, operator);
    signIn.transport.close();
    const { socket } = await connectNodeClient(host.runtime.baseUrl);
    const replies: string[] = [];
    socket.on('message', (d) => replies.push(d.toString()));
    socket.send('this is not json');
    socket.send(JSON.stringify({ t: 'req', id: 'one', method: 'wall.execute' }));
    // before hello, access is refused before the request is parsed; after the console's hello the bad field is named
    socket.send(JSON.stringify({ t: 'req', id: 6, method: 'wall.execute', payload: { command: { type: 'move-tile', id: 'x', x: -5, y: 0 } } }));
    socket.send(JSON.stringify({ t: 'req', id: 7, method: 'session.hello', payload: { window: 'console', credential: { kind: 'session', token: operator.token } } }));
    const replyTo = (id: number) => () => replies.find((r) => r.includes(`"id":${id}`));
    await until(replyTo(7), 'the hello answered', 10_000);
    socket.send(JSON.stringify({ t: 'req', id: 8, method: 'wall.execute', payload: { command: { type: 'move-tile', id: 'x', x: -5, y: 0 } } }));
    await until(replyTo(8), 'request 8 answered', 10_000);
    assert.ok(replies.some((r) => r.includes('"id":6') && r.includes('"forbidden"')), replies.join('\n'));
    assert.ok(replies.some((r) => r.includes('"id":8') && r.includes('"invalid"') && r.includes('payload.command')), replies.join('\n'));
    const closed = closeCode(socket);
    socket.send('x'.repeat(MAX_MESSAGE_BYTES + 10));
    assert.equal(await closed, 1009, 'message too big');
    await until(() => /"message-rejected".*not JSON/.test(host.output()), 'the unreadable frame in the log', 10_000);
    await until(() => /"message-rejected".*envelope/.test(host.output()), 'the bad envelope in the log', 10_000);
  });

  it('keeps running and serving after all of that', async () => {
    assert.ok(host.alive());
    const { client, transport } = await connectNodeClient(host.runtime.baseUrl);
    const hello = await helloAsConsole(client, operator);
    assert.equal(hello.actor?.role, 'operator');
    const { alerts } = await client.call('alerts.list', {});
    assert.ok(alerts.some((a) => a.source === 'security'), 'operators see a security alert');
    transport.close();
  });
});
