/**
 * Hostile HTTP requests as raw bytes, for the fuzz test and the robustness benchmark: request
 * lines, headers and WebSocket upgrades no client library would send (bad escapes, brackets,
 * control and high bytes, foreign and broken Host and Origin headers, the token or not, plain
 * garbage), and the ones that killed the host before it was hardened.
 */
import { connect } from 'node:net';
import fc from 'fast-check';
import { bearer } from '../../native-bridge/contract.js';
import { upgradeHeaders } from './raw-http.js';

/** Bytes a request line or header may hold, and many it may not. */
const CHARS = "%[]/?#:@!$&'()*+,;=._~-aZ09 \t\\\"<>^`{|}\u0000\u0001\u007f\u00ff\u00e9\r\n".split('');
const char = fc.integer({ min: 0, max: CHARS.length - 1 }).map((i) => CHARS[i]!);
const text = (maxLength: number) => fc.string({ unit: char, maxLength });

/** The request targets that made the host exit (URIError, Invalid URL), each plain and as an upgrade. */
export const KNOWN_KILLERS: readonly Buffer[] = ['/%', '/%zz', '/index.html%FF', '//[', 'http://[::1'].flatMap((target) =>
  [false, true].map((upgrade) =>
    Buffer.from(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\n${upgrade ? Object.entries(upgradeHeaders).map(([k, v]) => `${k}: ${v}\r\n`).join('') : ''}\r\n`, 'latin1'),
  ),
);

/** Random hostile requests to a host at `baseUrl` (five in six shaped like HTTP, the rest raw bytes). */
export function hostileRequests(baseUrl: string, token: string): fc.Arbitrary<Buffer> {
  const port = new URL(baseUrl).port;
  const hostHeader = `127.0.0.1:${port}`;
  const method = fc.oneof(fc.constantFrom('GET', 'HEAD', 'POST', 'OPTIONS', 'CONNECT', 'get'), text(8));
  const target = fc.oneof(
    fc.constantFrom('/', '/index.html', '/ws', '/ws?token=0', '/gis/datasets', '/basemap/metadata.json', '/basemap/1/0/0.pbf', '*', 'http://[::1', '//['),
    text(40).map((t) => `/${t}`),
    fc.tuple(fc.constantFrom('/ws?x=', '/gis/datasets/', '/basemap/', '/index.html'), text(30)).map(([a, b]) => a + b),
    text(40),
  );
  const version = fc.constantFrom('HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/1.1 extra', '');
  const hostValue = fc.oneof(fc.constantFrom(hostHeader, `localhost:${port}`, `evil.example:${port}`, '[::1', '', `127.0.0.1:${port}:1`), text(30));
  const header = fc.tuple(fc.oneof(fc.constantFrom('Origin', 'Upgrade', 'Connection', 'Content-Length', 'Transfer-Encoding', 'Authorization', 'Sec-WebSocket-Key', 'Sec-WebSocket-Version', 'Host'), text(12)), text(60));
  const request = fc
    .record({ method, target, version, hostValue, headers: fc.array(header, { maxLength: 8 }), upgrade: fc.boolean(), origin: fc.constantFrom(undefined, baseUrl, 'http://evil.example'), withToken: fc.boolean() })
    .map((r) => {
      const lines = [`${r.method} ${r.target} ${r.version}`, `Host: ${r.hostValue}`];
      if (r.upgrade) for (const [name, value] of Object.entries(upgradeHeaders)) lines.push(`${name}: ${value}`);
      if (r.origin) lines.push(`Origin: ${r.origin}`);
      if (r.withToken) lines.push(`Authorization: ${bearer(token)}`);
      for (const [name, value] of r.headers) lines.push(`${name}: ${value}`);
      return Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
    });
  const raw = fc.uint8Array({ maxLength: 512 }).map((bytes) => Buffer.from(bytes));
  return fc.oneof({ weight: 5, arbitrary: request }, { weight: 1, arbitrary: raw });
}

/** Sends the bytes, half-closes, and waits briefly for the host to answer or hang up; never throws. */
export function sendAndHangUp(port: number, bytes: Buffer, waitMs = 200): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve();
    };
    const timer = setTimeout(done, waitMs);
    socket.on('error', done);
    socket.on('close', done);
    socket.on('data', () => {});
    socket.end(bytes);
  });
}
