/**
 * Typed client/server proxy over the contract. Transports only move opaque payloads; this file is
 * where every request, response and event is validated, on both ends.
 */
import {
  contract,
  ContractError,
  envelope,
  MAX_MESSAGE_BYTES,
  parseOrThrow,
  type Envelope,
  type EventName,
  type EventOf,
  type MethodName,
  type RequestOf,
  type ResponseOf,
  type WireError,
} from './contract.js';
import type { z } from 'zod';

/** The renderer's view of a transport: invoke a method, subscribe to an event stream. */
export interface ClientTransport {
  invoke(method: string, payload: unknown): Promise<unknown>;
  subscribe(event: string, listener: (payload: unknown) => void): () => void;
  /** Called with true when (re)connected and false when the link drops. */
  onLink(listener: (up: boolean) => void): () => void;
  close(): void;
}

export class ContractClient {
  constructor(readonly transport: ClientTransport) {}

  async call<M extends MethodName>(method: M, request: RequestOf<M>): Promise<ResponseOf<M>> {
    const spec = contract.methods[method];
    const validRequest = parseOrThrow(spec.request, request, `request ${method}`);
    const raw = await this.transport.invoke(method, validRequest);
    return parseOrThrow(spec.response, raw, `response ${method}`) as ResponseOf<M>;
  }

  on<E extends EventName>(event: E, listener: (payload: EventOf<E>) => void): () => void {
    const schema = contract.events[event];
    return this.transport.subscribe(event, (raw) => {
      const parsed = schema.safeParse(raw);
      if (parsed.success) listener(parsed.data as EventOf<E>);
      else console.warn(`ioc-wall: dropped invalid ${event} event`, parsed.error.issues[0]);
    });
  }

  onLink(listener: (up: boolean) => void): () => void {
    return this.transport.onLink(listener);
  }
}

export type Handlers<Ctx> = {
  [M in MethodName]: (request: z.infer<(typeof contract.methods)[M]['request']>, ctx: Ctx) => Promise<ResponseOf<M>> | ResponseOf<M>;
};

/** Validates a request, runs its handler, validates the response. Bad input never reaches a handler. */
export class ContractServer<Ctx> {
  constructor(private readonly handlers: Handlers<Ctx>) {}

  async handle(method: string, payload: unknown, ctx: Ctx): Promise<unknown> {
    if (!Object.hasOwn(contract.methods, method)) throw new ContractError('unknown-method', `unknown method "${method}"`, 'method');
    const name = method as MethodName;
    const spec = contract.methods[name];
    const request = parseOrThrow(spec.request, payload, `request ${name}`, ['payload']);
    const handler = this.handlers[name] as (request: unknown, ctx: Ctx) => unknown;
    const response = await handler(request, ctx);
    const checked = spec.response.safeParse(response);
    if (!checked.success) throw new ContractError('internal', `host produced an invalid ${name} response`);
    return checked.data;
  }
}

/** Validates an event payload before it is sent, so a host bug cannot push bad data to windows. */
export function checkEvent<E extends EventName>(event: E, payload: EventOf<E>): EventOf<E> {
  return parseOrThrow(contract.events[event], payload, `event ${event}`) as EventOf<E>;
}

// ---------------------------------------------------------------------------------------------
// Message ports: the shape shared by the WebSocket and in-memory transports.

export interface MessagePortLike {
  send(data: string): void;
  onMessage(listener: (data: string) => void): void;
  onClose(listener: () => void): void;
  close(): void;
}

export function encode(message: Envelope): string {
  return JSON.stringify(message);
}

/** Parses one incoming frame; throws an "invalid" ContractError naming the field. */
export function decode(data: string): Envelope {
  if (data.length > MAX_MESSAGE_BYTES) throw new ContractError('invalid', `message of ${data.length} bytes exceeds ${MAX_MESSAGE_BYTES}`);
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    throw new ContractError('invalid', 'message is not JSON');
  }
  return parseOrThrow(envelope, json, 'envelope') as Envelope;
}

export interface RejectedMessage {
  reason: string;
  field?: string;
}

/** What a host offers one connection: requests in, validated answers out. */
export interface ServerSession {
  handle(method: string, payload: unknown): Promise<unknown>;
}

