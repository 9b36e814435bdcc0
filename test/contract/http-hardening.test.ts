/**
 * Attacks on the HTTP side of a real host process: request targets that do not parse, data routes
 * without a credential, a foreign Host header (DNS rebinding), a LAN display PC's Origin, and a flood
 * of refused upgrades with huge headers. Each is refused with a clear status and the host keeps
 * running.
 */
import assert from 'node:assert/strict';
import { networkInterfaces } from 'node:os';
import { after, before, describe, it } from 'node:test';
import { bearer } from '../../native-bridge/contract.js';
import { issueDisplayCredential } from '../support/accounts.js';
import { tempDir } from '../support/fixtures.js';
import { spawnHost, type HostProcess } from '../support/host-process.js';
import { rawGet, rawRequest, rawUpgrade } from '../support/raw-http.js';
import { httpsStatus, selfSignedCertificate } from '../support/tls.js';
import { connectNodeClient } from '../support/ws-client.js';
import { until } from '../support/page-wait.js';

const portOf = (baseUrl: string) => Number(new URL(baseUrl).port);

describe('HTTP hardening (real host process)', () => {
  let host: HostProcess;
  let port: number;
  let hostHeader: string;
  /** An enrolled display's credential, as a display PC's page holds it. */
  let token: string;
  const healthy = async () => {
    const answer = await rawRequest(port, rawGet('/gis/datasets', { Host: hostHeader, authorization: bearer(token) }));
    return answer.status;
  };
  before(async () => {
    const dataDir = tempDir();
    host = await spawnHost({ dataDir, windows: 'none' });
    port = portOf(host.runtime.baseUrl);
    hostHeader = `127.0.0.1:${port}`;
    token = issueDisplayCredential(dataDir, 'r0c0');
  });
  after(async () => host.stop());

  it('answers 400 to request targets that do not parse, as a request or as an upgrade, and keeps running', async () => {
    for (const target of ['/%', '/%zz', '/index.html%FF', '//[', 'http://[::1', '/gis/%E0%A4%A']) {
      const plain = await rawRequest(port, rawGet(target, { Host: hostHeader }));
      assert.equal(plain.status, 400, `GET ${target}: ${plain.head}`);
      const upgrade = await rawRequest(port, rawUpgrade(target, { Host: hostHeader, Origin: host.runtime.baseUrl }));
      assert.equal(upgrade.status, 400, `upgrade ${target}: ${upgrade.head}`);
      assert.ok(host.alive(), `the host exited after ${target}:\n${host.output()}`);
    }
    assert.equal(await healthy(), 200);
  });

  it('requires a session\'s or an enrolled display\'s credential on /gis and /basemap', async () => {
    for (const target of ['/gis/datasets', '/gis/datasets/communes.geojson', '/basemap/metadata.json', '/basemap/10/800/450.pbf']) {
      assert.equal((await rawRequest(port, rawGet(target, { Host: hostHeader }))).status, 401, `${target} without a credential`);
      assert.equal((await rawRequest(port, rawGet(target, { Host: hostHeader, authorization: bearer(`d-${'0'.repeat(64)}`) }))).status, 401, `${target} with an unknown credential`);
      // never in the query: a URL ends up in logs
      assert.equal((await rawRequest(port, rawGet(`${target}?token=${token}`, { Host: hostHeader }))).status, 401, `${target} with the credential in the query`);
    }
    assert.equal(await healthy(), 200, 'with the credential in its header');
  });

  it('refuses a Host header that is none of the names the host listens on (DNS rebinding)', async () => {
    const evil = `evil.example:${port}`;
    assert.equal((await rawRequest(port, rawGet('/gis/datasets', { Host: evil, authorization: bearer(token) }))).status, 403);
    assert.equal((await rawRequest(port, rawGet('/index.html', { Host: evil }))).status, 403);
    assert.equal((await rawRequest(port, rawGet('/gis/datasets', { Host: `127.0.0.1:${port + 1}`, authorization: bearer(token) }))).status, 403, 'another port');
    const upgrade = await rawRequest(port, rawUpgrade(`/ws?token=${token}`, { Host: evil, Origin: host.runtime.baseUrl }));
    assert.equal(upgrade.status, 403, upgrade.head);
    assert.equal((await rawRequest(port, rawGet('/gis/datasets', { Host: `localhost:${port}`, authorization: bearer(token) }))).status, 200, 'localhost is one of its names');
    const allowed = await rawRequest(port, rawUpgrade(`/ws?token=${token}`, { Host: hostHeader, Origin: host.runtime.baseUrl }));
    assert.equal(allowed.status, 101, allowed.head);
  });

  it('logs a flood of refused upgrades with 8 KB Origins in a few short lines, and raises one alert', async () => {
    const before = host.output().length;
    const origin = `http://${'a'.repeat(8 * 1024)}.example`;
    for (let i = 0; i < 300; i++) {
      const answer = await rawRequest(port, rawUpgrade('/ws', { Host: hostHeader, Origin: origin }));
      assert.equal(answer.status, 403);
    }
    // the first refusal is logged at once, the rest of the period counted into one later line
    await until(() => host.output().slice(before).includes('"connection-refused"'), 'the first refusal in the log', 10_000);
    const lines = host.output().slice(before).split('\n').filter(Boolean);
    assert.ok(lines.length <= 5, `at most a few lines for 300 refusals, got ${lines.length}`);
    for (const line of lines) assert.ok(line.length < 1_000, `a log line of ${line.length} characters`);
    assert.ok(lines.some((l) => l.includes('"connection-refused"') && l.includes('origin')), lines.join('\n'));
    assert.equal(await healthy(), 200);
    const { client, transport } = await connectNodeClient(host.runtime.baseUrl);
    await client.call('session.hello', { window: 'r0c0', credential: { kind: 'display', token } });
    const security = (await client.call('alerts.list', {})).alerts.filter((a) => a.source === 'security');
    transport.close();
    // one a minute at most: this file's refusals all fall in its first minute or two
    assert.ok(security.length >= 1 && security.length <= 2, `${security.length} security alerts`);
    for (const alert of security) assert.ok(alert.title.en.length < 300 && alert.title.vi.length < 300, alert.title.en);
  });
});

