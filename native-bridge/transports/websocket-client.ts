/**
 * Browser side of the WebSocket transport (Chromium host). Reconnects with capped backoff; the
 * renderer resyncs by revision whenever the link comes back. The URL is asked again for every
 * attempt, so a window of a pair can move to the other node (renderer/session/node-follower.ts).
 */
import { PortClientTransport, type MessagePortLike } from '../channel.js';

export interface WebSocketTransport extends PortClientTransport {
  /** Drops the current socket (if any) and connects again at once, to whatever `url()` says now. */
  reconnectNow(): void;
}

export interface WebSocketOptions {
  /** An attempt that never opened (refused, unreachable): the caller may change what `url()` answers. */
  onAttemptFailed?: () => void;
}

export function connectWebSocket(url: string | (() => string), options: WebSocketOptions = {}): WebSocketTransport {
  const transport = new PortClientTransport() as WebSocketTransport;
  const urlNow = typeof url === 'string' ? () => url : url;
  let delay = 250;
  let stopped = false;
  let socket: WebSocket | null = null;
  let retry: ReturnType<typeof setTimeout> | null = null;
  const open = () => {
    retry = null;
    const current = new WebSocket(urlNow());
    socket = current;
    let opened = false;
    const closeListeners: (() => void)[] = [];
    const port: MessagePortLike = {
      send: (data) => current.send(data),
      onMessage: (l) => current.addEventListener('message', (e) => l(String(e.data))),
      onClose: (l) => void closeListeners.push(l),
      close: () => current.close(),
    };
    current.addEventListener('open', () => {
      opened = true;
      delay = 250;
      transport.attach(port);
    });
    current.addEventListener('close', () => {
      // a socket replaced by reconnectNow has a successor already: only its link ends
      const replaced = socket !== current;
      if (opened) closeListeners.forEach((l) => l());
      else if (!replaced && !stopped) options.onAttemptFailed?.();
      if (stopped || replaced) return;
      socket = null;
      retry = setTimeout(open, delay);
      delay = Math.min(delay * 2, 5000);
    });
  };
  open();
  transport.reconnectNow = () => {
    if (stopped) return;
    if (retry) clearTimeout(retry);
    const old = socket;
    delay = 250;
    open();
    old?.close();
  };
  const close = transport.close.bind(transport);
  transport.close = () => {
    stopped = true;
    if (retry) clearTimeout(retry);
    close();
  };
  return transport;
}
