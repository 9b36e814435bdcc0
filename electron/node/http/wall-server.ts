/**
 * Serves the wall over HTTP and WebSocket (HTTPS and WSS off loopback, tls-files.ts): the built renderer, the map's data (to a signed-in
 * session's or an enrolled display's credential, as a Bearer header), and `/ws` with an Origin
 * check, each connection one core session (which proves who it is in session.hello). Every
 * request and upgrade must name one of the host's own addresses in Host. Used by the Chromium
 * host's windows and by display PCs on the LAN.
 */
import type { AddressInfo } from 'node:net';
import { sendEvent, serveOverPort } from '../../../native-bridge/channel.js';
import { attachWebSocketGateway, type RefusalInfo } from '../../../native-bridge/transports/websocket-server.js';
import type { AlertService } from '../alert-service.js';
import type { Core } from '../core.js';
import { originAuthority } from '../../common/request-target.js';
import { hostAuthorities } from './host-names.js';
import { createStaticServer, type DataRoutes } from './static-server.js';
import { dataAuthorizer } from '../displays/data-credentials.js';
import { summarisedLog, truncated } from './summarised-log.js';
import { spkiPin, type ServerTls } from './tls-files.js';

export interface WallServerOptions {
  rendererDir: string;
  listenHost: string;
  port: number;
  /** Answers /basemap/* and /gis/* (the GIS service). */
  route: DataRoutes;
  /** More names display PCs reach the host by (e.g. a DNS name), besides loopback and its addresses. */
  hostNames?: readonly string[];
  /** Serve HTTPS/WSS with this certificate and key (serverTls in tls-files.ts: required off loopback); null = plain HTTP. */
  tls: ServerTls | null;
  /** The base URLs of the wall's pair (both nodes, as the wall file names them): pages served by the other node may open /ws here. */
  pairAddresses?: readonly string[];
  log: (line: string) => void;
}

export interface WallServer {
  baseUrl: string;
  /** The URL a window opens: its id in the query and nothing secret (it is on the window's command line). */
  windowUrl(windowId: string): string;
  refusedCount(): number;
  /** The served certificate's public key pin (spkiPin), null over plain HTTP: the host's own windows trust it. */
  certificatePin: string | null;
  close(): Promise<void>;
}

export async function startWallServer(core: Pick<Core, 'openSession' | 'alerts' | 'auth' | 'displays'>, options: WallServerOptions): Promise<WallServer> {
  const { log, listenHost } = options;
  let refused = 0;
  // a flood or a scan must not become a line per refusal (native-bridge/limits.ts: refusalLogIntervalMs)
  const logRefusal = summarisedLog(log);
  const securityAlerts = rateLimitedAlerts(core.alerts);
  const onRefused = (refusal: RefusalInfo) => {
    refused++;
    logRefusal('connection-refused', refusal);
    securityAlerts(refusal);
  };
  // the port is known once listening; until then no request can arrive
  let allowedAuthorities: () => ReadonlySet<string> = () => new Set();
  const { tls } = options;
  const pairAddresses = options.pairAddresses ?? [];
  const http = createStaticServer(options.rendererDir, { allowedAuthorities: () => allowedAuthorities(), data: { routes: options.route, authorized: dataAuthorizer(core) }, onRefused, tls, pairOrigins: new Set(pairAddresses.map((a) => new URL(a).origin)) });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port, listenHost, () => resolve());
  });
  const port = (http.address() as AddressInfo).port;
  allowedAuthorities = hostAuthorities({ listenHost, port, extraNames: options.hostNames });
  const baseUrl = `${tls ? 'https' : 'http'}://${listenHost === '0.0.0.0' || listenHost === '::' ? '127.0.0.1' : listenHost}:${port}`;

  const gateway = attachWebSocketGateway({
    server: http,
    path: '/ws',
    allowedAuthorities: () => allowedAuthorities(),
    extraOrigins: pairOriginAuthorities(pairAddresses, tls !== null),
    onConnection(socketPort, { remote }) {
      const session = core.openSession((event, payload) => sendEvent(socketPort, event, payload), { end: (reason) => socketPort.close(reason) });
      socketPort.onClose(() => session.close());
      serveOverPort(session, socketPort, (rejection) => {
        refused++;
        logRefusal('message-rejected', { ...rejection, remote });
      });
    },
    onRefused,
    onDropped(info) {
      refused++;
      logRefusal('connection-dropped', info);
    },
  });

  return {
    baseUrl,
    windowUrl: (windowId) => `${baseUrl}/index.html?window=${windowId}`,
    refusedCount: () => refused,
    certificatePin: tls ? spkiPin(tls.cert) : null,
    async close() {
      await gateway.close();
      logRefusal.close();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

/** The pair's addresses as Origin authorities; only those of the scheme this host serves (an http page may not open a wss host). */
function pairOriginAuthorities(addresses: readonly string[], tls: boolean): ReadonlySet<string> {
  return new Set(addresses.map((address) => originAuthority(new URL(address).origin, tls)).filter((name): name is string => name !== null));
}

/** Why a request was refused, as operators read it. */
const REFUSAL_TEXT: Record<string, { vi: string; en: string }> = {
  target: { vi: 'yêu cầu không hợp lệ', en: 'malformed request' },
  host: { vi: 'tên máy chủ lạ trong tiêu đề Host', en: 'unknown name in the Host header' },
  'data-credential': { vi: 'tải dữ liệu bản đồ không có phiên đăng nhập hay khóa màn hình hợp lệ', en: 'map data requested without a valid session or display credential' },
  origin: { vi: 'nguồn (Origin) không được phép', en: 'origin not allowed' },
};

/** One alert a minute at most: a scan must not flood the operators' alert list. */
function rateLimitedAlerts(alerts: AlertService): (refusal: RefusalInfo) => void {
  let last = 0;
  return (refusal) => {
    // refusals of no security weight (a wrong path, a busy data route) are only logged
    const text = REFUSAL_TEXT[refusal.kind];
    if (!text || Date.now() - last <= 60_000) return;
    last = Date.now();
    const remote = truncated(refusal.remote);
    alerts.raise('warning', 'security', {
      vi: `Từ chối kết nối tới máy chủ tường: ${text.vi} (từ ${remote})`,
      en: `Refused a connection to the wall host: ${text.en} (from ${remote})`,
    });
  };
}
