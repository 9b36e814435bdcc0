/**
 * ZAP handler (ZeroMQ RFC 27) holding the allow-list of gateway CURVE keys. CURVE alone accepts
 * any client key; libzmq asks the handler bound at inproc://zeromq.zap.01 *in the same context*
 * about every CURVE handshake. The host sockets use zeromq.js's default context, so this handler
 * binds its Router there too.
 *
 * There is one such endpoint per context, so the handler is shared: each GatewayHub registers its
 * own ZAP domain (zapDomain on its sockets) with its allow-list, and the handler closes when the
 * last domain is released. Requests for a domain nobody registered are refused (400).
 *
 * What ZAP can and cannot check (verified against libzmq 4.3 as shipped in zeromq.js 6): the
 * request carries the peer's IP address and its 32-byte CURVE public key; its "identity" frame is
 * the SERVER socket's own ZMQ_ROUTING_ID (empty unless the host sets one), not the peer's routing
 * id. So ZAP cannot tie a DEALER's routing id to its key; see GatewayHub for what it checks instead
 * (a MAC on every message, native-bridge/gateway-auth). A domain's key map may change while it is
 * registered (the hub's reload); each handshake reads it as it is then.
 */
import * as zmq from 'zeromq';
import { z85Encode } from '../../../native-bridge/gateway-auth/message-mac.js';
import { rateLimited, stderrLog, type GatewayLog } from './log.js';

export const ZAP_ENDPOINT = 'inproc://zeromq.zap.01';

export type ZapRefusalReason = 'bad-request' | 'unknown-domain' | 'mechanism' | 'bad-credentials' | 'unknown-key';

export interface ZapRefusal {
  reason: ZapRefusalReason;
  domain: string;
  address: string;
  mechanism: string;
  /** The client's key in Z85 when it offered a well-formed CURVE key. */
  publicKey?: string;
}

export interface ZapDomainPolicy {
  /** Z85 public key → gateway id (returned to libzmq as the ZAP user id). */
  keys: ReadonlyMap<string, string>;
  onRefused?: (refusal: ZapRefusal) => void;
  onAccepted?: (gatewayId: string, address: string) => void;
}

const text = (frame: Buffer | undefined): string => (frame ? frame.toString('latin1') : '');

export class ZapHandler {
  private static shared: ZapHandler | null = null;
  private static starting: Promise<ZapHandler> | null = null;

  /** Refusals since the handler started, all domains. */
  refusals = 0;
  accepted = 0;
  private readonly domains = new Map<string, ZapDomainPolicy>();
  private readonly socket = new zmq.Router({ sendTimeout: 1000 });
  private loop: Promise<void> | null = null;

  private readonly limitedLog: ReturnType<typeof rateLimited>;

  private constructor(private readonly log: GatewayLog) {
    this.limitedLog = rateLimited(log);
  }

  /**
   * The process-wide handler, bound before this resolves. Bind it BEFORE binding any CURVE server
   * socket (and set zapEnforceDomain on those): libzmq admits every key while no handler is bound.
   */
  static async acquire(log: GatewayLog = stderrLog): Promise<ZapHandler> {
    if (ZapHandler.shared) return ZapHandler.shared;
    ZapHandler.starting ??= (async () => {
      const handler = new ZapHandler(log);
      // A handler closed a moment ago (hub restart) frees the inproc name asynchronously, in
      // libzmq's reaper thread: retry briefly before concluding someone else holds it.
      for (let attempt = 0; ; attempt++) {
        try {
          await handler.socket.bind(ZAP_ENDPOINT);
          break;
        } catch (error) {
          if ((error as { code?: string }).code === 'EADDRINUSE' && attempt < 40) {
            await new Promise((resolve) => setTimeout(resolve, 25));
            continue;
          }
          handler.socket.close();
          throw new Error(`cannot bind the ZAP handler at ${ZAP_ENDPOINT} (another handler in this process?): ${String(error)}`);
        }
      }
      handler.loop = handler.serve();
      ZapHandler.shared = handler;
      return handler;
    })().finally(() => {
      ZapHandler.starting = null;
    });
    return ZapHandler.starting;
  }

