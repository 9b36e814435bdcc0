/**
 * Renderer side of the Electron IPC transport. The sandboxed preload exposes only
 * `window.iocBridge`, which moves contract envelopes (strings) to and from the main process
 * (see preload/preload.ts); this side reads them with the same PortClientTransport as the
 * WebSocket, so both hosts validate every frame the same way.
 */
import { PortClientTransport, type ClientTransport } from '../channel.js';
import { createRelayPort } from './relay-port.js';

export interface IocBridge {
  send(data: string): void;
  onMessage(listener: (data: string) => void): void;
}

declare global {
  interface Window {
    iocBridge?: IocBridge;
  }
}

export function electronIpcTransport(bridge: IocBridge): ClientTransport {
  const relay = createRelayPort((data) => bridge.send(data));
  bridge.onMessage((data) => relay.receive(data));
  const transport = new PortClientTransport();
  transport.attach(relay.port);
  return {
    invoke: (method, payload) => transport.invoke(method, payload),
    subscribe: (event, listener) => transport.subscribe(event, listener),
    // IPC has no link to lose while the window lives: it is up from the start.
    onLink(listener) {
      queueMicrotask(() => listener(true));
      return transport.onLink(listener);
    },
    close: () => transport.close(),
  };
}
