/**
 * A minimal DevTools protocol session on one target of a window's loopback endpoint. Unlike a
 * Playwright attach it enables no domain by itself: Network.enable would make the renderer keep
 * every response body (each camera segment) for DevTools, memory the window itself never holds.
 */
import WebSocket from 'ws';

interface CdpTarget {
  type: string;
  url: string;
  webSocketDebuggerUrl: string;
}

export class CdpSession {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString()) as { id?: number; result?: unknown; error?: { message: string } };
      const call = message.id === undefined ? undefined : this.pending.get(message.id);
      if (!call) return;
      this.pending.delete(message.id!);
      if (message.error) call.reject(new Error(message.error.message));
      else call.resolve(message.result);
    });
    socket.on('close', () => {
      for (const call of this.pending.values()) call.reject(new Error('DevTools connection closed'));
      this.pending.clear();
    });
  }

  private static async connect(webSocketUrl: string): Promise<CdpSession> {
    const socket = new WebSocket(webSocketUrl, { maxPayload: 256 * 1024 * 1024 });
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    return new CdpSession(socket);
  }

  /** The first page of the window at `cdpUrl` that `accept` takes (any page by default). */
  static async openPage(cdpUrl: string, accept: (url: string) => boolean = () => true): Promise<CdpSession> {
    const targets = (await (await fetch(`${cdpUrl}/json/list`)).json()) as CdpTarget[];
    const page = targets.find((t) => t.type === 'page' && accept(t.url));
    if (!page) throw new Error(`no such page in the window at ${cdpUrl}`);
    return CdpSession.connect(page.webSocketDebuggerUrl);
  }

  /** The window's browser target (SystemInfo, Tracing). */
  static async openBrowser(cdpUrl: string): Promise<CdpSession> {
    const version = (await (await fetch(`${cdpUrl}/json/version`)).json()) as { webSocketDebuggerUrl: string };
    return CdpSession.connect(version.webSocketDebuggerUrl);
  }

  send<T>(method: string, params: object = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      // on a closed socket ws reports through this callback only: without it the call would wait forever
      this.socket.send(JSON.stringify({ id, method, params }), (error) => {
        if (!error) return;
        this.pending.delete(id);
        reject(error);
      });
    });
  }

  async evaluate<T>(expression: string): Promise<T> {
    const { result, exceptionDetails } = await this.send<{ result: { value: T }; exceptionDetails?: { exception?: { description?: string }; text: string } }>('Runtime.evaluate', {
      expression,
      returnByValue: true,
    });
    if (exceptionDetails) throw new Error(exceptionDetails.exception?.description ?? exceptionDetails.text);
    return result.value;
  }

  close(): void {
    this.socket.close();
  }
}
