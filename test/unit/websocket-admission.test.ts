/**
 * The WebSocket upgrade's admission in one process: a real HTTP server on an ephemeral port with
 * the gateway attached and the host's own names, and real sockets. Each refusal is checked by its
 * status and by what onRefused hears (its kind and the untrusted values, uncut); the host process
 * tests (websocket-security, http-hardening) cover the same path end to end.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import type { MessagePortLike } from '../../native-bridge/channel.js';
import { hostLimits } from '../../native-bridge/limits.js';
import { attachWebSocketGateway, type RefusalInfo } from '../../native-bridge/transports/websocket-server.js';
import { hostAuthorities } from '../../electron/node/http/host-names.js';
import { rawRequest, rawUpgrade } from '../support/raw-http.js';

describe('WebSocket admission', () => {
  const server = createServer();
  const refusals: RefusalInfo[] = [];
  const connections: { port: MessagePortLike; url: URL; remote: string }[] = [];
  let port = 0;
  let gateway: ReturnType<typeof attachWebSocketGateway>;

  before(async () => {
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
    gateway = attachWebSocketGateway({
      server,
      path: '/ws',
      allowedAuthorities: hostAuthorities({ listenHost: '127.0.0.1', port, extraNames: ['ioc.tinh.gov.vn'] }),
      onConnection: (connection, info) => connections.push({ port: connection, ...info }),
      onRefused: (info) => refusals.push(info),
    });
  });
  after(async () => {
    await gateway.close();
    server.close();
  });

  const good = () => ({ Host: `127.0.0.1:${port}`, Origin: `http://127.0.0.1:${port}` });

  async function refused(target: string, headers: Record<string, string>): Promise<{ status: number; refusal: RefusalInfo | undefined }> {
    const before = refusals.length;
    const { status } = await rawRequest(port, rawUpgrade(target, headers));
    return { status, refusal: refusals[before] };
  }

  function open(headers: Record<string, string> = good(), target = '/ws?window=r0c0'): Promise<WebSocket> {
    // a refusal that never answers fails here, not at the test's timeout
    const ws = new WebSocket(`ws://127.0.0.1:${port}${target}`, { headers, handshakeTimeout: 5_000 });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(ws));
      ws.once('error', reject);
    });
  }

  it('lets in the host by any of its names with a matching Origin, and carries text both ways', async () => {
    for (const name of ['127.0.0.1', 'localhost', '[::1]', 'ioc.tinh.gov.vn', 'LOCALHOST']) {
      const ws = await open({ Host: `${name}:${port}`, Origin: `http://${name}:${port}` });
      ws.close();
    }
    const ws = await open();
    const connection = connections.at(-1)!;
    assert.equal(connection.url.searchParams.get('window'), 'r0c0');
    assert.equal(connection.remote, '127.0.0.1');
    const heard = new Promise<string>((resolve) => connection.port.onMessage(resolve));
    ws.send('xin chào');
    assert.equal(await heard, 'xin chào');
    const answered = once(ws, 'message');
    connection.port.send('đã nhận');
    assert.equal(String((await answered)[0]), 'đã nhận');
    const closed = new Promise<void>((resolve) => connection.port.onClose(resolve));
    ws.close();
    await closed;
  });

  it('refuses a binary frame without passing it on', async () => {
    const ws = await open();
    const connection = connections.at(-1)!;
    const texts: string[] = [];
    connection.port.onMessage((text) => texts.push(text));
    const before = refusals.length;
    ws.send(Buffer.from([1, 2, 3]));
    ws.send('sau đó');
    while (texts.length === 0) await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(texts, ['sau đó']);
    assert.equal(refusals[before]?.kind, 'binary');
    ws.close();
  });

  it('closes with 1008 and the reason when the host closes a misbehaving connection', async () => {
    const ws = await open();
    const closed = once(ws, 'close');
    connections.at(-1)!.port.close('request flood');
    const [code, reason] = (await closed) as [number, Buffer];
    assert.equal(code, 1008);
    assert.equal(reason.toString(), 'request flood');
  });

  it('refuses a request target that is not a plain path, 400', async () => {
    for (const target of ['/%zz', '//ws', '/ws%00', 'http://127.0.0.1/ws', '*']) {
      const { status, refusal } = await refused(target, good());
      assert.equal(status, 400, target);
      assert.equal(refusal?.kind, 'target', target);
      assert.equal(refusal?.target, target);
    }
  });

  it('refuses a Host that names another site or another port, 403', async () => {
    for (const host of ['rebound.example:' + String(port), `127.0.0.1:${port + 1}`, '127.0.0.1', `0.0.0.0:${port}`, `127.0.0.1:${port}/x`, '']) {
      const { status, refusal } = await refused('/ws', { ...good(), Host: host });
      assert.equal(status, 403, host);
      assert.equal(refusal?.kind, 'host', host);
      assert.equal(refusal?.host, host);
      assert.equal(refusal?.remote, '127.0.0.1');
    }
  });

  it('refuses another path, 404', async () => {
    const { status, refusal } = await refused('/wss', good());
    assert.equal(status, 404);
    assert.equal(refusal?.kind, 'path');
  });

  it('refuses an Origin of another site, scheme or port, or none, 403', async () => {
    const origin = `http://127.0.0.1:${port}`;
    const headerSets: Record<string, string>[] = [
      { Host: `127.0.0.1:${port}` },
      { ...good(), Origin: 'null' },
      { ...good(), Origin: `http://rebound.example:${port}` },
      { ...good(), Origin: `https://127.0.0.1:${port}` },
      { ...good(), Origin: `http://127.0.0.1:${port + 1}` },
      { ...good(), Origin: `${origin}/console` },
      { ...good(), Origin: `http://127.0.0.1` },
    ];
    for (const headers of headerSets) {
      const { status, refusal } = await refused('/ws', headers);
      assert.equal(status, 403, headers.Origin);
      assert.equal(refusal?.kind, 'origin', headers.Origin);
      assert.equal(refusal?.origin, headers.Origin);
    }
  });

  it(`serves ${hostLimits.maxConnections} sockets at once and refuses the next, 503; closing one makes room`, async () => {
    const sockets = await Promise.all(Array.from({ length: hostLimits.maxConnections }, () => open()));
    assert.equal(gateway.clients(), hostLimits.maxConnections);
    const { status, refusal } = await refused('/ws', good());
    assert.equal(status, 503);
    assert.equal(refusal?.kind, 'capacity');
    const first = sockets.shift()!;
    first.close();
    await once(first, 'close');
    while (gateway.clients() >= hostLimits.maxConnections) await new Promise((resolve) => setImmediate(resolve));
    sockets.push(await open());
    await Promise.all(sockets.map((ws) => (ws.close(), once(ws, 'close'))));
  });
});

describe('host names', () => {
  it('names loopback, the listening address and the extra names, with the port', () => {
    const names = hostAuthorities({ listenHost: '192.168.10.5', port: 8443, extraNames: ['IOC.local'] })();
    assert.deepEqual([...names].sort(), ['127.0.0.1:8443', '192.168.10.5:8443', '[::1]:8443', 'ioc.local:8443', 'localhost:8443']);
  });

  it('on a wildcard address, names every interface address but the wildcard and link-local IPv6', () => {
    const names = hostAuthorities({ listenHost: '0.0.0.0', port: 8090 })();
    assert.equal(names.has('0.0.0.0:8090'), false);
    const addresses = Object.values(networkInterfaces()).flatMap((a) => a ?? []);
    for (const { address, family } of addresses) {
      const name = family === 'IPv6' ? `[${address.toLowerCase()}]:8090` : `${address}:8090`;
      assert.equal(names.has(name), !(family === 'IPv6' && address.startsWith('fe80:')), address);
    }
    assert.ok(names.has('localhost:8090'));
  });
});
