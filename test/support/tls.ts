/** TLS for tests: a self-signed certificate made with the system's openssl, and an HTTPS GET that trusts it. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { get, type RequestOptions } from 'node:https';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import type { TlsFiles } from '../../electron/node/http/tls-files.js';

/** A P-256 certificate for localhost, 127.0.0.1 and `ips`, with its key, in `dir`; `pem` is what a client trusts it by. */
export function selfSignedCertificate(dir: string, ips: readonly string[] = []): TlsFiles & { pem: string } {
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  const names = ['DNS:localhost', ...['127.0.0.1', ...ips].map((ip) => `IP:${ip}`)].join(',');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '2', '-subj', '/CN=ioc-wall-test', '-addext', `subjectAltName=${names}`], { stdio: 'ignore' });
  return { certFile, keyFile, pem: readFileSync(certFile, 'utf8') };
}

/** GET over HTTPS trusting `ca` only: the status and the TLS version negotiated. */
export function httpsStatus(url: string, ca: string | undefined, headers: RequestOptions['headers'] = {}): Promise<{ status: number; protocol: string | null }> {
  return new Promise((resolve, reject) => {
    const request = get(url, { ca, headers }, (response) => {
      response.resume();
      resolve({ status: response.statusCode ?? 0, protocol: (response.socket as TLSSocket).getProtocol() });
    });
    request.on('error', reject);
    request.setTimeout(10_000, () => request.destroy(new Error(`${url}: timed out`)));
  });
}
