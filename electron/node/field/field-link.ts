/**
 * Wires the field into the core: gateway hub (ZeroMQ) → telemetry cache (SQLite worker) and live
 * state (windows) and alerts; on start, the last known state comes from the cache at once, so the
 * wall is drawn with every gateway offline. Runs the simulated province it is handed (the launcher
 * plugs it in; the host never imports sim/).
 */
import { join } from 'node:path';
import { ContractError, type GatewayKeysAnswer, type GatewayLink, type GatewaysConfig, type GatewaysReloadAnswer, type StateItem } from '../../../native-bridge/contract.js';
import { keyFingerprint } from '../../../native-bridge/gateway-auth/message-mac.js';
import type { FieldAck, FieldSimulator, RunningSimulator } from '../../common/ports.js';
import { TelemetryCache } from '../cache/cache-client.js';
import type { Core } from '../core.js';
import { SqliteCommandOutbox, type OutboxEntry } from '../gateway/command-outbox.js';
import { commandTtls } from '../gateway/command-ttl.js';
import { GatewayHub, type GatewayConfig, type ItemChange } from '../gateway/gateway-hub.js';
import { hostKeyFile, loadOrCreateKeyPair } from '../gateway/keys.js';
import type { GatewayLog } from '../gateway/log.js';
import { gatewayKeysEvent } from '../audit/audit-events.js';
import { COMMAND_TEXT, expiryAlerts } from './command-expiry-alerts.js';
import { LinkAlerts } from './link-alerts.js';

export interface FieldLink<S extends RunningSimulator = RunningSimulator> {
  hub: GatewayHub;
  cache: TelemetryCache;
  /** The simulated province started against this link, if one was handed over. */
  simulation: S | null;
  endpoints: { updates: string; control: string };
  hostPublicKey: string;
  /** The host's key and each gateway's registered keys (fingerprints) and link state. */
  keys(): GatewayKeysAnswer;
  /** Applies the allow-list of a re-read gateways file (its other settings need a restart); throws on a bad list, keeping the old one. */
  reload(config: GatewaysConfig): GatewaysReloadAnswer;
  close(): Promise<void>;
}

/** Changes not yet committed above which the hub holds a gateway's next slice (the cache drops beyond 200,000). */
const CACHE_BACKLOG_WAIT = 50_000;

function offlineLink(gateway: string, name: string, lastHeard: number | null): GatewayLink {
  return { gateway, name, state: 'offline', lastHeard, lastHeartbeat: null, epoch: null, seq: 0, gaps: 0, snapshots: 0, rejected: 0 };
}

/** The acknowledgement a command got, or the host's expiry verdict. */
function outcomeOf(entry: OutboxEntry | undefined): FieldAck | undefined {
  if (!entry) return undefined;
  if (entry.ack) return entry.ack;
  if (entry.state === 'expired' && entry.expiredAt !== null) return { id: entry.command.id, status: 'expired', detail: 'quá hạn, không được gửi / expired, not delivered', at: entry.expiredAt };
  return undefined;
}

/** Gateway events become operator alerts, once per event id. */
function raiseEventAlerts(core: Core, gatewayId: string, changes: readonly ItemChange[]): void {
  for (const { op, item } of changes) {
    if (op !== 'set' || item.type !== 'event' || item.cleared) continue;
    core.alerts.raiseOnce(`${gatewayId}/${item.id}`, item.severity, `gateway:${gatewayId}`, item.title, item.at, core.live.eventCommune(item));
  }
}

