/**
 * Fuzzes the HTTP side of a real host process with raw bytes over TCP: request lines, headers and
 * WebSocket upgrades no client library would send (bad escapes, brackets, control and high bytes,
 * foreign and broken Host and Origin headers, the token or not, plain garbage). After a few
 * thousand of them the host has not exited and still answers a well-formed request.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { DATA_TOKEN_HEADER } from '../../native-bridge/contract.js';
import { tempDir } from '../support/fixtures.js';
import { spawnHost, type HostProcess } from '../support/host-process.js';
import { rawGet, rawRequest, upgradeHeaders } from '../support/raw-http.js';

const RUNS = 3_000;
/** Bytes a request line or header may hold, and many it may not. */
const CHARS = "%[]/?#:@!$&'()*+,;=._~-aZ09 \t\\\"<>^`{|}\u0000\u0001\u007f\u00ff\u00e9\r\n".split('');
const char = fc.integer({ min: 0, max: CHARS.length - 1 }).map((i) => CHARS[i]!);
const text = (maxLength: number) => fc.string({ unit: char, maxLength });

/** Sends the bytes, half-closes, and waits (briefly) for the host to answer or hang up. */
function send(port: number, bytes: Buffer): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve();
    };
    const timer = setTimeout(done, 200);
    socket.on('error', done);
    socket.on('close', done);
    socket.on('data', () => {});
    socket.end(bytes);
  });
}

describe('HTTP fuzz (real host process)', () => {
  let host: HostProcess;
  let port: number;
  before(async () => {
    host = await spawnHost({ dataDir: tempDir(), windows: 'none' });
    port = Number(new URL(host.runtime.baseUrl).port);
  });
  after(async () => host.stop());

  it(`survives ${RUNS} malformed requests and upgrades, and still answers`, { timeout: 120_000 }, async () => {
    const hostHeader = `127.0.0.1:${port}`;
    const method = fc.oneof(fc.constantFrom('GET', 'HEAD', 'POST', 'OPTIONS', 'CONNECT', 'get'), text(8));
    const target = fc.oneof(
      fc.constantFrom('/', '/index.html', '/ws', `/ws?token=${host.runtime.token}`, '/gis/datasets', '/basemap/metadata.json', '/basemap/1/0/0.pbf', '*', 'http://[::1', '//['),
      text(40).map((t) => `/${t}`),
      fc.tuple(fc.constantFrom('/ws?token=', '/gis/datasets/', '/basemap/', '/index.html'), text(30)).map(([a, b]) => a + b),
      text(40),
    );
    const version = fc.constantFrom('HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/1.1 extra', '');
    const hostValue = fc.oneof(fc.constantFrom(hostHeader, `localhost:${port}`, `evil.example:${port}`, '[::1', '', `127.0.0.1:${port}:1`), text(30));
    const header = fc.tuple(fc.oneof(fc.constantFrom('Origin', 'Upgrade', 'Connection', 'Content-Length', 'Transfer-Encoding', DATA_TOKEN_HEADER, 'Sec-WebSocket-Key', 'Sec-WebSocket-Version', 'Host'), text(12)), text(60));
    const upgrade = fc.boolean();
    const request = fc.record({ method, target, version, hostValue, headers: fc.array(header, { maxLength: 8 }), upgrade, origin: fc.constantFrom(undefined, host.runtime.baseUrl, 'http://evil.example'), token: fc.boolean() });
    const raw = fc.uint8Array({ maxLength: 512 });
    const cases = fc.oneof({ weight: 5, arbitrary: request.map((r) => ({ kind: 'request' as const, ...r })) }, { weight: 1, arbitrary: raw.map((bytes) => ({ kind: 'raw' as const, bytes })) });

    let sent = 0;
    await fc.assert(
      fc.asyncProperty(cases, async (c) => {
        let bytes: Buffer;
        if (c.kind === 'raw') bytes = Buffer.from(c.bytes);
        else {
          const lines = [`${c.method} ${c.target} ${c.version}`, `Host: ${c.hostValue}`];
          if (c.upgrade) for (const [name, value] of Object.entries(upgradeHeaders)) lines.push(`${name}: ${value}`);
          if (c.origin) lines.push(`Origin: ${c.origin}`);
          if (c.token) lines.push(`${DATA_TOKEN_HEADER}: ${host.runtime.token}`);
          for (const [name, value] of c.headers) lines.push(`${name}: ${value}`);
          bytes = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
        }
        await send(port, bytes);
        sent++;
        assert.ok(host.alive(), `the host exited after case ${sent}:\n${host.output().slice(-4_000)}`);
      }),
      { numRuns: RUNS },
    );
    assert.ok(host.alive());
    const health = await rawRequest(port, rawGet('/gis/datasets', { Host: hostHeader, [DATA_TOKEN_HEADER]: host.runtime.token }));
    assert.equal(health.status, 200, health.head);
    assert.match(health.head, /content-encoding: gzip/i);
  });
});
