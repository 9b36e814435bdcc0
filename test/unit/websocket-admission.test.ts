/**
 * The WebSocket upgrade's admission in one process: a real HTTP server on an ephemeral port with
 * the gateway attached and the host's own names, and real sockets. Each refusal is checked by its
 * status and by what onRefused hears (its kind and the untrusted values, uncut); the host process
 * tests (websocket-security, http-hardening) cover the same path end to end.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, STATUS_CODES } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import type { MessagePortLike } from '../../native-bridge/channel.js';
import { hostLimits } from '../../native-bridge/limits.js';
import { attachWebSocketGateway, type RefusalInfo } from '../../native-bridge/transports/websocket-server.js';
import { hostAuthorities } from '../../electron/node/http/host-names.js';
import { MAX_MESSAGE_BYTES } from '../../native-bridge/contract.js';
import { tempDir } from '../support/fixtures.js';
import { rawRequest, rawUpgrade } from '../support/raw-http.js';
import { selfSignedCertificate } from '../support/tls.js';

/** A refusal's answer: the status line, and no body, then the connection closes. */
function assertRefusalHead(head: string, status: number): void {
  assert.equal(head, `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Length: 0`);
}

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
    const { status, head } = await rawRequest(port, rawUpgrade(target, headers));
    assertRefusalHead(head, status);
    assert.equal(refusals.length, before + 1, 'one refusal reported');
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
    assert.equal(refusals[before]?.reason, 'binary frame refused');
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

  it('closes without a code when the host closes with no reason', async () => {
    const ws = await open();
    const closed = once(ws, 'close');
    connections.at(-1)!.port.close();
    const [code, reason] = (await closed) as [number, Buffer];
    assert.equal(code, 1005);
    assert.equal(reason.length, 0);
  });

  it('reports a frame over the size limit as a socket error, passes nothing on, and closes with 1009', async () => {
    const ws = await open();
    const connection = connections.at(-1)!;
    const texts: string[] = [];
    connection.port.onMessage((text) => texts.push(text));
    const before = refusals.length;
    const closed = once(ws, 'close');
    ws.send('x'.repeat(MAX_MESSAGE_BYTES + 1));
    const [code] = (await closed) as [number];
    assert.equal(code, 1009);
    const refusal = refusals[before];
    assert.equal(refusal?.kind, 'socket');
    assert.match(refusal?.reason ?? '', /^socket error: Max payload size exceeded/);
    assert.deepEqual([refusal?.remote, refusal?.host, refusal?.origin, refusal?.target], ['127.0.0.1', `127.0.0.1:${port}`, `http://127.0.0.1:${port}`, '/ws?window=r0c0']);
    assert.deepEqual(texts, []);
  });

  it('refuses a request target that is not a plain path, 400', async () => {
    for (const target of ['/%zz', '//ws', '/ws%00', 'http://127.0.0.1/ws', '*']) {
      const { status, refusal } = await refused(target, good());
      assert.equal(status, 400, target);
      assert.equal(refusal?.kind, 'target', target);
      assert.equal(refusal?.reason, 'malformed request target');
      assert.equal(refusal?.target, target);
    }
  });

  it('refuses a Host that names another site or another port, 403', async () => {
    for (const host of ['rebound.example:' + String(port), `127.0.0.1:${port + 1}`, '127.0.0.1', `0.0.0.0:${port}`, `127.0.0.1:${port}/x`, '']) {
      const { status, refusal } = await refused('/ws', { ...good(), Host: host });
      assert.equal(status, 403, host);
      assert.equal(refusal?.kind, 'host', host);
      assert.equal(refusal?.reason, "Host header names none of this host's addresses");
      assert.equal(refusal?.host, host);
      assert.equal(refusal?.origin, `http://127.0.0.1:${port}`);
      assert.equal(refusal?.remote, '127.0.0.1');
    }
  });

  it('refuses another path, 404', async () => {
    const { status, refusal } = await refused('/wss', good());
    assert.equal(status, 404);
    assert.equal(refusal?.kind, 'path');
    assert.equal(refusal?.reason, 'unknown path');
    assert.equal(refusal?.target, '/wss');
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
      assert.equal(refusal?.reason, 'origin not allowed');
      assert.equal(refusal?.origin, headers.Origin);
      assert.equal(refusal?.host, `127.0.0.1:${port}`);
    }
  });

  it(`serves ${hostLimits.maxConnections} sockets at once and refuses the next, 503; closing one makes room`, async () => {
    const sockets = await Promise.all(Array.from({ length: hostLimits.maxConnections }, () => open()));
    assert.equal(gateway.clients(), hostLimits.maxConnections);
    const { status, refusal } = await refused('/ws', good());
    assert.equal(status, 503);
    assert.equal(refusal?.kind, 'capacity');
    assert.equal(refusal?.reason, `the host already serves ${hostLimits.maxConnections} connections, its limit`);
    const first = sockets.shift()!;
    first.close();
    await once(first, 'close');
    while (gateway.clients() >= hostLimits.maxConnections) await new Promise((resolve) => setImmediate(resolve));
    sockets.push(await open());
    await Promise.all(sockets.map((ws) => (ws.close(), once(ws, 'close'))));
  });
});