/** The host's own non-loopback IPv4 address, as a display PC on the LAN would reach it. */
function lanAddress(): string | undefined {
  return Object.values(networkInterfaces())
    .flat()
    .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
}

describe('LAN mode (--listen 0.0.0.0 over HTTPS/WSS, real host process)', () => {
  const lan = lanAddress();
  let host: HostProcess;
  let cert: ReturnType<typeof selfSignedCertificate>;
  before(async () => {
    if (!lan) return;
    cert = selfSignedCertificate(tempDir(), [lan]);
    host = await spawnHost({ dataDir: tempDir(), windows: 'none', args: ['--listen', '0.0.0.0', '--tls-cert', cert.certFile, '--tls-key', cert.keyFile] });
  });
  after(async () => host?.stop());

  it('lets a display PC that opened the host by its LAN address connect and fetch the map data', { skip: lan ? false : 'this machine has no LAN address' }, async () => {
    const port = portOf(host.runtime.baseUrl);
    const base = `https://${lan}:${port}`;
    const { client, transport } = await connectNodeClient(base, base, cert.pem);
    const credential = issueDisplayCredential(host.dataDir, 'r0c0');
    const hello = await client.call('session.hello', { window: 'r0c0', credential: { kind: 'display', token: credential } });
    assert.equal(hello.actor?.role, 'display');
    transport.close();
    const data = await httpsStatus(`${base}/gis/datasets`, cert.pem, { authorization: bearer(credential) });
    assert.equal(data.status, 200);
    const foreign = await rawRequest(port, rawUpgrade('/ws', { Host: `${lan}:${port}`, Origin: `https://192.0.2.250:${port}` }), 5_000, cert.pem);
    assert.equal(foreign.status, 403, 'another machine is still another origin');
  });
});
