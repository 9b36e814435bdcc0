/**
 * Renderer side of the Electron IPC transport: the sandboxed preload exposes only
 * `window.iocBridge` with invoke/subscribe for allow-listed channels (see preload/preload.ts).
 */
import type { ClientTransport } from '../channel.js';
import { ContractError, wireError } from '../contract.js';

export interface IocBridge {
  invoke(method: string, payload: unknown): Promise<{ ok: true; payload: unknown } | { ok: false; error: unknown }>;
  subscribe(event: string, listener: (payload: unknown) => void): () => void;
}

declare global {
  interface Window {
    iocBridge?: IocBridge;
  }
}

export function electronIpcTransport(bridge: IocBridge): ClientTransport {
  return {
    async invoke(method, payload) {
      const answer = await bridge.invoke(method, payload);
      if (answer.ok) return answer.payload;
      const parsed = wireError.safeParse(answer.error);
      throw parsed.success ? ContractError.fromWire(parsed.data) : new ContractError('internal', 'malformed error from host');
    },
    subscribe: (event, listener) => bridge.subscribe(event, listener),
    // IPC has no link to lose while the window lives.
    onLink(listener) {
      queueMicrotask(() => listener(true));
      return () => {};
    },
    close() {},
  };
}
