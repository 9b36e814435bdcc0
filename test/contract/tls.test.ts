/**
 * Encryption in transit, through the real runtime and real sockets: off loopback the host serves
 * HTTPS and WSS only (a certificate made here with openssl), refuses TLS below 1.2 and plain HTTP
 * on that port, and refuses to start at all without a certificate; loopback stays plain HTTP.
 */
import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { connect as tlsConnect } from 'node:tls';
import { parseHostArgs } from '../../electron/node/runtime-options.js';
import { startRuntime, type Runtime } from '../../electron/node/runtime.js';
import { layoutsDir } from '../../electron/node/project-paths.js';
import type { TlsFiles } from '../../electron/node/http/tls-files.js';
import { accountFor, helloAsConsole } from '../support/accounts.js';
import { noGatewaysFile, tempDir } from '../support/fixtures.js';
import { httpsStatus, selfSignedCertificate } from '../support/tls.js';
import { connectNodeClient } from '../support/ws-client.js';
import { testScenariosDir } from '../support/test-scenarios.js';


function rendererDir(): string {
  const dir = tempDir();
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Tường video</title>');
  return dir;
}

function start(dataDir: string, listenHost: string, tls?: TlsFiles): Promise<Runtime> {
  const args = parseHostArgs(['--gateways', noGatewaysFile, '--scenarios', testScenariosDir(), '--data-dir', dataDir], {}, { layoutsDir, dataDir });
  return startRuntime({ ...args, host: 'chromium', serve: { listenHost, port: 0, rendererDir: rendererDir(), tls }, log: () => {} });
}

function httpStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = get(url, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('error', reject);
    request.setTimeout(10_000, () => request.destroy(new Error('timed out')));
  });
}

const portOf = (runtime: Runtime) => Number(new URL(runtime.server!.baseUrl).port);

describe('encryption in transit', () => {
  it('off loopback: HTTPS and a signed-in WSS session with the certificate, TLS 1.2 at least, no plain HTTP', { timeout: 90_000 }, async () => {
    const dataDir = tempDir();
    const cert = selfSignedCertificate(tempDir());
    const runtime = await start(dataDir, '0.0.0.0', cert);
    try {
      const { baseUrl, windowUrl } = runtime.server!;
      assert.match(baseUrl, /^https:\/\/127\.0\.0\.1:\d+$/);
      assert.match(windowUrl('console'), /^https:/);
      const page = await httpsStatus(`${baseUrl}/index.html`, cert.pem);
      assert.equal(page.status, 200);
      assert.ok(page.protocol === 'TLSv1.2' || page.protocol === 'TLSv1.3', String(page.protocol));

      const { client, transport } = await connectNodeClient(baseUrl, baseUrl, cert.pem);
      try {
        const hello = await helloAsConsole(client, await accountFor(dataDir, 'viewer'));
        assert.equal(hello.actor?.role, 'viewer');
      } finally {
        transport.close();
      }
      // a page of the plain-HTTP origin may not open the WSS session
      await assert.rejects(connectNodeClient(baseUrl, baseUrl.replace('https:', 'http:'), cert.pem), /HTTP 403/);
      // no certificate trusted: the client refuses the host (the test's certificate is what it is checked against)
      await assert.rejects(httpsStatus(`${baseUrl}/index.html`, undefined), /self-signed|certificate/i);
      // plain HTTP on the TLS port gets no page
      const plain = await httpStatus(`http://127.0.0.1:${portOf(runtime)}/index.html`).catch((error: Error) => error);
      assert.ok(plain instanceof Error || plain !== 200, 'a page over plain HTTP');
      // TLS 1.1 is refused by the host: the client offers 1.0–1.1 only (SECLEVEL=0 lets this client offer them)
      const handshake = await new Promise<string>((resolve) => {
        const socket = tlsConnect({ host: '127.0.0.1', port: portOf(runtime), ca: cert.pem, minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' });
        socket.once('secureConnect', () => {
          resolve(`connected with ${socket.getProtocol()}`);
          socket.destroy();
        });
        socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
      });
      // the host's own protocol_version alert, not a client that could not even offer TLS 1.1
      assert.match(handshake, /ALERT_PROTOCOL_VERSION/, handshake);
    } finally {
      await runtime.close();
    }
  });

  it('off loopback without a certificate: refused before anything is opened, saying what to give', { timeout: 60_000 }, async () => {
    const dataDir = tempDir();
    await assert.rejects(start(dataDir, '0.0.0.0'), (error: Error) => {
      assert.match(error.message, /--listen 0\.0\.0\.0 is not a loopback address/);
      assert.match(error.message, /--tls-cert <cert\.pem> --tls-key <key\.pem>/);
      return true;
    });
    assert.deepEqual(readdirSync(dataDir), [], 'no database was opened or created');
  });

  it('a key that is not the certificate’s is refused, naming both files', { timeout: 60_000 }, async () => {
    const one = selfSignedCertificate(tempDir());
    const other = selfSignedCertificate(tempDir());
    await assert.rejects(start(tempDir(), '0.0.0.0', { certFile: one.certFile, keyFile: other.keyFile }), (error: Error) => error.message.includes(one.certFile) && error.message.includes(other.keyFile));
  });

  it('loopback stays plain HTTP', { timeout: 60_000 }, async () => {
    const runtime = await start(tempDir(), '127.0.0.1');
    try {
      assert.match(runtime.server!.baseUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(await httpStatus(`${runtime.server!.baseUrl}/index.html`), 200);
    } finally {
      await runtime.close();
    }
  });

  it('the command line takes --tls-cert and --tls-key together (or IOC_WALL_TLS_CERT / IOC_WALL_TLS_KEY), never one alone', () => {
    const defaults = { layoutsDir, dataDir: tempDir() };
    assert.deepEqual(parseHostArgs(['--tls-cert', '/etc/ioc/cert.pem', '--tls-key', '/etc/ioc/key.pem'], {}, defaults).tls, { certFile: '/etc/ioc/cert.pem', keyFile: '/etc/ioc/key.pem' });
    assert.deepEqual(parseHostArgs([], { IOC_WALL_TLS_CERT: '/c.pem', IOC_WALL_TLS_KEY: '/k.pem' }, defaults).tls, { certFile: '/c.pem', keyFile: '/k.pem' });
    assert.equal(parseHostArgs([], {}, defaults).tls, undefined);
    assert.throws(() => parseHostArgs(['--tls-cert', '/etc/ioc/cert.pem'], {}, defaults), /--tls-cert and --tls-key go together/);
  });
});
