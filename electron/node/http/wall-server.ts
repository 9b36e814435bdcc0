/**
 * Serves the wall over HTTP and WebSocket: the built renderer and the map's data, and `/ws` with a
 * per-launch token and an Origin check, each connection one core session. Used by the Chromium
 * host's windows and by display PCs on the LAN.
 */
import type { AddressInfo } from 'node:net';
import { sendEvent, serveOverPort } from '../../../native-bridge/channel.js';
import { attachWebSocketGateway } from '../../../native-bridge/transports/websocket-server.js';
import type { AlertService } from '../alert-service.js';
import type { Core } from '../core.js';
import { createStaticServer, type DataRoutes } from './static-server.js';
import { summarisedLog } from './summarised-log.js';

export interface WallServerOptions {
  rendererDir: string;
  listenHost: string;
  port: number;
  token: string;
  /** Answers /basemap/* and /gis/* (the GIS service). */
  route: DataRoutes;
  log: (line: string) => void;
}

export interface WallServer {
  baseUrl: string;
  /** The URL a window opens: its id in the query, the token in the fragment (never sent in a request line). */
  windowUrl(windowId: string): string;
  refusedCount(): number;
  close(): Promise<void>;
}

export async function startWallServer(core: Pick<Core, 'openSession' | 'alerts'>, options: WallServerOptions): Promise<WallServer> {
  const { log, token, listenHost } = options;
  const http = createStaticServer(options.rendererDir, options.route);
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port, listenHost, () => resolve());
  });
  const port = (http.address() as AddressInfo).port;
  const baseUrl = `http://${listenHost === '0.0.0.0' ? '127.0.0.1' : listenHost}:${port}`;
  const allowedOrigins = [`http://127.0.0.1:${port}`, `http://localhost:${port}`, `http://${listenHost}:${port}`];

  let refused = 0;
  const securityAlerts = rateLimitedAlerts(core.alerts);
  // a flood or a scan must not become a line per refusal (native-bridge/limits.ts: refusalLogIntervalMs)
  const logRefusal = summarisedLog(log);
  const gateway = attachWebSocketGateway({
    server: http,
    path: '/ws',
    token,
    allowedOrigins: () => allowedOrigins,
    onConnection(socketPort, { remote }) {
      const session = core.openSession((event, payload) => sendEvent(socketPort, event, payload));
      socketPort.onClose(() => session.close());
      serveOverPort(session, socketPort, (rejection) => {
        refused++;
        logRefusal('message-rejected', { ...rejection, remote });
      });
    },
    onRefused(info) {
      refused++;
      logRefusal('connection-refused', info);
      securityAlerts(info);
    },
    onDropped(info) {
      refused++;
      logRefusal('connection-dropped', info);
    },
  });

  return {
    baseUrl,
    windowUrl: (windowId) => `${baseUrl}/index.html?window=${windowId}#token=${token}`,
    refusedCount: () => refused,
    async close() {
      await gateway.close();
      logRefusal.close();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

/** One alert a minute at most: a scan must not flood the operators' alert list. */
function rateLimitedAlerts(alerts: AlertService): (info: { reason: string; remote: string }) => void {
  let last = 0;
  return (info) => {
    if (Date.now() - last <= 60_000) return;
    last = Date.now();
    alerts.raise('warning', 'security', {
      vi: `Từ chối kết nối tới máy chủ tường: ${info.reason} (${info.remote})`,
      en: `Refused a connection to the wall host: ${info.reason} (${info.remote})`,
    });
  };
}
