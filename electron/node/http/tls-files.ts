/**
 * Encryption in transit for the wall's HTTP and WebSocket serving. On loopback the wall stays plain
 * HTTP (nothing leaves the machine); on any other address the host serves HTTPS and WSS only, with
 * the certificate and private key the site gives (--tls-cert / --tls-key, PEM), TLS 1.2 at least,
 * and refuses to start without them rather than put the operators' sign-in and the wall's data on
 * the network in the clear.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { createSecureContext, type SecureContextOptions } from 'node:tls';

/** Where the certificate (chain) and its private key are, both PEM. */
export interface TlsFiles {
  certFile: string;
  keyFile: string;
}

export const TLS_MIN_VERSION = 'TLSv1.2';

/** What the HTTPS server starts with: the PEM files' bytes and the lowest TLS version it accepts. */
export type ServerTls = SecureContextOptions & { cert: Buffer; key: Buffer };

/** 127.0.0.0/8, ::1 and localhost: addresses no other machine can reach. */
export function isLoopbackAddress(host: string): boolean {
  const name = host.toLowerCase().replace(/^\[|\]$/g, '');
  if (name === 'localhost' || name === '::1') return true;
  return isIP(name) === 4 && name.startsWith('127.');
}

function readPem(file: string, what: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new Error(`TLS ${what} ${file}: cannot read it (${(error as Error).message})`);
  }
}

/**
 * What the HTTPS server is started with, or null for plain HTTP (loopback without TLS files).
 * Throws, naming the address or the file, when TLS is needed and missing, or the files are unusable.
 */
export function serverTls(listenHost: string, files: TlsFiles | undefined): ServerTls | null {
  if (!files) {
    if (isLoopbackAddress(listenHost)) return null;
    throw new Error(
      `--listen ${listenHost} is not a loopback address: the wall would be served unencrypted on the network. ` +
        `Give a certificate and its private key (--tls-cert <cert.pem> --tls-key <key.pem>, or IOC_WALL_TLS_CERT / IOC_WALL_TLS_KEY) to serve HTTPS and WSS, or listen on 127.0.0.1`,
    );
  }
  const options: ServerTls = { cert: readPem(files.certFile, 'certificate'), key: readPem(files.keyFile, 'private key'), minVersion: TLS_MIN_VERSION };
  try {
    createSecureContext(options);
  } catch (error) {
    throw new Error(`TLS certificate ${files.certFile} with private key ${files.keyFile} cannot be used (${(error as Error).message}): both must be PEM and the key must be the certificate's`);
  }
  return options;
}

/**
 * The certificate's public key pin (base64 SHA-256 of its SubjectPublicKeyInfo), as Chromium's
 * --ignore-certificate-errors-spki-list takes it: the Chromium host's own windows then trust this
 * one key, and only it, whoever issued the certificate.
 */
export function spkiPin(certPem: Buffer): string {
  const spki = new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('base64');
}