export async function startFieldLink<S extends RunningSimulator = RunningSimulator>(
  core: Core,
  config: GatewaysConfig,
  dataDir: string,
  log: GatewayLog,
  simulator: FieldSimulator<S> | null = null,
): Promise<FieldLink<S>> {
  const keyPair = loadOrCreateKeyPair(hostKeyFile(dataDir));
  const simulated = simulator?.gateways() ?? [];
  const simKeys = Object.fromEntries(simulated.map((g) => [g.id, loadOrCreateKeyPair(join(dataDir, 'keys', 'sim', `${g.id}.json`))]));
  const simulatedGateways: GatewayConfig[] = simulated.map((g) => ({ id: g.id, name: g.name, publicKey: simKeys[g.id]!.publicKey }));
  const gateways: GatewayConfig[] = [...config.gateways, ...simulatedGateways];

  const cacheFile = join(dataDir, `${core.wall.id}-telemetry.sqlite`);
  const cache = await TelemetryCache.open(cacheFile, {
    key: core.storageKey,
    onError: (error) => {
      log({ level: 'error', msg: 'telemetry cache', error: error.message });
      core.storage.failed(cacheFile, error); // a full disk: one alert; the live picture goes on from memory
    },
  });
  // replay reads the sensor values its tiles showed at a moment from the cache's history
  core.replay.attachReadings(cache);
  // Draw the last known field state before any gateway answers.
  const { items, lastUpdateByGateway } = await cache.latest();
  const byGateway = new Map<string, ItemChange[]>();
  for (const { gatewayId, item } of items) {
    let list = byGateway.get(gatewayId);
    if (!list) byGateway.set(gatewayId, (list = []));
    list.push({ op: 'set', item });
  }
  for (const [gatewayId, changes] of byGateway) core.live.apply(gatewayId, changes, true);
  for (const g of gateways) core.live.setLink(offlineLink(g.id, g.name, lastUpdateByGateway[g.id] ?? null));

  core.audit.log.recordIfChanged(gatewayKeysEvent(keyPair.publicKey, gateways));
  const outbox = new SqliteCommandOutbox(core.db, { ttls: commandTtls(config.commandTtlSeconds), audit: core.audit });
  const hub = new GatewayHub({ endpoints: config.bind, keyPair, gateways, outbox, log });
  hub.onChange((gatewayId, changes, replacedAll) => {
    // the hub validated every item as it arrived: nothing on the way parses it again; a big
    // snapshot comes in slices, the first replacing the gateway's state, the rest adding to it
    if (replacedAll) cache.replaceGateway(gatewayId, changes.map((c) => c.item as StateItem), 'hub');
    else cache.write(gatewayId, changes, 'hub');
    core.live.apply(gatewayId, changes, replacedAll);
    raiseEventAlerts(core, gatewayId, changes);
    // the hub waits before the next slice while the cache's worker is far behind (it would drop)
    return cache.backlog > CACHE_BACKLOG_WAIT ? cache.flush().catch(() => undefined) : undefined;
  });
  hub.onLink((link) => core.live.setLink(link));
  const endpoints = await hub.start();
  core.attachField({
    send(gateway, command) {
      const acked = hub.sendCommand(gateway, command);
      acked.catch(() => {}); // reported through onAck; a closing hub leaves it in the outbox
      // The outbox write happens synchronously inside sendCommand (Titanic: persist, then send).
      if (outbox.get(command.id)) return Promise.resolve({ persistedAt: Date.now() });
      return acked.then(
        () => ({ persistedAt: Date.now() }),
        (error: Error) => Promise.reject(error instanceof ContractError ? error : new ContractError('invalid', error.message, 'gateway')),
      );
    },
    ackOf: (id) => outcomeOf(outbox.get(id)),
    pendingSince(after, limit) {
      const feed = outbox.pendingSince(after, limit);
      return { ...feed, entries: feed.entries.map(({ gatewayId, command }) => ({ gateway: gatewayId, command })) };
    },
    persisted(id) {
      const entry = outbox.get(id);
      return entry && { gateway: entry.gatewayId, command: entry.command };
    },
    onAck: (listener) => {
      const offAck = hub.onAck((gateway, ack) => listener(gateway, ack, outbox.get(ack.id)?.command));
      const offExpired = hub.onExpired((expired) => {
        for (const { gatewayId, command } of expired) listener(gatewayId, outcomeOf(outbox.get(command.id))!, command);
      });
      return () => {
        offAck();
        offExpired();
      };
    },
  });
  // A command that expired undelivered: the operator is told what did not happen, by name.
  let gatewayNames = new Map(gateways.map((g) => [g.id, g.name]));
  const names = { gateway: (id: string) => gatewayNames.get(id) ?? id, target: (id: string) => core.live.sensor(id)?.name ?? id, commune: (id: string) => core.live.deviceCommune(id) };
  hub.onExpired((expired) => {
    for (const alert of expiryAlerts(expired, names)) core.alerts.raiseOnce(alert.key, 'warning', `field:${alert.gatewayId}`, alert.title, alert.at, alert.commune);
  });
  // Every acknowledgement, including those of commands a previous host process sent, is told.
  hub.onAck((gatewayId, ack) => {
    const entry = outbox.get(ack.id);
    // by name: "Lệnh hú còi tới Còi báo động Tam Hiệp", never the protocol's ids
    const what = entry
      ? { vi: `${COMMAND_TEXT[entry.command.type].vi} tới ${names.target(entry.command.target)}`, en: `${COMMAND_TEXT[entry.command.type].en} to ${names.target(entry.command.target)}` }
      : { vi: `gửi qua ${names.gateway(gatewayId)}`, en: `Command sent through ${names.gateway(gatewayId)}` };
    const done = ack.status === 'done';
    const detail = ack.detail ? ` (${ack.detail})` : '';
    core.alerts.raiseOnce(`ack/${ack.id}`, done ? 'info' : 'warning', `field:${gatewayId}`, {
      vi: `Lệnh ${what.vi}: ${done ? 'đã thực hiện' : `bị từ chối${detail}`}`,
      en: `${what.en}: ${done ? 'done' : `rejected${detail}`}`,
    }, ack.at, entry ? core.live.deviceCommune(entry.command.target) : null);
  });
  // The hub reports state changes; sequence numbers and heartbeat times move every second.
  const linkAlerts = new LinkAlerts(core.alerts, config.linkAlertSeconds * 1000);
  const linkRefresh = setInterval(() => {
    const links = hub.links();
    links.forEach((link) => core.live.setLink(link));
    linkAlerts.check(links, Date.now());
  }, 1000);
  linkRefresh.unref();

  const simulation = simulator
    ? await simulator.start({
        endpoints,
        hostPublicKey: keyPair.publicKey,
        gatewayKeys: simKeys,
        rateScale: config.simulationRate,
        incidentTimeScale: config.incidentTimeScale,
        cameraServer: config.simulatedCameras.serve ? { port: config.simulatedCameras.port } : false,
        cameraBaseUrl: config.simulatedCameras.baseUrl,
        log: (line) => log({ level: 'info', msg: line }),
      })
    : null;

  return {
    hub,
    cache,
    simulation,
    endpoints,
    hostPublicKey: keyPair.publicKey,
    keys() {
      const states = new Map(hub.links().map((l) => [l.gateway, l.state]));
      return {
        host: { publicKey: keyPair.publicKey, fingerprint: keyFingerprint(keyPair.publicKey) },
        gateways: hub.registeredKeys().map((g) => ({
          gateway: g.id,
          name: g.name,
          state: states.get(g.id) ?? 'offline',
          keys: g.keys.map((key, i) => ({ role: i === 0 ? ('current' as const) : ('next' as const), fingerprint: keyFingerprint(key) })),
        })),
      };
    },
    reload(next) {
      const list = [...next.gateways, ...simulatedGateways];
      const before = gatewayNames;
      const result = hub.reload(list);
      gatewayNames = new Map(list.map((g) => [g.id, g.name]));
      for (const id of result.added) core.live.setLink(offlineLink(id, gatewayNames.get(id)!, null));
      for (const id of result.removed) {
        core.live.removeLink(id);
        linkAlerts.forget(id);
      }
      const named = (ids: string[], names: Map<string, string>) => ids.map((id) => ({ gateway: id, name: names.get(id) ?? id }));
      return { added: named(result.added, gatewayNames), removed: named(result.removed, before), changed: named(result.changed, gatewayNames) };
    },
    async close() {
      clearInterval(linkRefresh);
      core.attachField(null);
      await simulation?.stop();
      await hub.close();
      core.replay.attachReadings(null);
      await cache.flush().catch(() => {});
      await cache.close();
    },
  };
}
