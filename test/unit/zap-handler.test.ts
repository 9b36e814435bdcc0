/**
 * The ZAP handler (RFC 27) answering raw requests on its real inproc endpoint, as libzmq would
 * send them for each CURVE handshake: which key is let in (and as which gateway), what every kind
 * of malformed or refused request is answered, what each domain's listeners hear, and the
 * handler's life (shared per process, closed with its last domain, bound again after). The same
 * handler under real CURVE handshakes is gateway-identity.test.ts and gateway-hub.test.ts.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import * as zmq from 'zeromq';
import { z85Decode } from '../../native-bridge/gateway-auth/message-mac.js';
import type { GatewayLogEntry } from '../../electron/node/gateway/log.js';
import { ZAP_ENDPOINT, ZapHandler, type ZapRefusal } from '../../electron/node/gateway/zap.js';

const allowed = zmq.curveKeyPair();
const other = zmq.curveKeyPair();

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function waitFor(predicate: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A handler with one domain registered, and a client speaking ZAP to it. */
async function setup(domain = `test-${Math.random().toString(36).slice(2)}`) {
  const logs: GatewayLogEntry[] = [];
  const handler = await ZapHandler.acquire((entry) => logs.push(entry));
  const refused: ZapRefusal[] = [];
  const accepted: [string, string][] = [];
  const keys = new Map([[allowed.publicKey, 'gw-a']]);
  handler.register(domain, { keys, onRefused: (r) => refused.push(r), onAccepted: (id, address) => accepted.push([id, address]) });
  cleanups.push(() => handler.release(domain));
  const client = new zmq.Dealer({ receiveTimeout: 5_000, linger: 0 });
  client.connect(ZAP_ENDPOINT);
  cleanups.push(() => client.close());
  let serial = 0;
  /** Sends [delimiter, …frames] and returns the reply's frames as text (after the delimiter). */
  const ask = async (frames: (string | Buffer)[]): Promise<string[]> => {
    await client.send(['', ...frames]);
    const [delimiter, ...reply] = await client.receive();
    assert.equal(delimiter!.length, 0);
    return reply.map((f) => f.toString('latin1'));
  };
  const request = (options: { version?: string; domain?: string; mechanism?: string; credentials?: Buffer[] } = {}) => {
    const id = `req-${++serial}`;
    return { id, frames: [options.version ?? '1.0', id, options.domain ?? domain, '10.1.2.3', '', options.mechanism ?? 'CURVE', ...(options.credentials ?? [z85Decode(allowed.publicKey)])] };
  };
  return { handler, domain, keys, logs, refused, accepted, client, ask, request };
}

