/**
 * Which URLs a wall or console window may fetch. The app's own pages come from app://; media and
 * gateways live on the control room's network. Nothing goes to the internet: the wall must run
 * unchanged on an air-gapped network, and a remote request there is a bug (a CDN loader, a font).
 * Pure: no Node, no DOM.
 */

const LOCAL_SCHEMES = new Set(['app:', 'data:', 'blob:', 'devtools:', 'about:']);
const NETWORK_SCHEMES = new Set(['http:', 'https:', 'ws:', 'wss:']);

function ipv4(host: string): number[] | null {
  const parts = host.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p))) return null;
  const octets = parts.map(Number);
  return octets.every((o) => o <= 255) ? octets : null;
}

/** Loopback, private (RFC 1918 / ULA) and link-local addresses, and names that only resolve locally. */
export function isLocalNetworkHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (host.startsWith('[') && host.endsWith(']')) {
    const v6 = host.slice(1, -1);
    if (v6 === '::1') return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(v6);
    if (mapped) return isLocalNetworkHost(mapped[1]!);
    return /^f[cd][0-9a-f]{0,2}:/.test(v6) || /^fe[89ab][0-9a-f]?:/.test(v6);
  }
  const v4 = ipv4(host);
  if (v4) {
    const [a, b] = v4 as [number, number, number, number];
    return a === 127 || a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254);
  }
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  // single-label names (camera-01) and mDNS / home-network suffixes resolve on the local network
  return !host.includes('.') || host.endsWith('.local') || host.endsWith('.lan') || host.endsWith('.internal') || host.endsWith('.home.arpa');
}

/** Whether a window may load this URL (extraHosts: host names allowed in addition, e.g. from configuration). */
export function isAllowedRequestUrl(url: string, extraHosts: readonly string[] = []): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (LOCAL_SCHEMES.has(parsed.protocol)) return true;
  if (!NETWORK_SCHEMES.has(parsed.protocol)) return false;
  const host = parsed.hostname.toLowerCase();
  return isLocalNetworkHost(host) || extraHosts.some((h) => h.toLowerCase() === host);
}