  register(domain: string, policy: ZapDomainPolicy): void {
    if (!domain) throw new Error('ZAP domain must not be empty');
    if (this.domains.has(domain)) throw new Error(`ZAP domain "${domain}" is already registered`);
    this.domains.set(domain, policy);
  }

  /** Drops a domain; the handler closes (and unbinds) when no domain is left. */
  async release(domain: string): Promise<void> {
    this.domains.delete(domain);
    if (this.domains.size > 0) return;
    if (ZapHandler.shared === this) ZapHandler.shared = null;
    this.socket.close();
    await this.loop;
  }

  get closed(): boolean {
    return this.socket.closed;
  }

  private async serve(): Promise<void> {
    try {
      for await (const frames of this.socket) {
        let reply: (string | Buffer)[] | null;
        try {
          reply = this.answer(frames);
        } catch (error) {
          this.log({ level: 'error', msg: 'zap: handler error', error: String(error) });
          reply = null;
        }
        if (!reply) continue;
        try {
          await this.socket.send(reply);
        } catch (error) {
          if (this.socket.closed) break;
          this.log({ level: 'error', msg: 'zap: cannot reply', error: String(error) });
        }
      }
    } catch (error) {
      if (!this.socket.closed) this.log({ level: 'error', msg: 'zap: receive loop ended', error: String(error) });
    }
  }

  /** RFC 27: [routing id, "", "1.0", request id, domain, address, identity, mechanism, credentials…]. */
  private answer(frames: Buffer[]): (string | Buffer)[] | null {
    const [peer, delimiter, version, requestId, domainFrame, addressFrame, _identity, mechanismFrame, ...credentials] = frames;
    // Without a request id there is nothing to answer; libzmq never sends this.
    if (!peer || !delimiter || delimiter.length !== 0 || !requestId) {
      this.refuse({ reason: 'bad-request', domain: '', address: '', mechanism: '' }, undefined);
      return null;
    }
    const reply = (status: '200' | '400' | '500', statusText: string, userId = '') => [peer, Buffer.alloc(0), '1.0', requestId, status, statusText, userId, Buffer.alloc(0)];
    const domain = text(domainFrame);
    const address = text(addressFrame);
    const mechanism = text(mechanismFrame);
    if (text(version) !== '1.0' || frames.length < 8) {
      this.refuse({ reason: 'bad-request', domain, address, mechanism }, undefined);
      return reply('400', 'bad ZAP request');
    }
    const policy = this.domains.get(domain);
    if (!policy) {
      this.refuse({ reason: 'unknown-domain', domain, address, mechanism }, undefined);
      return reply('400', 'unknown domain');
    }
    if (mechanism !== 'CURVE') {
      this.refuse({ reason: 'mechanism', domain, address, mechanism }, policy);
      return reply('400', 'CURVE required');
    }
    const key = credentials[0];
    if (credentials.length !== 1 || !key || key.length !== 32) {
      this.refuse({ reason: 'bad-credentials', domain, address, mechanism }, policy);
      return reply('400', 'bad credentials');
    }
    const publicKey = z85Encode(key);
    const gatewayId = policy.keys.get(publicKey);
    if (gatewayId === undefined) {
      this.refuse({ reason: 'unknown-key', domain, address, mechanism, publicKey }, policy);
      return reply('400', 'key not allowed');
    }
    this.accepted++;
    policy.onAccepted?.(gatewayId, address);
    return reply('200', 'OK', gatewayId);
  }

  private refuse(refusal: ZapRefusal, policy: ZapDomainPolicy | undefined): void {
    this.refusals++;
    this.limitedLog(`${refusal.reason}|${refusal.address}`, { level: 'warn', msg: 'zap: refused', ...refusal });
    try {
      policy?.onRefused?.(refusal);
    } catch (error) {
      this.log({ level: 'error', msg: 'zap: onRefused listener threw', error: String(error) });
    }
  }
}
