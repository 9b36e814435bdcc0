/**
 * What an HTTP request asks for, read defensively: the request line and the Host header come from
 * the network (a window, a display PC, anything on the LAN), so a value that does not parse is an
 * answer ("400"), never an exception. Pure: no Node, no DOM.
 */

export interface RequestTarget {
  /** The parsed target (query in searchParams); its host part is a placeholder. */
  url: URL;
  /** The percent-decoded path, never containing a NUL. */
  path: string;
}

/**
 * An origin-form target ("/index.html?x=1") as a URL and its decoded path, or null for anything
 * else: a bad percent-escape ("/%zz"), a path with a NUL, an absolute form ("http://[::1") or one
 * that starts like an authority ("//[", which URL parsers read as a host). The host serves no
 * proxy and no path of its own starts with "//", so only a plain origin-form is valid.
 */
export function parseRequestTarget(target: string | undefined): RequestTarget | null {
  if (!target || !target.startsWith('/') || target.startsWith('//')) return null;
  let url: URL;
  let path: string;
  try {
    // a fixed origin in front: the target is only ever a path and a query here
    url = new URL(`http://target.invalid${target}`);
    path = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  return path.includes('\0') ? null : { url, path };
}

/** "name:port" of a host name and port, IPv6 in brackets: the form the checks below compare. */
export function authority(name: string, port: number): string {
  const host = name.includes(':') && !name.startsWith('[') ? `[${name}]` : name;
  return `${host.toLowerCase()}:${port}`;
}

const AUTHORITY = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\d{1,5}))?$/;

/** The Host header as "name:port" (the scheme's port when it names none: 80, or 443 over TLS), or null when it is no host name. */
export function hostHeaderAuthority(header: string | undefined, defaultPort = 80): string | null {
  const match = AUTHORITY.exec((header ?? '').trim().toLowerCase());
  return match ? `${match[1]}:${match[2] ?? String(defaultPort)}` : null;
}

/**
 * An Origin header as "name:port", or null (another scheme, "null", garbage). Only the scheme the
 * host serves counts: a plain-HTTP page may not open the WebSocket of a host serving TLS.
 */
export function originAuthority(origin: string | undefined, tls = false): string | null {
  const scheme = tls ? 'https://' : 'http://';
  if (!origin?.startsWith(scheme)) return null;
  const rest = origin.slice(scheme.length);
  return rest.includes('/') ? null : hostHeaderAuthority(rest, tls ? 443 : 80);
}
