/**
 * The names a wall host is reached by, as "name:port": the Host header of every request and the
 * Origin of every WebSocket upgrade must be one of them. A page of another site whose DNS name was
 * rebound to this machine sends its own name in Host and is refused; a display PC that opened the
 * host by its LAN address sends that address and is let in.
 */
import { networkInterfaces } from 'node:os';
import { authority } from '../../common/request-target.js';

const LOOPBACK = ['127.0.0.1', 'localhost', '::1'];
const WILDCARDS = new Set(['0.0.0.0', '::']);
/** Interfaces come and go (DHCP, a cable): re-read them at most this often. */
const REFRESH_MS = 10_000;

export interface HostNamesOptions {
  listenHost: string;
  port: number;
  /** More names display PCs use for the host (a DNS name of the control room's network). */
  extraNames?: readonly string[];
}

/** The allowed authorities, re-read when the interfaces may have changed. */
export function hostAuthorities(options: HostNamesOptions): () => ReadonlySet<string> {
  const fixed = [...LOOPBACK, ...(options.extraNames ?? [])];
  if (!WILDCARDS.has(options.listenHost)) fixed.push(options.listenHost);
  let cached: ReadonlySet<string> | null = null;
  let readAt = 0;
  return () => {
    if (cached && Date.now() - readAt < REFRESH_MS) return cached;
    const names = WILDCARDS.has(options.listenHost) ? fixed.concat(interfaceAddresses()) : fixed;
    cached = new Set(names.map((name) => authority(name, options.port)));
    readAt = Date.now();
    return cached;
  };
}

function interfaceAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flatMap((addresses) => addresses ?? [])
    // a link-local IPv6 address needs its zone in a URL (fe80::1%eth0), which no Origin carries
    .filter((a) => !(a.family === 'IPv6' && a.address.startsWith('fe80:')))
    .map((a) => a.address);
}
