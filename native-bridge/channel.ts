/**
 * Typed client/server proxy over the contract. Transports only move opaque payloads; this file is
 * where every request, response and event is validated, on both ends.
 */
import {
  contract,
  ContractError,
  type Actor,
  envelope,
  MAX_MESSAGE_BYTES,
  parseOrThrow,
  type Envelope,
  type EventName,
  type EventOf,
  type Contract,
  type MethodName,
  type RequestOf,
  type ResponseOf,
  type WireError,
} from './contract.js';
import type { z } from 'zod';
import { mayCall, receivesEvent, type OpenMethod } from './policy.js';
import { connectionLimits, type ConnectionLimits } from './limits.js';
import { TokenBucket } from './token-bucket.js';

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
    const schema = contract.events[event].payload;
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

/**
 * Throws unless the actor may call the method (policy.ts): 'forbidden' naming the method and role,
 * or 'unauthenticated' for a console connection that is not signed in (signedOut).
 */
export function checkAccess(method: MethodName, actor: Actor | null, signedOut = false): void {
  if (mayCall(actor?.role, method)) return;
  if (!actor && signedOut) throw new ContractError('unauthenticated', `${method}: sign in first (no valid session on this console)`, 'method');
  if (!actor) throw new ContractError('forbidden', `${method}: call session.hello first`, 'method');
  throw new ContractError('forbidden', `${actor.id} (${actor.role}) may not call ${method}`, 'method');
}

/** Whether an event goes to a connection of this actor (policy.ts eventPolicy). */
export function receives(event: EventName, actor: Actor | null): boolean {
  return receivesEvent(actor?.role, event);
}

/** A handler gets the validated request, the connection's context and, past an open method, the actor the policy admitted. */
export type Handlers<Ctx> = {
  [M in MethodName]: (
    request: z.infer<Contract['methods'][M]['request']>,
    ctx: Ctx,
    actor: M extends OpenMethod ? Actor | null : Actor,
  ) => Promise<ResponseOf<M>> | ResponseOf<M>;
};

/**
 * Checks access, validates the request, runs its handler, validates the response. A caller the
 * method's access does not admit, and bad input, never reach a handler.
 */
export class ContractServer<Ctx> {
  constructor(
    private readonly handlers: Handlers<Ctx>,
    private readonly actorOf: (ctx: Ctx) => Actor | null,
    /** Whether the connection is a console that is not signed in (refusals then say 'unauthenticated'). */
    private readonly signedOut: (ctx: Ctx) => boolean = () => false,
  ) {}

  async handle(method: string, payload: unknown, ctx: Ctx): Promise<unknown> {
    if (!Object.hasOwn(contract.methods, method)) throw new ContractError('unknown-method', `unknown method "${method}"`, 'method');
    const name = method as MethodName;
    const actor = this.actorOf(ctx);
    checkAccess(name, actor, this.signedOut(ctx));
    const spec = contract.methods[name];
    const request = parseOrThrow(spec.request, payload, `request ${name}`, ['payload']);
    const handler = this.handlers[name] as (request: unknown, ctx: Ctx, actor: Actor | null) => unknown;
    const response = await handler(request, ctx, actor);
    const checked = spec.response.safeParse(response);
    if (!checked.success) throw new ContractError('internal', `host produced an invalid ${name} response`);
    return checked.data;
  }
}

/** Validates an event payload before it is sent, so a host bug cannot push bad data to windows. */
export function checkEvent<E extends EventName>(event: E, payload: EventOf<E>): EventOf<E> {
  return parseOrThrow(contract.events[event].payload, payload, `event ${event}`) as EventOf<E>;
}

// ---------------------------------------------------------------------------------------------
// Message ports: the shape shared by the WebSocket and in-memory transports.