/** Sends one host event over a port. */
export function sendEvent(port: MessagePortLike, event: string, payload: unknown): void {
  port.send(encode({ t: 'evt', event, payload }));
}

/**
 * Serves one connection: requests are dispatched to the session, answers sent back. Malformed
 * frames are answered (when they carry an id) and reported to onRejected; they never reach a
 * handler.
 */
export function serveOverPort(session: ServerSession, port: MessagePortLike, onRejected: (rejection: RejectedMessage) => void = () => {}): void {
  port.onMessage((data) => {
    let message: Envelope;
    try {
      message = decode(data);
    } catch (error) {
      const e = error as ContractError;
      onRejected({ reason: e.message, ...(e.field ? { field: e.field } : {}) });
      return;
    }
    if (message.t !== 'req') {
      onRejected({ reason: `unexpected "${message.t}" frame from a client` });
      return;
    }
    const { id, method } = message;
    session.handle(method, message.payload).then(
      (payload) => port.send(encode({ t: 'res', id, ok: true, payload })),
      (error: unknown) => {
        const wire = toWireError(error, method);
        if (wire.code === 'invalid' || wire.code === 'unknown-method') onRejected({ reason: wire.message, ...(wire.field ? { field: wire.field } : {}) });
        port.send(encode({ t: 'res', id, ok: false, error: wire }));
      },
    );
  });
}

/** Any thrown value as a wire error; unexpected ones are logged and hidden behind "internal". */
export function toWireError(error: unknown, method: string): WireError {
  if (error instanceof ContractError) return error.toWire();
  console.error(`ioc-wall: ${method} failed`, error);
  return { code: 'internal', message: 'internal error' };
}

/**
 * A client transport over a port that can be replaced: when the link drops, pending calls fail
 * with "disconnected"; attach() with a fresh port resumes (subscriptions survive).
 */
export class PortClientTransport implements ClientTransport {
  private port: MessagePortLike | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: ReturnType<typeof setTimeout> }>();
  private readonly listeners = new Map<string, Set<(payload: unknown) => void>>();
  private readonly linkListeners = new Set<(up: boolean) => void>();

  constructor(private readonly timeoutMs = 15_000) {}

  attach(port: MessagePortLike): void {
    this.port = port;
    port.onMessage((data) => this.receive(data));
    port.onClose(() => {
      if (this.port !== port) return;
      this.port = null;
      this.failPending(new ContractError('disconnected', 'link to the host was lost'));
      this.linkListeners.forEach((l) => l(false));
    });
    this.linkListeners.forEach((l) => l(true));
  }

  get connected(): boolean {
    return this.port !== null;
  }

  invoke(method: string, payload: unknown): Promise<unknown> {
    const port = this.port;
    if (!port) return Promise.reject(new ContractError('disconnected', 'not connected to the host'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new ContractError('timeout', `${method} got no answer in ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      port.send(encode({ t: 'req', id, method, payload }));
    });
  }

  subscribe(event: string, listener: (payload: unknown) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  onLink(listener: (up: boolean) => void): () => void {
    this.linkListeners.add(listener);
    return () => this.linkListeners.delete(listener);
  }

  close(): void {
    const port = this.port;
    this.port = null;
    this.failPending(new ContractError('disconnected', 'client closed'));
    port?.close();
  }

  private receive(data: string): void {
    let message: Envelope;
    try {
      message = decode(data);
    } catch (error) {
      console.warn('ioc-wall: dropped a malformed frame from the host', (error as Error).message);
      return;
    }
    if (message.t === 'evt') {
      this.listeners.get(message.event)?.forEach((l) => l(message.payload));
    } else if (message.t === 'res') {
      const call = this.pending.get(message.id);
      if (!call) return;
      this.pending.delete(message.id);
      clearTimeout(call.timer);
      if (message.ok) call.resolve(message.payload);
      else call.reject(ContractError.fromWire(message.error));
    }
  }

  private failPending(error: Error): void {
    for (const call of this.pending.values()) {
      clearTimeout(call.timer);
      call.reject(error);
    }
    this.pending.clear();
  }
}
