/**
 * The edge-gateway protocol's messages (ZeroMQ, CURVE). Written down for vendors in
 * docs/gateway-protocol.md; this file is the machine-checked truth both ends validate against.
 * Plain zod: no Node, no DOM.
 *
 * Sockets: the wall host BINDS a SUB socket (live updates, heartbeats) and a ROUTER socket
 * (hello, snapshots, commands, acks); each gateway CONNECTS a PUB and a DEALER (routing id = its
 * gateway id) to every wall host (primary and standby). The host is the CURVE server on both;
 * its ZAP handler admits only allow-listed gateway public keys.
 *
 * Every ZeroMQ message has exactly two frames: [kind, body]. kind is one ASCII word from
 * MESSAGE_KINDS (on PUB/SUB it is also the subscription topic); body is UTF-8 JSON.
 */
import { z } from 'zod';
import { nonIntegerLiteral, type IntegerLiteralRules } from './json-integer-literals.js';

export const GATEWAY_PROTOCOL_VERSION = 1;
/** ZMQ_MAXMSGSIZE on every socket; larger messages are dropped by libzmq before we see them. */
export const GATEWAY_MAX_MESSAGE_BYTES = 256 * 1024;
/** Items per SNAP message; a snapshot is as many SNAP messages as needed, then one SNAPEND. */
export const SNAPSHOT_CHUNK_ITEMS = 500;
/** A gateway sends HUGZ when it has published nothing for this long. */
export const HEARTBEAT_INTERVAL_MS = 1000;
/** No traffic at all from a gateway for this long: its data is stale (Paranoid Pirate liveness). */
export const GATEWAY_SILENCE_MS = 3000;

const id = z.string().min(1).max(128);
const epochMs = z.int().min(0);
const text = z.strictObject({ vi: z.string().min(1).max(500), en: z.string().min(1).max(500) });

export const geoPoint = z.strictObject({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) });
export type GeoPoint = z.infer<typeof geoPoint>;

export const sensorKind = z.enum(['rain', 'water-level', 'air-quality', 'water-quality', 'fire-alarm', 'traffic', 'smart-light']);
export type SensorKind = z.infer<typeof sensorKind>;

export const severityLevel = z.enum(['info', 'warning', 'critical']);

/** A sensor in the gateway's registry. Thresholds are in the sensor's unit. */
export const sensorItem = z.strictObject({
  type: z.literal('sensor'),
  id,
  kind: sensorKind,
  name: z.string().min(1).max(200),
  commune: z.string().min(1).max(200),
  location: geoPoint,
  unit: z.string().max(32),
  thresholds: z.strictObject({ warning: z.number().optional(), critical: z.number().optional() }).default({}),
});

/**
 * The latest reading of one sensor. value is the headline figure (mm/h, m, AQI, …); extra holds
 * secondary figures (pm25, flow, energyWh, state 0/1 …).
 */
export const readingItem = z.strictObject({
  type: z.literal('reading'),
  id, // the sensor id
  at: epochMs,
  value: z.number(),
  extra: z.record(z.string().max(32), z.number()).default({}),
});

export const eventItem = z.strictObject({
  type: z.literal('event'),
  id,
  at: epochMs,
  severity: severityLevel,
  category: z.enum(['flood', 'fire', 'traffic', 'pollution', 'vessel', 'device', 'other']),
  title: text,
  location: geoPoint.optional(),
  sensor: id.optional(),
  /** The commune it happened in, when the gateway knows it; else its sensor's is taken (neither: province-wide). */
  commune: z.string().min(1).max(200).optional(),
  /** A cleared event stays in state until the gateway deletes it. */
  cleared: z.boolean().default(false),
});

/** A citizen's report. reporter is personal data (Decree 13/2023): never shown on the wall by default. */
export const reportItem = z.strictObject({
  type: z.literal('report'),
  id,
  at: epochMs,
  category: z.string().min(1).max(64),
  text: z.string().max(2000),
  location: geoPoint,
  commune: z.string().max(200),
  reporter: z.strictObject({ name: z.string().max(200), phone: z.string().max(32) }),
});

const stream = z.strictObject({ url: z.string().min(1).max(2000), width: z.int().min(1), height: z.int().min(1) });
export const cameraItem = z.strictObject({
  type: z.literal('camera'),
  id,
  name: z.string().min(1).max(200),
  commune: z.string().max(200),
  location: geoPoint,
  streams: z.strictObject({ main: stream, sub: stream }),
});

export const movingObjectItem = z.strictObject({
  type: z.literal('object'),
  id,
  kind: z.enum(['vessel', 'fire-truck', 'patrol']),
  name: z.string().min(1).max(200),
  at: epochMs,
  location: geoPoint,
  headingDeg: z.number().min(0).max(360).optional(),
  speedKmh: z.number().min(0).optional(),
});

/** One keyed entry of a gateway's state (the Clone pattern's key-value pair; key = type + id). */
export const stateItem = z.discriminatedUnion('type', [sensorItem, readingItem, eventItem, reportItem, cameraItem, movingObjectItem]);
export type StateItem = z.infer<typeof stateItem>;
export type StateItemType = StateItem['type'];