export interface MessagePortLike {
  send(data: string): void;
  onMessage(listener: (data: string) => void): void;
  onClose(listener: () => void): void;
  /** With a reason, the host closes a misbehaving peer (a WebSocket closes 1008 with the reason). */
  close(reason?: string): void;
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
 * handler. A connection gets `limits.requestsPerSecond` (with a burst) and at most
 * `limits.maxOutstandingRequests` unanswered: past either, a request is answered 'rate-limited' or
 * 'busy' at once. It starts at most `limits.requestsPerTurn` requests per event-loop turn, so its
 * backlog waits behind the other connections' requests instead of running ahead of them.
 */
export function serveOverPort(
  session: ServerSession,
  port: MessagePortLike,
  onRejected: (rejection: RejectedMessage) => void = () => {},
  limits: ConnectionLimits = connectionLimits,
): void {
  const bucket = new TokenBucket(limits.requestsPerSecond, limits.requestBurst);
  const refusals = { count: 0, since: Date.now() };
  const waiting: { id: number; method: string; payload: unknown }[] = [];
  let running = 0;
  let startedThisTurn = 0;
  let turnScheduled = false;
  let closed = false;
  port.onClose(() => {
    closed = true;
    waiting.length = 0;
  });

  // Refusing costs little, but not nothing: a peer refused (or sending frames that cannot be read)
  // past maxRefusedPerSecond is flooding, and is closed rather than answered forever.
  const closedForFlooding = (): boolean => {
    const now = Date.now();
    if (now - refusals.since >= 1000) Object.assign(refusals, { count: 0, since: now });
    if (++refusals.count <= limits.maxRefusedPerSecond) return false;
    closed = true;
    waiting.length = 0;
    onRejected({ reason: `request flood: over ${limits.maxRefusedPerSecond} refused requests in a second; connection closed` });
    port.close('request flood');
    return true;
  };
  const reject = (rejection: RejectedMessage) => {
    if (!closedForFlooding()) onRejected(rejection);
  };
  const refuse = (id: number, error: ContractError) => {
    if (closedForFlooding()) return;
    onRejected({ reason: error.message });
    port.send(encode({ t: 'res', id, ok: false, error: error.toWire() }));
  };
  const start = (id: number, method: string, payload: unknown) => {
    running++;
    startedThisTurn++;
    session.handle(method, payload).then(
      (answer) => {
        running--;
        port.send(encode({ t: 'res', id, ok: true, payload: answer }));
      },
      (error: unknown) => {
        running--;
        const wire = toWireError(error, method);
        if (wire.code === 'invalid' || wire.code === 'unknown-method') onRejected({ reason: wire.message, ...(wire.field ? { field: wire.field } : {}) });
        port.send(encode({ t: 'res', id, ok: false, error: wire }));
      },
    );
  };
  // A new turn (setTimeout: the one yield both runtimes of this module have) lets the other
  // connections' frames in before this one's backlog goes on.
  const nextTurn = () => {
    turnScheduled = false;
    startedThisTurn = 0;
    while (!closed && waiting.length > 0 && startedThisTurn < limits.requestsPerTurn) {
      const next = waiting.shift()!;
      start(next.id, next.method, next.payload);
    }
    if (waiting.length > 0) scheduleTurn();
  };
  const scheduleTurn = () => {
    if (turnScheduled) return;
    turnScheduled = true;
    setTimeout(nextTurn, 0);
  };

  port.onMessage((data) => {
    if (closed) return;
    let message: Envelope;
    try {
      message = decode(data);
    } catch (error) {
      const e = error as ContractError;
      return reject({ reason: e.message, ...(e.field ? { field: e.field } : {}) });
    }
    if (message.t !== 'req') return reject({ reason: `unexpected "${message.t}" frame from a client` });
    const { id, method, payload } = message;
    if (running + waiting.length >= limits.maxOutstandingRequests) {
      return refuse(id, new ContractError('busy', `more than ${limits.maxOutstandingRequests} outstanding requests on this connection; wait for answers`));
    }
    if (!bucket.take()) {
      return refuse(id, new ContractError('rate-limited', `over ${limits.requestsPerSecond} requests/s (burst ${limits.requestBurst}) on this connection; slow down`));
    }
    if (waiting.length === 0 && startedThisTurn < limits.requestsPerTurn) start(id, method, payload);
    else waiting.push({ id, method, payload });
    scheduleTurn();
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