describe('WebSocket admission: the other node of a pair, and closing', () => {
  it('lets in an Origin of the pair’s other node but not its name in Host; close() ends every socket', async () => {
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as AddressInfo).port;
    const refusals: RefusalInfo[] = [];
    const gateway = attachWebSocketGateway({
      server,
      path: '/ws',
      allowedAuthorities: () => new Set([`127.0.0.1:${port}`]),
      extraOrigins: new Set(['10.0.0.8:8080']),
      onConnection: () => {},
      onRefused: (info) => refusals.push(info),
    });
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, { headers: { Host: `127.0.0.1:${port}`, Origin: 'http://10.0.0.8:8080' }, handshakeTimeout: 5_000 });
    await once(ws, 'open');
    const own = new WebSocket(`ws://127.0.0.1:${port}/ws`, { headers: { Host: `127.0.0.1:${port}`, Origin: `http://127.0.0.1:${port}` }, handshakeTimeout: 5_000 });
    await once(own, 'open');
    const { status, head } = await rawRequest(port, rawUpgrade('/ws', { Host: '10.0.0.8:8080', Origin: 'http://10.0.0.8:8080' }));
    assert.equal(status, 403);
    assertRefusalHead(head, 403);
    assert.equal(refusals[0]?.kind, 'host');
    assert.equal((await rawRequest(port, rawUpgrade('/ws', { Host: `127.0.0.1:${port}`, Origin: 'http://10.0.0.9:8080' }))).status, 403);
    assert.equal(refusals[1]?.kind, 'origin');
    assert.equal(gateway.clients(), 2);
    const closed = [once(ws, 'close'), once(own, 'close')];
    await gateway.close();
    await Promise.all(closed);
    assert.equal(gateway.clients(), 0);
    server.close();
  });
});

describe('WebSocket admission over TLS', () => {
  it('takes 443 for a Host or Origin naming no port, and only an https: Origin', async () => {
    const tls = selfSignedCertificate(tempDir('ioc-wall-ws-tls-'));
    const server = createHttpsServer({ cert: tls.pem, key: readFileSync(tls.keyFile) });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as AddressInfo).port;
    const refusals: RefusalInfo[] = [];
    const gateway = attachWebSocketGateway({
      server,
      path: '/ws',
      // as if the host were reached through port 443 (a forwarded port): what a name without a port means over TLS
      allowedAuthorities: () => new Set(['127.0.0.1:443', `127.0.0.1:${port}`]),
      onConnection: () => {},
      onRefused: (info) => refusals.push(info),
    });
    const ws = new WebSocket(`wss://127.0.0.1:${port}/ws`, { ca: tls.pem, headers: { Host: '127.0.0.1', Origin: 'https://127.0.0.1' }, handshakeTimeout: 5_000 });
    await once(ws, 'open');
    for (const [headers, kind] of [
      [{ Host: `127.0.0.1:${port}`, Origin: `http://127.0.0.1:${port}` }, 'origin'],
      [{ Host: `127.0.0.1:${port}`, Origin: 'http://127.0.0.1:443' }, 'origin'],
      [{ Host: '127.0.0.1:80', Origin: 'https://127.0.0.1' }, 'host'],
    ] as const) {
      const before = refusals.length;
      const { status, head } = await rawRequest(port, rawUpgrade('/ws', headers), 5_000, tls.pem);
      assert.equal(status, 403, JSON.stringify(headers));
      assertRefusalHead(head, 403);
      assert.equal(refusals[before]?.kind, kind, JSON.stringify(headers));
    }
    const closed = once(ws, 'close');
    await gateway.close();
    await closed;
    server.close();
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
