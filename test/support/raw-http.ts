/**
 * Raw bytes to an HTTP server over net.Socket: malformed request lines and headers that no HTTP
 * client library would send. Resolves with the status of the first answer (0 when the server
 * closed without one) once the server has answered or hung up.
 */
import { connect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

export interface RawAnswer {
  status: number;
  head: string;
  body: string;
}

/** `ca`: speak TLS to the port, trusting this certificate (a host serving HTTPS). */
export function rawRequest(port: number, bytes: string | Buffer, timeoutMs = 5_000, ca?: string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = ca ? tlsConnect({ host: '127.0.0.1', port, ca }) : connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(chunks).toString('latin1');
      const [head = '', body = ''] = text.split('\r\n\r\n', 2);
      resolve({ status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0), head, body });
    };
    const timer = setTimeout(finish, timeoutMs);
    socket.on('data', (d: Buffer) => {
      chunks.push(d);
      // one answer is enough: stop once its head and announced body have arrived
      const text = Buffer.concat(chunks).toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = /\r\ncontent-length: *(\d+)/i.exec(text.slice(0, end))?.[1];
      if (length !== undefined && Buffer.byteLength(text.slice(end + 4), 'latin1') >= Number(length)) finish();
    });
    socket.on('end', finish);
    socket.on('close', finish);
    socket.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' || error.code === 'EPIPE' ? finish() : reject(error)));
    socket.write(bytes);
  });
}

/** A GET with the given target and headers, as raw bytes. */
export function rawGet(target: string, headers: Record<string, string>): string {
  return `GET ${target} HTTP/1.1\r\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')}Connection: close\r\n\r\n`;
}

/** The headers of a WebSocket upgrade (the key is any 16 bytes in base64). */
export const upgradeHeaders = { Upgrade: 'websocket', Connection: 'Upgrade', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==' };

export function rawUpgrade(target: string, headers: Record<string, string>): string {
  return `GET ${target} HTTP/1.1\r\n${Object.entries({ ...upgradeHeaders, ...headers })
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')}\r\n`;
}
