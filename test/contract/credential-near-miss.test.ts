/**
 * Credentials that are almost right, against a real host over its WebSocket and HTTP: a console
 * session token and a display credential, each changed in its last character, its first, cut one
 * short, one long, with a suffix after the real one, URL-encoded, upper-cased, padded with spaces,
 * and with a NUL inside or after. A check that compares a prefix, trims, decodes or lower-cases
 * would let one of them in; every one must be refused, and the real one must still work (so the
 * test can fail).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bearer, type HelloCredential } from '../../native-bridge/contract.js';
import { webSocketHarness } from '../support/harness.js';
import { createAccount, helloAsConsole, issueDisplayCredential } from '../support/accounts.js';
import { connectNodeClient } from '../support/ws-client.js';
import { rawGet, rawRequest } from '../support/raw-http.js';

/** Every near miss of `secret`, by what was done to it. */
function nearMisses(secret: string): Record<string, string> {
  const flip = (c: string) => (c === '0' ? '1' : '0');
  const percent = (s: string) => [...s].map((c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join('');
  return {
    'last character changed': secret.slice(0, -1) + flip(secret.at(-1)!),
    'first character changed': flip(secret[0]!) + secret.slice(1),
    'one character short': secret.slice(0, -1),
    'one character long': `${secret}0`,
    'the real one and a suffix': `${secret}-admin`,
    'URL-encoded (every character)': percent(secret),
    'URL-encoded (the last character)': secret.slice(0, -1) + percent(secret.slice(-1)),
    'upper-cased': secret.toUpperCase(),
    'a space after': `${secret} `,
    'a space before': ` ${secret}`,
    'a NUL inside': `${secret.slice(0, 10)}\0${secret.slice(11)}`,
    'a NUL after': `${secret}\0`,
  };
}

describe('near-miss credentials over a real host', () => {
  let harness: Awaited<ReturnType<typeof webSocketHarness>>;
  let port: number;
  let sessionToken: string;
  let displayToken: string;
  before(async () => {
    harness = await webSocketHarness();
    port = Number(new URL(harness.host.baseUrl).port);
    const account = await createAccount(harness.dataDir, 'commander');
    const signedIn = await connectNodeClient(harness.host.baseUrl);
    await helloAsConsole(signedIn.client, account);
    signedIn.transport.close();
    sessionToken = account.token!;
    displayToken = issueDisplayCredential(harness.dataDir, 'r0c0');
  });
  after(async () => harness?.close());

  /** Says hello with the credential on a new connection: the actor it was admitted as, or null when refused. */
  async function admittedAs(window: 'console' | 'r0c0', credential: HelloCredential): Promise<string | null> {
    const { client, transport } = await connectNodeClient(harness.host.baseUrl);
    try {
      const hello = await client.call('session.hello', { window, credential }).catch(() => null);
      if (!hello?.actor) {
        // nor may the connection act as anyone after it
        await assert.rejects(client.call('wall.execute', { command: { type: 'apply-preset', name: 'overview' } }));
        return null;
      }
      return hello.actor.id;
    } finally {
      transport.close();
    }
  }

  const dataStatus = async (credential: string) => (await rawRequest(port, rawGet('/gis/datasets', { Host: `127.0.0.1:${port}`, authorization: bearer(credential) }))).status;

  it('the real credentials are admitted (the control)', async () => {
    assert.ok(await admittedAs('console', { kind: 'session', token: sessionToken }));
    assert.ok(await admittedAs('r0c0', { kind: 'display', token: displayToken }));
    assert.equal(await dataStatus(sessionToken), 200);
    assert.equal(await dataStatus(displayToken), 200);
  });

  for (const kind of ['session', 'display'] as const) {
    it(`refuses every near miss of a ${kind} ${kind === 'session' ? 'token' : 'credential'} in session.hello`, async () => {
      const real = kind === 'session' ? sessionToken : displayToken;
      const window = kind === 'session' ? 'console' : 'r0c0';
      for (const [what, token] of Object.entries(nearMisses(real))) {
        assert.equal(await admittedAs(window, { kind, token }), null, `${what}: ${JSON.stringify(token)}`);
      }
    });

    it(`refuses every near miss of a ${kind} ${kind === 'session' ? 'token' : 'credential'} as a data request's Bearer`, async () => {
      const real = kind === 'session' ? sessionToken : displayToken;
      for (const [what, token] of Object.entries(nearMisses(real))) {
        // HTTP drops the whitespace that ends a header value (RFC 9110 §5.5): that one is the real credential
        if (what === 'a space after') continue;
        const status = await dataStatus(token);
        assert.ok(status === 400 || status === 401, `${what}: HTTP ${status}`);
      }
    });
  }

  it('still admits the real credentials after all the misses', async () => {
    assert.ok(await admittedAs('console', { kind: 'session', token: sessionToken }));
    assert.equal(await dataStatus(displayToken), 200);
  });
});