describe('ZAP handler: answers', () => {
  it('lets in an allow-listed CURVE key as its gateway (the ZAP user id), and tells the domain', async () => {
    const { handler, ask, request, accepted, refused } = await setup();
    const before = handler.accepted;
    const { id, frames } = request();
    assert.deepEqual(await ask(frames), ['1.0', id, '200', 'OK', 'gw-a', '']);
    assert.deepEqual(accepted, [['gw-a', '10.1.2.3']]);
    assert.deepEqual(refused, []);
    assert.equal(handler.accepted, before + 1);
  });

  it('refuses a key not on the list, naming it; a key added to the list later is let in', async () => {
    const { handler, ask, request, refused, keys, domain, logs } = await setup();
    const before = handler.refusals;
    const { id, frames } = request({ credentials: [z85Decode(other.publicKey)] });
    assert.deepEqual(await ask(frames), ['1.0', id, '400', 'key not allowed', '', '']);
    assert.deepEqual(refused, [{ reason: 'unknown-key', domain, address: '10.1.2.3', mechanism: 'CURVE', publicKey: other.publicKey }]);
    assert.equal(handler.refusals, before + 1);
    assert.deepEqual(logs.at(-1), { level: 'warn', msg: 'zap: refused', reason: 'unknown-key', domain, address: '10.1.2.3', mechanism: 'CURVE', publicKey: other.publicKey });
    // the hub's reload changes the map while the domain stays registered
    keys.set(other.publicKey, 'gw-b');
    const again = request({ credentials: [z85Decode(other.publicKey)] });
    assert.deepEqual(await ask(again.frames), ['1.0', again.id, '200', 'OK', 'gw-b', '']);
  });

  it('refuses another mechanism and malformed credentials, telling the domain why', async () => {
    const { ask, request, refused, domain, accepted } = await setup();
    const cases: [ReturnType<typeof request>, string, ZapRefusal['reason'], string][] = [
      [request({ mechanism: 'NULL', credentials: [] }), 'CURVE required', 'mechanism', 'NULL'],
      [request({ mechanism: 'PLAIN', credentials: [Buffer.from('admin'), Buffer.from('secret')] }), 'CURVE required', 'mechanism', 'PLAIN'],
      [request({ credentials: [] }), 'bad credentials', 'bad-credentials', 'CURVE'],
      [request({ credentials: [z85Decode(allowed.publicKey).subarray(0, 31)] }), 'bad credentials', 'bad-credentials', 'CURVE'],
      [request({ credentials: [Buffer.concat([z85Decode(allowed.publicKey), Buffer.from([0])])] }), 'bad credentials', 'bad-credentials', 'CURVE'],
      [request({ credentials: [z85Decode(allowed.publicKey), z85Decode(allowed.publicKey)] }), 'bad credentials', 'bad-credentials', 'CURVE'],
    ];
    for (const [{ id, frames }, statusText, reason, mechanism] of cases) {
      assert.deepEqual(await ask(frames), ['1.0', id, '400', statusText, '', ''], statusText);
      assert.deepEqual(refused.at(-1), { reason, domain, address: '10.1.2.3', mechanism });
    }
    assert.equal(refused.length, cases.length);
    assert.deepEqual(accepted, [], 'an allowed key in malformed credentials does not count');
  });

  it('answers a request of another ZAP version, or one cut short, 400 "bad ZAP request", and one for a domain nobody registered 400 "unknown domain"', async () => {
    const { handler, ask, request, refused, logs } = await setup();
    const before = handler.refusals;
    const v2 = request({ version: '2.0' });
    assert.deepEqual(await ask(v2.frames), ['1.0', v2.id, '400', 'bad ZAP request', '', '']);
    assert.deepEqual(await ask(['1.0', 'req-short', 'd', '10.1.2.3', '']), ['1.0', 'req-short', '400', 'bad ZAP request', '', '']);
    const unknown = request({ domain: 'nobody-registered-this' });
    assert.deepEqual(await ask(unknown.frames), ['1.0', unknown.id, '400', 'unknown domain', '', '']);
    assert.deepEqual(logs.at(-1), { level: 'warn', msg: 'zap: refused', reason: 'unknown-domain', domain: 'nobody-registered-this', address: '10.1.2.3', mechanism: 'CURVE' });
    assert.equal(handler.refusals, before + 3);
    assert.deepEqual(refused, [], 'no domain is told of requests not for it');
  });

  it('counts, and does not answer, a request without its delimiter or request id; then serves the next', async () => {
    const { handler, client, ask, request, logs } = await setup();
    const before = handler.refusals;
    await client.send(['not-empty', '1.0', 'req-x', 'd', 'a', '', 'CURVE']);
    await waitFor(() => handler.refusals === before + 1, 'the refusal counted');
    assert.deepEqual(logs.at(-1), { level: 'warn', msg: 'zap: refused', reason: 'bad-request', domain: '', address: '', mechanism: '' });
    await client.send(['', '1.0']);
    await waitFor(() => handler.refusals === before + 2, 'the second refusal counted');
    const { id, frames } = request();
    assert.deepEqual(await ask(frames), ['1.0', id, '200', 'OK', 'gw-a', ''], 'the next request is answered, not a stale reply');
  });

  it('still answers when a domain’s refusal listener throws, and logs it', async () => {
    const logs: GatewayLogEntry[] = [];
    const handler = await ZapHandler.acquire((entry) => logs.push(entry));
    const domain = `throwing-${Math.random().toString(36).slice(2)}`;
    handler.register(domain, {
      keys: new Map(),
      onRefused: () => {
        throw new Error('listener broke');
      },
    });
    cleanups.push(() => handler.release(domain));
    const client = new zmq.Dealer({ receiveTimeout: 5_000, linger: 0 });
    client.connect(ZAP_ENDPOINT);
    cleanups.push(() => client.close());
    await client.send(['', '1.0', 'req-1', domain, '10.1.2.3', '', 'CURVE', z85Decode(other.publicKey)]);
    const [, ...reply] = await client.receive();
    assert.deepEqual(reply.map((f) => f.toString()), ['1.0', 'req-1', '400', 'key not allowed', '', '']);
    assert.ok(logs.some((e) => e.level === 'error' && e.msg === 'zap: onRefused listener threw' && String(e.error).includes('listener broke')));
  });
});

describe('ZAP handler: domains and life', () => {
  it('refuses an empty domain and one registered twice', async () => {
    const { handler, domain } = await setup();
    assert.throws(() => handler.register('', { keys: new Map() }), /ZAP domain must not be empty/);
    assert.throws(() => handler.register(domain, { keys: new Map() }), new RegExp(`ZAP domain "${domain}" is already registered`));
  });

  it('is one handler per process; it closes with its last domain, and the next acquire binds a new one', async () => {
    const [first, second] = await Promise.all([ZapHandler.acquire(() => {}), ZapHandler.acquire(() => {})]);
    assert.equal(first, second);
    assert.equal(await ZapHandler.acquire(), first);
    first.register('life-a', { keys: new Map() });
    first.register('life-b', { keys: new Map() });
    await first.release('life-a');
    assert.equal(first.closed, false, 'a domain is still registered');
    assert.equal(await ZapHandler.acquire(), first);
    await first.release('life-b');
    assert.equal(first.closed, true);
    const next = await ZapHandler.acquire(() => {});
    assert.notEqual(next, first);
    assert.equal(next.closed, false);
    // the new one answers on the same endpoint
    const domain = 'life-c';
    next.register(domain, { keys: new Map([[allowed.publicKey, 'gw-a']]) });
    const client = new zmq.Dealer({ receiveTimeout: 5_000, linger: 0 });
    client.connect(ZAP_ENDPOINT);
    await client.send(['', '1.0', 'req-1', domain, '10.1.2.3', '', 'CURVE', z85Decode(allowed.publicKey)]);
    const [, ...reply] = await client.receive();
    assert.deepEqual(reply.map((f) => f.toString()), ['1.0', 'req-1', '200', 'OK', 'gw-a', '']);
    client.close();
    await next.release(domain);
    assert.equal(next.closed, true);
  });
});
