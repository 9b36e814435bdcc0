/**
 * The Chromium host's own windows over HTTPS/WSS (--listen 0.0.0.0 with a self-signed certificate
 * made here): each window trusts the host's certificate by its public key pin alone, loads the wall
 * over https:, and the console signs in over WSS. Without the pin Chromium shows a certificate error
 * page instead, and the sign-in form never appears.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { spawnHost, type HostProcess } from '../support/host-process.js';
import { tempDir } from '../support/fixtures.js';
import { selfSignedCertificate } from '../support/tls.js';
import { attachWindows, detach, type Windows } from '../support/windows.js';

describe('the Chromium host’s windows over TLS (real Chromium)', () => {
  let host: HostProcess;
  let windows: Windows | undefined;
  before(async () => {
    const cert = selfSignedCertificate(tempDir());
    host = await spawnHost({ dataDir: tempDir(), windows: 'headless', args: ['--listen', '0.0.0.0', '--tls-cert', cert.certFile, '--tls-key', cert.keyFile] });
  });
  after(async () => {
    if (windows) await detach(windows);
    await host?.stop();
  });

  it('every window loads over https: and the console signs in over wss:', { timeout: 180_000 }, async () => {
    assert.match(host.runtime.baseUrl, /^https:\/\//);
    windows = await attachWindows(host);
    assert.ok(windows.console.url().startsWith('https://127.0.0.1:'), windows.console.url());
    assert.ok(windows.displays.size > 0);
    for (const [id, page] of windows.displays) assert.ok(page.url().startsWith('https://'), `${id}: ${page.url()}`);
  });
});