export const itemKey = (item: Pick<StateItem, 'type' | 'id'>): string => `${item.type}/${item.id}`;

const header = {
  v: z.literal(GATEWAY_PROTOCOL_VERSION),
  gw: id,
  /** Changes whenever the gateway restarts and its sequence starts again at 1. */
  epoch: z.string().min(1).max(64),
};

/** PUB → SUB. seq is strictly increasing by exactly 1 per UPDATE within an epoch. */
export const updateMessage = z.strictObject({
  ...header,
  seq: z.int().min(1),
  at: epochMs,
  /** Set or replace an item; or delete it (only type and id are meaningful then). */
  op: z.enum(['set', 'delete']),
  item: stateItem,
});

/** PUB → SUB when idle: "alive, and my last UPDATE was seq". */
export const heartbeatMessage = z.strictObject({ ...header, seq: z.int().min(0), at: epochMs });

/** DEALER → ROUTER on connect and on every epoch change. */
export const helloMessage = z.strictObject({ ...header, seq: z.int().min(0), name: z.string().max(200) });

/** ROUTER → DEALER: send me your state. */
export const snapshotRequest = z.strictObject({ v: z.literal(GATEWAY_PROTOCOL_VERSION), requestId: id });

/** DEALER → ROUTER: part of a snapshot. */
export const snapshotChunk = z.strictObject({ ...header, requestId: id, items: z.array(stateItem).max(SNAPSHOT_CHUNK_ITEMS) });

/** DEALER → ROUTER: the snapshot is complete and reflects every UPDATE up to and including seq. */
export const snapshotEnd = z.strictObject({ ...header, requestId: id, seq: z.int().min(0), count: z.int().min(0) });

export const fieldCommand = z.strictObject({
  /** Unique id; a gateway that sees an id again must not act twice (it answers with its first ack). */
  id: z.string().min(8).max(64),
  type: z.enum(['traffic-signal-plan', 'siren', 'resident-warning']),
  target: id,
  params: z.record(z.string().max(64), z.union([z.string().max(2000), z.number(), z.boolean()])),
  issuedAt: epochMs,
  issuedBy: id,
});
export type FieldCommand = z.infer<typeof fieldCommand>;

/** ROUTER → DEALER. */
export const commandMessage = z.strictObject({ v: z.literal(GATEWAY_PROTOCOL_VERSION), command: fieldCommand });

/** DEALER → ROUTER. */
export const ackMessage = z.strictObject({
  ...header,
  id: fieldCommand.shape.id,
  status: z.enum(['done', 'rejected']),
  detail: z.string().max(500).optional(),
  at: epochMs,
});

export const MESSAGE_KINDS = {
  UPDATE: updateMessage,
  HUGZ: heartbeatMessage,
  HELLO: helloMessage,
  SNAPSHOT: snapshotRequest,
  SNAP: snapshotChunk,
  SNAPEND: snapshotEnd,
  COMMAND: commandMessage,
  ACK: ackMessage,
} as const;
export type MessageKind = keyof typeof MESSAGE_KINDS;
export type MessageOf<K extends MessageKind> = z.infer<(typeof MESSAGE_KINDS)[K]>;

/** Integer fields of the messages and items (seq, epochMs, counts, pixel sizes); extra, thresholds and params hold any numbers. */
const INTEGER_LITERALS: IntegerLiteralRules = {
  integerKeys: new Set(['v', 'seq', 'at', 'count', 'issuedAt', 'width', 'height']),
  freeFormKeys: new Set(['extra', 'thresholds', 'params']),
};
const UTF8_BOM = [0xef, 0xbb, 0xbf];

/**
 * Decodes [kind, body] frames; throws an Error naming the field. Never trusts sizes or shapes, and
 * holds the body to the bytes the protocol allows: strict UTF-8 without a BOM, integers written
 * as integers (JSON.parse alone would take "seq": 12.0 for 12).
 */
export function decodeGatewayMessage(frames: readonly Uint8Array[]): { [K in MessageKind]: { kind: K; body: MessageOf<K> } }[MessageKind] {
  if (frames.length !== 2) throw new Error(`expected 2 frames, got ${frames.length}`);
  const kind = new TextDecoder().decode(frames[0]);
  if (!Object.hasOwn(MESSAGE_KINDS, kind)) throw new Error(`unknown message kind "${kind.slice(0, 32)}"`);
  const bytes = frames[1]!;
  if (UTF8_BOM.every((b, i) => bytes[i] === b)) throw new Error(`${kind}: body starts with a UTF-8 BOM`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new Error(`${kind}: body is not UTF-8`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${kind}: body is not JSON`);
  }
  const result = MESSAGE_KINDS[kind as MessageKind].safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new Error(`${kind}: ${issue.path.join('.') || '(body)'}: ${issue.message}`);
  }
  const fraction = nonIntegerLiteral(text, INTEGER_LITERALS);
  if (fraction !== null) throw new Error(`${kind}: ${fraction}: an integer must be written without a fraction or exponent`);
  return { kind, body: result.data } as never;
}

export function encodeGatewayMessage<K extends MessageKind>(kind: K, body: MessageOf<K>): [string, string] {
  return [kind, JSON.stringify(body)];
}
