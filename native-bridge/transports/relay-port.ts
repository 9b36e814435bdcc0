/**
 * A MessagePortLike over any send function: what arrives is handed to receive(), close() ends it
 * once. Used where the bytes travel over something that is not a socket (Electron IPC: the main
 * side and the preload's bridge), so those links are served and read by the same serveOverPort /
 * PortClientTransport as the WebSocket.
 */
import type { MessagePortLike } from '../channel.js';

export interface RelayPort {
  port: MessagePortLike;
  /** A frame from the other side. */
  receive(data: string): void;
  close(): void;
}

export function createRelayPort(send: (data: string) => void): RelayPort {
  const messageListeners: ((data: string) => void)[] = [];
  const closeListeners: (() => void)[] = [];
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    closeListeners.forEach((l) => l());
  };
  return {
    port: {
      send(data) {
        if (!closed) send(data);
      },
      onMessage: (l) => void messageListeners.push(l),
      onClose: (l) => void closeListeners.push(l),
      close,
    },
    receive(data) {
      if (!closed) messageListeners.forEach((l) => l(data));
    },
    close,
  };
}
