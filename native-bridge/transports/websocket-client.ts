/**
 * Browser side of the WebSocket transport (Chromium host). Reconnects with capped backoff; the
 * renderer resyncs by revision whenever the link comes back.
 */
import { PortClientTransport, type MessagePortLike } from '../channel.js';

export function connectWebSocket(url: string): PortClientTransport {
  const transport = new PortClientTransport();
  let delay = 250;
  let stopped = false;
  const open = () => {
    const socket = new WebSocket(url);
    let opened = false;
    const closeListeners: (() => void)[] = [];
    const port: MessagePortLike = {
      send: (data) => socket.send(data),
      onMessage: (l) => socket.addEventListener('message', (e) => l(String(e.data))),
      onClose: (l) => void closeListeners.push(l),
      close: () => socket.close(),
    };
    socket.addEventListener('open', () => {
      opened = true;
      delay = 250;
      transport.attach(port);
    });
    socket.addEventListener('close', () => {
      if (opened) closeListeners.forEach((l) => l());
      if (stopped) return;
      setTimeout(open, delay);
      delay = Math.min(delay * 2, 5000);
    });
  };
  open();
  const close = transport.close.bind(transport);
  transport.close = () => {
    stopped = true;
    close();
  };
  return transport;
}
