/**
 * The static server's data routes over a real HTTP server: a bounded number of answers are
 * produced at once, a bounded number wait, the rest are refused with 503 at once; a route's failure
 * is a 500 that names nothing of the host.
 */
import assert from 'node:assert/strict';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { describe, it } from 'node:test';
import { authority } from '../../electron/common/request-target.js';
import { createStaticServer } from '../../electron/node/http/static-server.js';
import { tempDir } from '../support/fixtures.js';

async function serve(routes: (path: string) => Promise<{ status: number; headers: Record<string, string>; body: Buffer } | null>) {
  let port = 0;
  const server = createStaticServer(tempDir(), { allowedAuthorities: () => new Set([authority('127.0.0.1', port)]), data: { routes, authorized: (header) => header === 'Bearer secret', limits: { active: 2, queued: 2 } } });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  const get = (path: string) => fetch(`http://127.0.0.1:${port}${path}`, { headers: { authorization: 'Bearer secret' } });
  return { get, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('static server data routes', () => {
  it('produces two answers at once, queues two, and refuses the fifth with 503 until they are done', async () => {
    let started = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { get, close } = await serve(async () => {
      started++;
      await gate;
      return { status: 200, headers: {}, body: Buffer.from('ok') };
    });
    const first = [get('/gis/a'), get('/gis/b'), get('/gis/c'), get('/gis/d')];
    const fifth = await get('/gis/e');
    assert.equal(fifth.status, 503);
    assert.equal(fifth.headers.get('retry-after'), '1');
    assert.equal(started, 2, 'two running, two waiting');
    release();
    for (const answer of await Promise.all(first)) assert.equal(answer.status, 200);
    assert.equal(started, 4);
    assert.equal((await get('/gis/f')).status, 200, 'free again');
    await close();
  });

  it('answers a failing route with a bare 500', async () => {
    const { get, close } = await serve(async () => {
      throw new Error('/secret/path/gis.sqlite: disk I/O error');
    });
    const answer = await get('/gis/datasets');
    assert.equal(answer.status, 500);
    assert.ok(!(await answer.text()).includes('/secret'), 'the error stays on the host');
    await close();
  });
});

describe('static server connections', () => {
  it('bounds open connections, and closes one whose headers never finish', { timeout: 15_000 }, async () => {
    let port = 0;
    const server = createStaticServer(tempDir(), { allowedAuthorities: () => new Set([authority('127.0.0.1', port)]), connections: { max: 3, headersTimeoutMs: 3_000 } });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    const open = (): Promise<Socket> =>
      new Promise((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => resolve(socket));
        socket.on('error', reject);
        socket.resume(); // read what the server sends, so its hang-up reaches 'close'
      });
    const closed = (socket: Socket) => new Promise<void>((resolve) => (socket.destroyed ? resolve() : socket.once('close', () => resolve())));
    const held = [await open(), await open(), await open()];
    const extra = await open();
    await closed(extra); // refused at once: three are open already
    assert.ok(held.every((s) => !s.destroyed), 'the first three stay (the headers timeout is seconds away)');
    held[0]!.write('GET /index.html HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
    await closed(held[0]!); // headers never finished: closed after the headers timeout
    for (const s of held) s.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
});
