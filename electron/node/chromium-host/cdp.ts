/**
 * A minimal DevTools protocol session over a window's DevTools socket (devtools-relay.ts: the
 * unix socket relaying its --remote-debugging-pipe; NUL-terminated JSON messages). A page session
 * is a flattened target session; `browser` calls go to the browser target on the same connection
 * (the relay serves one client at a time). Unlike a Playwright attach it enables no domain by
 * itself: Network.enable would make the renderer keep every response body (each camera segment)
 * for DevTools, memory the window itself never holds.
 */
import { connect, type Socket } from 'node:net';

interface TargetInfo {
  targetId: string;
  type: string;
  url: string;
}

/** Answers bigger than this (a screenshot is a few MB) end the connection rather than the host's memory. */
const MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

export class CdpSession {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private sessionId: string | undefined;

  private constructor(private readonly socket: Socket) {
    let buffered: Buffer[] = [];
    let size = 0;
    socket.on('data', (chunk: Buffer) => {
      let start = 0;
      for (let end = chunk.indexOf(0); end !== -1; end = chunk.indexOf(0, start)) {
        buffered.push(chunk.subarray(start, end));
        this.receive(Buffer.concat(buffered).toString('utf8'));
        buffered = [];
        size = 0;
        start = end + 1;
      }
      if (start < chunk.length) {
        buffered.push(chunk.subarray(start));
        size += chunk.length - start;
        if (size > MAX_MESSAGE_BYTES) socket.destroy(new Error('DevTools message too large'));
      }
    });
    const fail = () => {
      for (const call of this.pending.values()) call.reject(new Error('DevTools connection closed'));
      this.pending.clear();
    };
    socket.on('close', fail);
    socket.on('error', fail);
  }

  private receive(text: string): void {
    let message: { id?: number; result?: unknown; error?: { message: string } };
    try {
      message = JSON.parse(text) as typeof message;
    } catch {
      return;
    }
    const call = message.id === undefined ? undefined : this.pending.get(message.id);
    if (!call) return;
    this.pending.delete(message.id!);
    if (message.error) call.reject(new Error(message.error.message));
    else call.resolve(message.result);
  }

  private static async connect(socketPath: string): Promise<CdpSession> {
    const socket = connect(socketPath);
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    // the relay ends a second client at once: say so instead of waiting on a dead socket
    const session = new CdpSession(socket);
    await session.browser('Browser.getVersion').catch((error: Error) => {
      throw new Error(`the DevTools socket ${socketPath} answered nothing (another tool attached?): ${error.message}`);
    });
    return session;
  }

  /** The first page of the window whose DevTools socket is `socketPath` that `accept` takes (any page by default). */
  static async openPage(socketPath: string, accept: (url: string) => boolean = () => true): Promise<CdpSession> {
    const session = await CdpSession.connect(socketPath);
    try {
      const { targetInfos } = await session.browser<{ targetInfos: TargetInfo[] }>('Target.getTargets');
      const page = targetInfos.find((t) => t.type === 'page' && accept(t.url));
      if (!page) throw new Error(`no such page in the window at ${socketPath}`);
      const { sessionId } = await session.browser<{ sessionId: string }>('Target.attachToTarget', { targetId: page.targetId, flatten: true });
      session.sessionId = sessionId;
      return session;
    } catch (error) {
      session.close();
      throw error;
    }
  }

  /** A call to the page this session attached to. */
  send<T>(method: string, params: object = {}): Promise<T> {
    return this.call<T>(method, params, this.sessionId);
  }

  /** A call to the window's browser target (SystemInfo, Tracing, Target). */
  browser<T>(method: string, params: object = {}): Promise<T> {
    return this.call<T>(method, params, undefined);
  }

  private call<T>(method: string, params: object, sessionId: string | undefined): Promise<T> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (this.socket.destroyed) return reject(new Error('DevTools connection closed'));
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.socket.write(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }) + '\0');
    });
  }

  async evaluate<T>(expression: string): Promise<T> {
    const { result, exceptionDetails } = await this.send<{ result: { value: T }; exceptionDetails?: { exception?: { description?: string }; text: string } }>('Runtime.evaluate', {
      expression,
      returnByValue: true,
      awaitPromise: true,
    });
    if (exceptionDetails) throw new Error(exceptionDetails.exception?.description ?? exceptionDetails.text);
    return result.value;
  }

  close(): void {
    this.socket.end();
  }
}
