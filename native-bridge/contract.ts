/**
 * The one typed boundary of ioc-wall. Everything that crosses between renderer and host (IPC,
 * WebSocket), and every layout file, is validated by a schema from this file. Plain TypeScript +
 * zod: no Node, no DOM, so host, renderer and tests all import it.
 */
import { z } from 'zod';
import { tilePropSchemas, type TileKind } from './tile-props/index.js';
import { eventItem, fieldCommand, geoPoint, movingObjectItem, reportItem, sensorKind } from './gateway-protocol.js';
import { datasetName, datasetSummary, importProgress } from './gis-datasets.js';
import { indicatorsChangedEvent, indicatorsHistoryRequest, indicatorsHistoryResponse, indicatorsListRequest, indicatorsListResponse } from './indicators.js';
import { areaAggregateRequest, spatialQuery } from './spatial-query.js';
import { rectsOverlap } from './wall-geometry.js';
import { actor, authEndedEvent, authRequests, authResponses, authStatus, accountSummary, fullName, personRole, scope, signInResponse, username, AUTH_LIMITS } from './auth.js';
import { AUDIT_LIMITS, auditRequests, auditResponses } from './audit.js';
import { displayRequests, displayResponses, helloCredential } from './displays.js';
import { replayAtRequest, replayRun, replaySensor, replayTimelineRequest, replayTimelineResponse } from './replay.js';
import { runLogEntry, scenarioFileError, scenarioRequests, scenarioRun, scenariosPicture, scenarioSummaryFields } from './scenario-run.js';
import { pairConfig } from './pair-config.js';

export { tilePropSchemas, type TileKind };
export * from './audit.js';
export * from './auth.js';
export * from './displays.js';
export * from './gateway-protocol.js';
export * from './gis-datasets.js';
export * from './pair-config.js';
export * from './indicators.js';
export * from './spatial-query.js';
export * from './scenario-run.js';

// ---------------------------------------------------------------------------------------------
// Building blocks

export const slug = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9-_]*$/, 'use lower-case letters, digits, "-" and "_"');

export const localizedText = z.strictObject({
  vi: z.string().min(1).max(500),
  en: z.string().min(1).max(500),
});
export type LocalizedText = z.infer<typeof localizedText>;

const pixels = (max: number) => z.int().min(0).max(max);

// ---------------------------------------------------------------------------------------------
// Wall geometry (layouts/walls/*.yaml)

/**
 * How a wall slot finds its physical display. Never by Electron's display id: it changes across
 * reboots and driver updates. Position is the display's desktop origin; label is the monitor's
 * name as the OS reports it; order is the n-th display sorted left-to-right, top-to-bottom.
 */
export const displayMatch = z.discriminatedUnion('by', [
  z.strictObject({ by: z.literal('position'), x: z.int(), y: z.int() }),
  z.strictObject({ by: z.literal('label'), label: z.string().min(1) }),
  z.strictObject({ by: z.literal('order'), index: z.int().min(0) }),
]);
export type DisplayMatch = z.infer<typeof displayMatch>;

export const wallSlot = z.strictObject({
  row: z.int().min(0),
  column: z.int().min(0),
  match: displayMatch,
});

export const wallDefinition = z
  .strictObject({
    id: slug,
    title: localizedText,
    rows: z.int().min(1).max(16),
    columns: z.int().min(1).max(16),
    display: z.strictObject({
      width: z.int().min(320).max(8192),
      height: z.int().min(240).max(8192),
      /** Pixels hidden behind the two bezels between neighbouring displays (bezel compensation). */
      bezelPx: pixels(400).default(0),
    }),
    /** Wall-grid cells per display; tiles are placed in whole cells. */
    grid: z
      .strictObject({
        colsPerDisplay: z.int().min(1).max(48).default(12),
        rowsPerDisplay: z.int().min(1).max(48).default(12),
      })
      .default({ colsPerDisplay: 12, rowsPerDisplay: 12 }),
    /** Desktop position of the top-left display, for hosts that place windows themselves. */
    origin: z.strictObject({ x: z.int(), y: z.int() }).default({ x: 0, y: 0 }),
    console: z
      .strictObject({ x: z.int(), y: z.int(), width: z.int().min(640), height: z.int().min(480), match: displayMatch.optional() })
      .default({ x: 0, y: 0, width: 1600, height: 900 }),
    /** Per-slot display match rules; a slot without one is matched by order. */
    slots: z.array(wallSlot).default([]),
    startPreset: slug.optional(),
    /** The primary/backup pair that drives this wall (hot standby); absent: one standalone host. */
    pair: pairConfig.optional(),
  })
  .superRefine((wall, ctx) => {
    const seen = new Set<string>();
    wall.slots.forEach((slot, index) => {
      if (slot.row >= wall.rows || slot.column >= wall.columns) {
        ctx.addIssue({ code: 'custom', path: ['slots', index], message: `slot r${slot.row}c${slot.column} lies outside the ${wall.rows}×${wall.columns} wall` });
      }
      const key = `${slot.row}:${slot.column}`;
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: ['slots', index], message: 'slot defined twice' });
      seen.add(key);
    });
  });
export type WallDefinition = z.infer<typeof wallDefinition>;

/** Window ids: "console" or a display slot "r<row>c<column>" (0-based). */
export const displayWindowId = z.string().regex(/^r\d{1,2}c\d{1,2}$/, 'a display window id is r<row>c<column>');
export const windowId = z.union([z.literal('console'), displayWindowId]);
export type WindowId = z.infer<typeof windowId>;

// ---------------------------------------------------------------------------------------------
// Tiles and wall state

export const tileRect = z.strictObject({
  x: z.int().min(0),
  y: z.int().min(0),
  w: z.int().min(1),
  h: z.int().min(1),
});
export type TileRect = z.infer<typeof tileRect>;

const tileOf = <K extends TileKind>(kind: K) =>
  z.strictObject({
    id: slug,
    kind: z.literal(kind),
    rect: tileRect,
    title: localizedText.optional(),
    props: tilePropSchemas[kind],
  });

/** One tile schema per kind, as a union of types so that `Tile` narrows on `kind`. */
type TileSchemaOf = { [K in TileKind]: ReturnType<typeof tileOf<K>> }[TileKind];
const tileKinds = Object.keys(tilePropSchemas) as TileKind[];
export const tile = z.discriminatedUnion('kind', tileKinds.map((kind) => tileOf(kind)) as unknown as [TileSchemaOf, ...TileSchemaOf[]]);
export type Tile = z.infer<typeof tile>;

/** Tiles may not overlap and must lie inside the wall grid; checked against a wall definition. */
export function tileLayoutIssues(wall: WallDefinition, tiles: readonly Tile[]): { path: (string | number)[]; message: string }[] {
  const issues: { path: (string | number)[]; message: string }[] = [];
  const gridCols = wall.columns * wall.grid.colsPerDisplay;
  const gridRows = wall.rows * wall.grid.rowsPerDisplay;
  const ids = new Set<string>();
  tiles.forEach((t, i) => {
    if (ids.has(t.id)) issues.push({ path: [i, 'id'], message: `tile id "${t.id}" is used twice` });
    ids.add(t.id);
    if (t.rect.x + t.rect.w > gridCols || t.rect.y + t.rect.h > gridRows) {
      issues.push({ path: [i, 'rect'], message: `tile "${t.id}" leaves the ${gridCols}×${gridRows} wall grid` });
    }
    // one stacking order everywhere is no stacking at all: an overlapped tile would be a hole on some screen
    const under = tiles.findIndex((other, j) => j < i && rectsOverlap(other.rect, t.rect));
    if (under >= 0) issues.push({ path: [i, 'rect'], message: `tile "${t.id}" overlaps tile "${tiles[under]!.id}"` });
  });
  return issues;
}

export const preset = z.strictObject({
  name: slug,
  title: localizedText,
  tiles: z.array(tile).max(256),
});
export type Preset = z.infer<typeof preset>;

export const wallState = z.strictObject({
  wall: wallDefinition,
  tiles: z.array(tile),
  activePreset: slug.nullable(),
});
export type WallState = z.infer<typeof wallState>;

// ---------------------------------------------------------------------------------------------
// Commands (validated, authorized, journalled, then applied)

export const command = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('apply-preset'), name: slug }),
  z.strictObject({ type: z.literal('add-tile'), tile }),
  z.strictObject({ type: z.literal('move-tile'), id: slug, x: z.int().min(0), y: z.int().min(0) }),
  z.strictObject({ type: z.literal('resize-tile'), id: slug, rect: tileRect }),
  z.strictObject({ type: z.literal('remove-tile'), id: slug }),
  /** Merges props into the tile's; `unset` names optional props to remove (back to absent or their default). */
  z.strictObject({ type: z.literal('set-tile-props'), id: slug, props: z.record(z.string(), z.unknown()), unset: z.array(z.string().min(1).max(64)).max(32).optional() }),
  /** Refused ('conflict') when a preset of that name exists, unless the person chose to overwrite it. */
  z.strictObject({ type: z.literal('save-preset'), name: slug, title: localizedText, overwrite: z.boolean().optional() }),
  /**
   * Replaces every tile at once (one revision): a scenario's layout, or the layout it took over when
   * the scenario ends. preset: the preset the tiles are (null = none); label says why, for the journal.
   */
  z.strictObject({ type: z.literal('apply-layout'), tiles: z.array(tile).max(256), preset: slug.nullable().default(null), label: z.string().max(200).optional() }),
]);
export type Command = z.infer<typeof command>;
export type CommandType = Command['type'];


/** One immer patch: the wire format of wall-state changes. */
export const patch = z.strictObject({
  op: z.enum(['add', 'remove', 'replace']),
  path: z.array(z.union([z.string(), z.number()])),
  value: z.unknown().optional(),
});
export type Patch = z.infer<typeof patch>;

export const wallPatchEvent = z.strictObject({
  revision: z.int().min(1),
  baseRevision: z.int().min(0),
  patches: z.array(patch),
});
export type WallPatchEvent = z.infer<typeof wallPatchEvent>;

// ---------------------------------------------------------------------------------------------
// Alerts and node status

export const severity = z.enum(['info', 'warning', 'critical']);
export type Severity = z.infer<typeof severity>;

export const alert = z.strictObject({
  id: z.string().min(1),
  at: z.int(),
  severity,
  source: z.string().min(1),
  title: localizedText,
  ackedBy: z.string().nullable(),
  ackedAt: z.int().nullable(),
  /** When the condition that raised it ended (e.g. an indicator met its target again); null while it holds or for one-off alerts. */
  resolvedAt: z.int().nullable(),
  /** The commune of what raised it (a station, camera, device, incident, scenario run); null: province-wide (the host, storage, a gateway's link, …). */
  commune: z.string().max(200).nullable(),
});
export type Alert = z.infer<typeof alert>;

export const windowStatus = z.strictObject({
  windowId,
  connected: z.boolean(),
  paintedRevision: z.int().min(0),
  lastSeen: z.int().nullable(),
});
export type WindowStatus = z.infer<typeof windowStatus>;

export const linkStatus = z.strictObject({
  id: z.string(),
  name: z.string(),
  state: z.enum(['up', 'stale', 'down']),
  lastSeen: z.int().nullable(),
});

/**
 * Binary Star (primary/backup pair) states: PRIMARY and BACKUP while a node waits to hear its peer
 * at start, then ACTIVE (drives the wall) or PASSIVE (hot standby).
 */
export const pairState = z.enum(['primary', 'backup', 'active', 'passive']);
export type PairState = z.infer<typeof pairState>;

/** The other node of the pair as this node last heard it over the peer link. */
export const peerStatus = z.strictObject({
  nodeId: z.string(),
  /** The peer's base URL for windows (http(s)://host:port): where a window moves when this node goes away. */
  address: z.string(),
  /** Its state in its last heartbeat; null: never heard. */
  state: pairState.nullable(),
  /** Since its last heartbeat; null: never heard. */
  heartbeatAgeMs: z.int().min(0).nullable(),
  startedAt: z.int().nullable(),
  revision: z.int().min(0).nullable(),
  gatewaysUp: z.int().min(0).nullable(),
  windowsConnected: z.int().min(0).nullable(),
});
export type PeerStatus = z.infer<typeof peerStatus>;

export const pairStatus = z.strictObject({
  /** What the node was configured as (failback returns the wall to the primary). */
  configured: z.enum(['primary', 'backup']),
  state: pairState,
  /** When this node entered its state. */
  since: z.int(),
  peer: peerStatus,
  /** Revisions the standby is behind the active node (null: not known, e.g. peer unheard). */
  replicationLagRevisions: z.int().min(0).nullable(),
  /** Both nodes said ACTIVE: an alarm on both consoles until one goes passive. */
  twoActives: z.boolean(),
});
export type PairStatus = z.infer<typeof pairStatus>;

/** The simulated incidents a drill can play on the embedded province (its scripts, sim/province/incidents.ts). */
export const drillIncident = z.enum(['flood', 'fire', 'traffic', 'pollution', 'vessel-zone']);
export type DrillIncident = z.infer<typeof drillIncident>;
/** A drill under way: the wall, the console and every alert raised meanwhile are marked DIỄN TẬP. */
export const drillState = z.strictObject({
  incident: drillIncident,
  startedAt: z.int(),
  /** Who started it: the account's id and the person's name (never shown as an id). */
  startedBy: z.strictObject({ id: z.string(), name: z.string() }),
});
export type DrillState = z.infer<typeof drillState>;

export const nodeStatus = z.strictObject({
  nodeId: z.string(),
  /** standalone: no pair; primary: this node drives the wall; standby: the pair's passive node. */
  role: z.enum(['standalone', 'primary', 'standby']),
  /** The primary/backup pair as this node sees it; null on a standalone host. */
  pair: pairStatus.nullable(),
  host: z.enum(['electron', 'chromium']),
  startedAt: z.int(),
  revision: z.int().min(0),
  windows: z.array(windowStatus),
  links: z.array(linkStatus),
  /** The drill under way on this host; null: none (real alerts only). */
  drill: drillState.nullable(),
});
export type NodeStatus = z.infer<typeof nodeStatus>;

// ---------------------------------------------------------------------------------------------
// Live field data to windows (from the gateways, via the cache). Readings travel as columns:
// one array per field, so a batch of thousands of readings is a few arrays, not thousands of objects.

export const liveSensor = z.strictObject({
  id: z.string(),
  gateway: z.string(),
  kind: sensorKind,
  name: z.string(),
  commune: z.string(),
  location: geoPoint,
  unit: z.string(),
  thresholds: z.strictObject({ warning: z.number().optional(), critical: z.number().optional() }),
});
export type LiveSensor = z.infer<typeof liveSensor>;

export const readingColumns = z
  .strictObject({ id: z.array(z.string()), value: z.array(z.number()), at: z.array(z.int()) })
  .refine((c) => c.id.length === c.value.length && c.id.length === c.at.length, 'reading columns differ in length');
export type ReadingColumns = z.infer<typeof readingColumns>;

export const gatewayLink = z.strictObject({
  gateway: z.string(),
  name: z.string(),
  state: z.enum(['syncing', 'live', 'stale', 'offline']),
  /** Last message of any kind from the gateway (epoch ms), null if never heard. */
  lastHeard: z.int().nullable(),
  lastHeartbeat: z.int().nullable(),
  epoch: z.string().nullable(),
  seq: z.int().min(0),
  gaps: z.int().min(0),
  snapshots: z.int().min(0),
  rejected: z.int().min(0),
});
export type GatewayLink = z.infer<typeof gatewayLink>;

/** A camera from a gateway's registry, with its main and sub HLS streams. */
export const liveCamera = z.strictObject({
  id: z.string(),
  gateway: z.string(),
  name: z.string(),
  commune: z.string(),
  location: geoPoint,
  streams: z.strictObject({
    main: z.strictObject({ url: z.string(), width: z.int(), height: z.int() }),
    sub: z.strictObject({ url: z.string(), width: z.int(), height: z.int() }),
  }),
});
export type LiveCamera = z.infer<typeof liveCamera>;

/** What a window's camera tile reports about its player (honest liveness). */
export const cameraHealth = z.strictObject({
  tileId: z.string().max(64),
  cameraId: z.string().max(128),
  state: z.enum(['starting', 'playing', 'stalled', 'recovering', 'snapshot', 'error']),
  stream: z.enum(['main', 'sub']),
  /** When the tile entered this state (epoch ms). */
  since: z.int(),
  lastFrameAt: z.int().nullable(),
});
export type CameraHealth = z.infer<typeof cameraHealth>;

/** A gateway's event (incident, alarm); cleared ones stay until the gateway deletes them. */
export const liveEvent = eventItem.omit({ type: true }).extend({ gateway: z.string() });
export type LiveEvent = z.infer<typeof liveEvent>;

/** Most recent positions of a moving object, oldest first: [lon, lat, epoch ms]. */
export const TRAIL_POINTS = 12;
export const liveObject = movingObjectItem.omit({ type: true }).extend({
  gateway: z.string(),
  trail: z.array(z.tuple([z.number(), z.number(), z.int()])).max(TRAIL_POINTS),
});
export type LiveObject = z.infer<typeof liveObject>;
type TrailPoint = LiveObject['trail'][number];

/**
 * A moved object in a live batch: no full trail, only the positions it took since the previous
 * batch (usually one). Trails would make 10,000 moves a second ~6× heavier for every window to
 * parse; each side extends its own copy with `extendTrail`.
 */
export const liveObjectMove = liveObject.omit({ trail: true }).extend({ steps: z.array(liveObject.shape.trail.element).min(1).max(TRAIL_POINTS) });
export type LiveObjectMove = z.infer<typeof liveObjectMove>;
/** Moved objects per live batch (~250 bytes each, so a batch stays well inside one frame). */
export const LIVE_MOVES_PER_BATCH = 2000;

/** The trail after these steps: the last TRAIL_POINTS positions, oldest first. */
export function extendTrail(trail: readonly TrailPoint[], steps: readonly TrailPoint[]): TrailPoint[] {
  return [...trail, ...steps].slice(-TRAIL_POINTS);
}

/** A citizen report as windows see it: anonymized (no reporter), per Decree 13/2023. */
export const liveReport = reportItem.omit({ type: true, reporter: true }).extend({ gateway: z.string() });
export type LiveReport = z.infer<typeof liveReport>;
/** Reports kept for the wall (newest first beyond this are dropped from the live picture, not the cache). */
export const LIVE_REPORTS_MAX = 500;

/**
 * Moving objects per snapshot frame (first frame or page): a frame is ≤ MAX_MESSAGE_BYTES (1 MiB)
 * and an object with its trail is ~1.2 kB (up to ~2 kB with a long name).
 */
export const LIVE_OBJECTS_PER_FRAME = 400;

/**
 * Sensors per frame (a snapshot's first frame or page, a batch): a sensor is ~200 bytes (up to
 * ~400 with a long name), so a province of 10,000 (~2 MB) travels in pages and in batches of
 * changes, never as one frame over MAX_MESSAGE_BYTES.
 */
export const LIVE_SENSORS_PER_FRAME = 1000;
/** Removed sensors' ids per batch (~20 bytes each). */
export const LIVE_SENSOR_REMOVALS_PER_BATCH = 10_000;

/** Where the rest of a snapshot's sensors or objects wait (live.sensors, live.objects). */
const snapshotPages = z.strictObject({ cursor: z.string().max(64), total: z.int().min(0) });

export const liveSnapshot = z.strictObject({
  seq: z.int().min(0),
  /** The first sensors; when there are more, `sensorPages` says where the rest (with their readings) wait. */
  sensors: z.array(liveSensor).max(LIVE_SENSORS_PER_FRAME),
  sensorPages: snapshotPages.optional(),
  cameras: z.array(liveCamera),
  /** The latest reading of each sensor in this frame. */
  readings: readingColumns,
  links: z.array(gatewayLink),
  events: z.array(liveEvent).default([]),
  /** The first objects; when there are more, `objectPages` says where the rest of this snapshot's objects wait. */
  objects: z.array(liveObject).max(LIVE_OBJECTS_PER_FRAME).default([]),
  objectPages: snapshotPages.optional(),
  reports: z.array(liveReport).max(LIVE_REPORTS_MAX).default([]),
});
export type LiveSnapshot = z.infer<typeof liveSnapshot>;

export const liveBatch = z.strictObject({
  seq: z.int().min(1),
  baseSeq: z.int().min(0),
  readings: readingColumns,
  /**
   * Sensors added or changed since the previous batch, and those removed (applied first, so a
   * sensor that moved to another commune is removed there and set again). More changes than a
   * frame holds follow in batches of their own, removals first.
   */
  sensors: z.array(liveSensor).max(LIVE_SENSORS_PER_FRAME).optional(),
  sensorsRemoved: z.array(z.string()).max(LIVE_SENSOR_REMOVALS_PER_BATCH).optional(),
  cameras: z.array(liveCamera).optional(),
  links: z.array(gatewayLink).optional(),
  /** The full event list, whenever one changed. */
  events: z.array(liveEvent).optional(),
  /** Only the objects that moved or appeared (partial update); removed ones by id. */
  objects: z.array(liveObjectMove).max(LIVE_MOVES_PER_BATCH).optional(),
  objectsRemoved: z.array(z.string()).optional(),
  /** The full (anonymized) report list, whenever one changed. */
  reports: z.array(liveReport).max(LIVE_REPORTS_MAX).optional(),
});
export type LiveBatch = z.infer<typeof liveBatch>;

/** layouts/gateways/*.yaml: where the host listens for edge gateways and which may connect. */
export const gatewaysConfig = z.strictObject({
  bind: z.strictObject({ updates: z.string().regex(/^tcp:\/\/.+:(\d+|\*)$/), control: z.string().regex(/^tcp:\/\/.+:(\d+|\*)$/) }),
  /** Run the embedded simulated province (DEMO data) with keys generated in the data folder. */
  simulate: z.boolean().default(false),
  /** Multiplies how often the simulated sensors publish. */
  simulationRate: z.number().positive().max(1000).default(1),
  /** Multiplies the time of the simulator's scripted incidents: 0.1 plays them ten times faster (tests, drills). Trigger durations stay real time. */
  incidentTimeScale: z.number().positive().max(10).default(1),
  /** A gateway that was live and stays silent this long raises an operator alert (its return resolves it). */
  linkAlertSeconds: z.int().min(5).max(3600).default(30),
  /**
   * Serve the simulated cameras as live HLS from the embedded simulator (port 0 = any free port).
   * `baseUrl`: where the simulated cameras say their streams are, instead of the simulator's own
   * server (a camera server run elsewhere, e.g. by a test that stops and restarts streams).
   */
  simulatedCameras: z
    .strictObject({ serve: z.boolean().default(false), port: z.int().min(0).max(65535).default(0), baseUrl: z.url({ protocol: /^https?$/ }).max(2000).optional() })
    .default({ serve: false, port: 0 }),
  /** The allow-list: each gateway's id, name and CURVE public key; during a key rotation also the key it moves to (reloaded without a restart). */
  gateways: z
    .array(
      z.strictObject({
        id: z.string().min(1).max(128),
        name: z.string().min(1).max(200),
        publicKey: z.string().length(40, 'a CURVE public key is 40 Z85 characters'),
        nextPublicKey: z.string().length(40, 'a CURVE public key is 40 Z85 characters').optional(),
      }),
    )
    .default([]),
  /** How long each command type may wait for delivery, in seconds (defaults: sirens and resident warnings 300, signal plans 1800); at most 24 h, the gateways' memory of command ids. */
  commandTtlSeconds: z.partialRecord(fieldCommand.shape.type, z.int().min(1).max(86_400)).default({}),
});
export type GatewaysConfig = z.infer<typeof gatewaysConfig>;

/** "SHA256:" and the unpadded base64 of the SHA-256 of a CURVE key's 32 bytes (as ssh shows keys). */
const keyFingerprint = z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/);
/** What a technician checks against a vendor's sheet: the host's key to hand out, each gateway's registered keys and its link. */
export const gatewayKeysAnswer = z.strictObject({
  host: z.strictObject({ publicKey: z.string().length(40), fingerprint: keyFingerprint }),
  gateways: z.array(
    z.strictObject({
      gateway: z.string().min(1).max(128),
      name: z.string().min(1).max(200),
      state: gatewayLink.shape.state,
      keys: z.array(z.strictObject({ role: z.enum(['current', 'next']), fingerprint: keyFingerprint })).min(1).max(2),
    }),
  ),
});
export type GatewayKeysAnswer = z.infer<typeof gatewayKeysAnswer>;
const namedGateway = z.strictObject({ gateway: z.string().min(1).max(128), name: z.string().min(1).max(200) });
/** What a reload of the gateways file changed (keys or name: changed). */
export const gatewaysReloadAnswer = z.strictObject({ added: z.array(namedGateway), removed: z.array(namedGateway), changed: z.array(namedGateway) });
export type GatewaysReloadAnswer = z.infer<typeof gatewaysReloadAnswer>;

// ---------------------------------------------------------------------------------------------
// Spatial queries (by point, drawn region, radius, administrative unit) and their figures

const spatialGroup = z.strictObject({ key: z.record(z.string(), z.string()), count: z.int().min(0) });
export const spatialQueryResult = z.strictObject({
  total: z.int().min(0),
  groups: z.array(spatialGroup),
  items: z.array(
    z.strictObject({
      id: z.string(),
      layer: z.string(),
      kind: z.string(),
      state: z.string().optional(),
      lon: z.number(),
      lat: z.number(),
      areaId: z.string().optional(),
      distanceM: z.number().optional(),
    }),
  ),
  areasHit: z.array(z.string()).optional(),
  tookMs: z.number(),
});
export const areaAggregateResult = z.strictObject({
  areas: z.array(z.strictObject({ areaId: z.string(), name: z.string(), total: z.int().min(0), groups: z.array(spatialGroup) })),
  tookMs: z.number(),
});

// ---------------------------------------------------------------------------------------------
// Importing official GIS files from the console (the file lies on the host, not in the window)

/** POSIX "/…", Windows "C:\…" or "C:/…", or a UNC share "\\server\share\…". */
const ABSOLUTE_PATH = /^(\/|[A-Za-z]:[\\/]|\\\\)/;

export const gisImportRequest = z.strictObject({
  file: z.string().min(1).max(4096).regex(ABSOLUTE_PATH, 'give the absolute path of the file on the host'),
  /** Defaults to the file name, slugified. */
  dataset: datasetName.optional(),
  /** The CRS to assume when the file names none (CSV, a shapefile without .prj), e.g. "EPSG:3405". */
  crs: z.string().min(1).max(200).optional(),
});
export type GisImportRequest = z.infer<typeof gisImportRequest>;

const gisImportState = importProgress.extend({ importId: z.string().min(1).max(64) });
/** Sent to console windows while an import runs; the last one says done (with the dataset) or failed (with why). */
export const gisImportProgressEvent = z.discriminatedUnion('state', [
  gisImportState.extend({ state: z.literal('running') }),
  gisImportState.extend({ state: z.literal('done'), dataset: datasetSummary }),
  gisImportState.extend({ state: z.literal('failed'), message: z.string() }),
]);
export type GisImportProgressEvent = z.infer<typeof gisImportProgressEvent>;

// ---------------------------------------------------------------------------------------------
// Scenarios (schemas in scenario-run.ts): the launcher's list, with the layout each applies

export const scenarioSummary = z.strictObject({ ...scenarioSummaryFields, tiles: z.array(tile) });
export type ScenarioSummary = z.infer<typeof scenarioSummary>;
const scenarioRunResponse = z.strictObject({ run: scenarioRun });

// ---------------------------------------------------------------------------------------------
// Replay (native-bridge/replay.ts): the wall as it was at a moment

export const replayAtResponse = z.strictObject({
  time: z.int(),
  /** The revision on the wall at that moment, and when it was accepted. */
  revision: z.int().min(0),
  revisionAt: z.int(),
  state: wallState,
  sensors: z.array(replaySensor),
  alerts: z.array(alert),
  runs: z.array(replayRun),
});
export type ReplayAt = z.infer<typeof replayAtResponse>;

// ---------------------------------------------------------------------------------------------
// Requests, responses and events

const empty = z.strictObject({});

/**
 * A client-chosen idempotency key on a state-changing request (a UUID suits): the host stores it
 * with the journal entry or outbox row in the same transaction, so a request retried after a lost
 * answer (reconnect, host restart) is applied once and answered with the original result.
 */
export const requestId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{7,63}$/, 'a request id is 8–64 letters, digits, "-" or "_"');

/** A report printed to PDF travels as base64 in one message (≤ 1 MiB): at most this many bytes of PDF. */
export const REPORT_PDF_MAX_BYTES = 700 * 1024;
const REPORT_PDF_MAX_BASE64 = Math.ceil(REPORT_PDF_MAX_BYTES / 3) * 4;

export const contract = {
  methods: {
    /**
     * Binds this connection to a window, once (a second hello is refused and closes the
     * connection); the wall itself then comes from wall.resync. The console presents its person's
     * session ({ kind: 'session' }): without a valid one it is signed out (actor null) and may call
     * only the open auth.* methods. A display presents the credential its enrolment gave it
     * ({ kind: 'display' }), valid only for that window; without one it may only enrol. Who may
     * call what: native-bridge/policy.ts.
     */
    'session.hello': {
      request: z.strictObject({ window: windowId, credential: helloCredential.optional() }),
      response: z.strictObject({ windowId, actor: actor.nullable(), status: nodeStatus }),
    },
    /** Whether the host needs its first administrator, who is signed in here, whether TOTP enrolment is due. */
    'auth.status': { request: empty, response: authStatus },
    /** Creates the first administrator with the setup code the host printed (only while no account exists). */
    'auth.setup': { request: authRequests.setup, response: empty },
    /** Password, then (technician, administrator) a TOTP or recovery code; signs this connection in. */
    'auth.signIn': { request: authRequests.signIn, response: signInResponse },
    /** After a right password on this connection: a new TOTP secret, shown as text and otpauth:// URI. */
    'auth.enrolTotp': { request: empty, response: authResponses.enrolment },
    /** The first code from the new secret: enrols it, signs in, hands out the 10 recovery codes (once). */
    'auth.confirmTotp': { request: authRequests.confirmTotp, response: authResponses.confirmed },
    /** Ends this connection's session everywhere it is used. */
    'auth.signOut': { request: empty, response: empty },
    /** Every account's id and full name, so a console shows names where the host records account ids. */
    'accounts.names': { request: empty, response: z.strictObject({ people: z.array(z.strictObject({ id: z.string(), fullName: z.string() })) }) },
    'accounts.list': { request: empty, response: z.strictObject({ accounts: z.array(accountSummary) }) },
    'accounts.create': { request: authRequests.create, response: z.strictObject({ account: accountSummary }) },
    /** A changed role or scope ends the account's sessions (they sign in again under the new one). */
    'accounts.update': { request: authRequests.update, response: z.strictObject({ account: accountSummary }) },
    'accounts.resetPassword': { request: authRequests.resetPassword, response: empty },
    /** Disables (or enables again) an account; never the last enabled administrator. */
    'accounts.disable': { request: authRequests.disable, response: z.strictObject({ account: accountSummary }) },
    /** The enrolled display windows: name, who enrolled them, last seen, connected now. */
    'displays.list': { request: empty, response: displayResponses.list },
    /** A one-time code (10 minutes) that enrols one display window; replaces that window's unused code. */
    'displays.enrolmentCode': { request: displayRequests.enrolmentCode, response: displayResponses.enrolmentCode },
    /** Revokes a window's credential: its connections end, and it must be enrolled again. */
    'displays.revoke': { request: displayRequests.revoke, response: empty },
    /** Before hello, on a display page without a credential: trades a valid code for this window's credential. */
    'displays.enrol': { request: displayRequests.enrol, response: displayResponses.enrol },
    /** The tamper-evident audit log, newest first, by person, action (prefix) and time; paged. */
    'audit.list': { request: auditRequests.list, response: auditResponses.list },
    /** The same entries as CSV, oldest first, one bounded page per call. */
    'audit.export': { request: auditRequests.export, response: auditResponses.export },
    /** Walks the hash chain, the signed heads and the command journal; names the first bad entry. */
    'audit.verify': { request: empty, response: auditResponses.verify },
    /** Patches since a revision when the host still has them all, else a full snapshot (sinceRevision 0 = always). */
    'wall.resync': {
      request: z.strictObject({ sinceRevision: z.int().min(0) }),
      response: z.discriminatedUnion('kind', [
        z.strictObject({ kind: z.literal('patches'), revision: z.int(), events: z.array(wallPatchEvent) }),
        z.strictObject({ kind: z.literal('snapshot'), revision: z.int(), state: wallState }),
      ]),
    },
    'wall.execute': {
      request: z.strictObject({ command, requestId: requestId.optional() }),
      /** A retried requestId answers the revision its first attempt got, without applying again. */
      response: z.strictObject({ revision: z.int().min(1), acceptedAt: z.int() }),
    },
    /**
     * Undoes the caller's own latest wall edit, as a new revision. Refused 'not-found' when the
     * wall's latest change is not theirs, 'conflict' when someone changed the wall after it.
     */
    'wall.undo': { request: z.strictObject({ requestId: requestId.optional() }), response: z.strictObject({ revision: z.int().min(1), acceptedAt: z.int() }) },
    /** Redoes what the caller's last wall.undo went back on, while nothing changed since. */
    'wall.redo': { request: z.strictObject({ requestId: requestId.optional() }), response: z.strictObject({ revision: z.int().min(1), acceptedAt: z.int() }) },
    'presets.list': {
      request: empty,
      response: z.strictObject({
        presets: z.array(z.strictObject({ name: slug, title: localizedText, source: z.enum(['file', 'database']), tiles: z.int() })),
      }),
    },
    'window.painted': {
      request: z.strictObject({
        revision: z.int().min(0),
        /**
         * The live picture this paint showed, once the window holds a live snapshot: its seq and how
         * many sensors had a reading (what a cold start must have drawn from the host's cache).
         */
        live: z.strictObject({ seq: z.int().min(0), readings: z.int().min(0) }).optional(),
      }),
      response: empty,
    },
    'alerts.list': {
      request: empty,
      response: z.strictObject({ alerts: z.array(alert) }),
    },
    'alerts.ack': {
      request: z.strictObject({ id: z.string().min(1) }),
      response: empty,
    },
    /**
     * A command to the field through a gateway. Answered once the command is persisted (it is then
     * delivered exactly once, retried until the gateway acknowledges, across host restarts); the
     * acknowledgement arrives later as an alert.
     */
    'field.command': {
      request: z.strictObject({
        gateway: z.string().min(1).max(128),
        type: fieldCommand.shape.type,
        target: fieldCommand.shape.target,
        params: fieldCommand.shape.params,
        /** Becomes the command's id: a retry finds the persisted command and answers it again. */
        requestId: requestId.optional(),
      }),
      response: z.strictObject({ id: z.string(), persistedAt: z.int() }),
    },
    /** The host's CURVE public key, and each gateway's key fingerprints (current, next) and link state. */
    'gateways.keys': { request: empty, response: gatewayKeysAnswer },
    /** Reads the gateways file again and applies its allow-list without a restart; a malformed file is refused and the old list stays. */
    'gateways.reload': { request: empty, response: gatewaysReloadAnswer },
    /** The N nearest cameras within a radius of a point (incident, map pick, scenario). */
    'cameras.nearest': {
      request: z.strictObject({ location: geoPoint, radiusKm: z.number().positive().max(500), limit: z.int().min(1).max(64) }),
      response: z.strictObject({ cameras: z.array(z.strictObject({ id: z.string(), name: z.string(), distanceM: z.number() })) }),
    },
    /** A window reports its camera tiles' liveness; the host keeps it and alerts on long outages. */
    'cameras.health': {
      request: z.strictObject({ reports: z.array(cameraHealth).max(256) }),
      response: empty,
    },
    /** Field items (sensors, cameras, incidents, objects, reports) in a shape, with figures by group. */
    'gis.query': {
      request: spatialQuery,
      response: spatialQueryResult,
    },
    /** Counts per commune (every commune, zeros included): the choropleth and the per-commune figures. */
    'gis.aggregate': {
      request: areaAggregateRequest,
      response: areaAggregateResult,
    },
    'gis.datasets': {
      request: empty,
      response: z.strictObject({ datasets: z.array(datasetSummary) }),
    },
    /**
     * Imports a file on the host into a dataset (replacing it whole), reporting gis.import.progress;
     * answered once done. Console only; one import at a time ('conflict' otherwise).
     */
    'gis.import': {
      request: gisImportRequest,
      response: z.strictObject({ importId: z.string(), dataset: datasetSummary }),
    },
    /** Scenario definitions (layouts/scenarios) with the layout each applies, and the files that failed to load. */
    'scenarios.list': {
      request: empty,
      response: z.strictObject({ scenarios: z.array(scenarioSummary), errors: z.array(scenarioFileError) }),
    },
    /** Current suggestions, runs still on the wall and the recent ones over (same payload as scenarios.changed). */
    'scenarios.runs': {
      request: empty,
      response: scenariosPicture,
    },
    /** Applies the scenario to the whole wall as one revision; the same scenario and incident again gives the same run. */
    'scenarios.activate': { request: scenarioRequests.activate, response: scenarioRunResponse },
    /** Marks a step done (or not); a step that needs confirmation then waits for another person's scenarios.confirm. */
    'scenarios.step': { request: scenarioRequests.step, response: scenarioRunResponse },
    /** A second person (not the one who did the step) confirms it. */
    'scenarios.confirm': { request: scenarioRequests.confirm, response: scenarioRunResponse },
    /** Sends the step's field command (once; again only after a rejection); its acknowledgement updates the run. */
    'scenarios.command': { request: scenarioRequests.command, response: z.strictObject({ run: scenarioRun, commandId: z.string() }) },
    /** To the given level, or the next one. */
    'scenarios.escalate': { request: scenarioRequests.escalate, response: scenarioRunResponse },
    'scenarios.pause': { request: scenarioRequests.pause, response: scenarioRunResponse },
    'scenarios.resume': { request: scenarioRequests.resume, response: scenarioRunResponse },
    'scenarios.handover': { request: scenarioRequests.handover, response: scenarioRunResponse },
    /** Ends the run and restores the layout the wall had before it. */
    'scenarios.close': { request: scenarioRequests.close, response: scenarioRunResponse },
    'scenarios.keep': { request: scenarioRequests.keep, response: scenarioRunResponse },
    /** Drops a suggestion; the same incident is not suggested again until its trigger clears. */
    'scenarios.dismiss': { request: scenarioRequests.dismiss, response: empty },
    'scenarios.log': { request: scenarioRequests.log, response: z.strictObject({ entries: z.array(runLogEntry) }) },
    /** The after-action report: one self-contained HTML page (timeline, figures, map). */
    /** The wall at a moment: layout, the sensor values, alerts and scenario steps its tiles showed then. */
    'replay.at': { request: replayAtRequest, response: replayAtResponse },
    /** What happened between two moments (at most 7 days), for the replay scrubber. */
    'replay.timeline': { request: replayTimelineRequest, response: replayTimelineResponse },
    /**
     * Planned switchover for maintenance: the active node hands the wall to its passive peer (after
     * the peer has caught up), then goes passive itself. Refused ('conflict') with no live peer.
     */
    'pair.switchover': { request: z.strictObject({ reason: z.string().trim().min(1).max(500) }), response: z.strictObject({ status: pairStatus }) },
    /**
     * A window (or the console) that lost its active node and reached this one says so: Binary
     * Star's client vote. A passive node takes over only when its peer is dead *and* such a vote
     * arrives; a node that is active, or whose peer is alive, just answers its status. After hello.
     */
    // a passive node refuses what changes the wall with 'standby' (naming the active node): the caller moves there
    'pair.activeLost': { request: z.strictObject({ lostNode: z.string().min(1).max(128) }), response: z.strictObject({ status: pairStatus }) },
    /** The node's status now (NodeStatus, its `pair` included), for the technician's pair panel to poll: heartbeat age and counters move without an event. */
    'pair.status': { request: empty, response: z.strictObject({ status: nodeStatus }) },
    /**
     * A drill: the embedded simulated province plays one of its scripted incidents (1–3 minutes)
     * and the wall, the console and every alert raised meanwhile are marked DIỄN TẬP until it ends
     * by itself. Refused 'conflict' while one runs, 'not-found' on a host with real gateways.
     */
    'drill.start': { request: z.strictObject({ incident: drillIncident }), response: z.strictObject({ drill: drillState }) },
    /** Failback: the wall returns to the configured primary node (a switchover from the backup). */
    'pair.failback': { request: z.strictObject({ reason: z.string().trim().min(1).max(500) }), response: z.strictObject({ status: pairStatus }) },
    'scenarios.report': { request: scenarioRequests.report, response: z.strictObject({ html: z.string(), fileName: z.string() }) },
    /** The same report printed to PDF by the host (base64, under 1 MiB as a message; a larger one is refused: export the HTML). */
    'scenarios.reportPdf': { request: scenarioRequests.report, response: z.strictObject({ pdf: z.base64().max(REPORT_PDF_MAX_BASE64), fileName: z.string() }) },
    /** The live field picture; windows call it on start, after a reconnect, or on a batch gap. */
    'live.snapshot': {
      request: empty,
      response: liveSnapshot,
    },
    /** More of a snapshot's sensors with their latest readings, as of that snapshot's seq ('not-found' once the cursor expired, or for another scope's cursor). */
    'live.sensors': {
      request: z.strictObject({ cursor: z.string().max(64), offset: z.int().min(0) }),
      response: z.strictObject({ sensors: z.array(liveSensor).max(LIVE_SENSORS_PER_FRAME), readings: readingColumns }),
    },
    /** More of a snapshot's objects, as of that snapshot's seq ('not-found' once the cursor expired: take a new snapshot). */
    'live.objects': {
      request: z.strictObject({ cursor: z.string().max(64), offset: z.int().min(0) }),
      response: z.strictObject({ objects: z.array(liveObject).max(LIVE_OBJECTS_PER_FRAME) }),
    },
    /** Indicators (layouts/indicators) with value, status, target, per-commune figures and recent history; and the sector groups. */
    'indicators.list': { request: indicatorsListRequest, response: indicatorsListResponse },
    /** Indicator histories over a time range, for charts (bucket means past maxPoints). */
    'indicators.history': { request: indicatorsHistoryRequest, response: indicatorsHistoryResponse },
  },
  events: {
    'wall.patch': { payload: wallPatchEvent },
    'alerts.changed': { payload: z.strictObject({ alerts: z.array(alert) }) },
    'status.changed': { payload: nodeStatus },
    'presets.changed': { payload: empty },
    'gis.import.progress': { payload: gisImportProgressEvent },
    /** Whenever a suggestion or run changes; to every window. */
    'scenarios.changed': { payload: scenariosPicture },
    /** Indicators whose value or status changed, at most about once a second; to every window. */
    'indicators.changed': { payload: indicatorsChangedEvent },
    /** Coalesced per window, at most ~10 a second. */
    'live.batch': { payload: liveBatch },
    /** To the one connection whose sign-in ended (idle or absolute expiry, sign-out, account changed). */
    'auth.ended': { payload: authEndedEvent },
  },
} as const;

export type Contract = typeof contract;
export type MethodName = keyof Contract['methods'];
export type EventName = keyof Contract['events'];
export type RequestOf<M extends MethodName> = z.input<Contract['methods'][M]['request']>;
export type ResponseOf<M extends MethodName> = z.infer<Contract['methods'][M]['response']>;
export type EventOf<E extends EventName> = z.infer<Contract['events'][E]['payload']>;

export const methodNames = Object.keys(contract.methods) as MethodName[];
export const eventNames = Object.keys(contract.events) as EventName[];

// ---------------------------------------------------------------------------------------------
// The peer link between the two nodes of a pair (ZeroMQ, CURVE; electron/node/pair/peer-link.ts)

/** One frame on the peer link is at most this (ZeroMQ maxMessageSize on both sockets). */
export const PEER_MAX_FRAME_BYTES = 2 * 1024 * 1024;
/** A journal answer carries entries up to about this many bytes of JSON (always at least one). */
export const PEER_JOURNAL_REPLY_BYTES = 512 * 1024;
/** Journal entries asked for at once. */
export const PEER_JOURNAL_BATCH = 256;
export const PEER_PROTOCOL_VERSION = 1;

/** What a node says of itself every second (and at once when its state changes). */
export const peerHeartbeat = z.strictObject({
  kind: z.literal('heartbeat'),
  v: z.literal(PEER_PROTOCOL_VERSION),
  nodeId: z.string().min(1).max(64),
  state: pairState,
  /** Raised by each takeover; of two actives the lower term yields (the other was elected while it was away). */
  term: z.int().min(0).max(Number.MAX_SAFE_INTEGER),
  /** This node went passive to hand the wall to its peer (switchover, failback): the peer takes it. */
  handover: z.boolean(),
  revision: z.int().min(0),
  startedAt: z.int().min(0),
  gatewaysUp: z.int().min(0).max(1_000_000),
  windowsConnected: z.int().min(0).max(1_000_000),
});
export type PeerHeartbeat = z.infer<typeof peerHeartbeat>;

/** One wall command as the active node committed it: the standby applies it through its own controller. */
export const peerJournalEntry = z.strictObject({
  revision: z.int().min(1),
  at: z.int().min(0),
  actor,
  command,
  requestId: requestId.optional(),
});

export const peerJournalRequest = z.strictObject({
  kind: z.literal('journal.request'),
  v: z.literal(PEER_PROTOCOL_VERSION),
  /** Entries after this revision. */
  after: z.int().min(0),
  limit: z.int().min(1).max(PEER_JOURNAL_BATCH),
});

export const peerJournalEntries = z.strictObject({
  kind: z.literal('journal.entries'),
  v: z.literal(PEER_PROTOCOL_VERSION),
  after: z.int().min(0),
  /** The sender's revision when it answered. */
  head: z.int().min(0),
  entries: z.array(peerJournalEntry).max(PEER_JOURNAL_BATCH),
});

/** The field command outbox after a position (the active node's own outbox order), for the standby to hold and deliver too. */
export const peerOutboxRequest = z.strictObject({
  kind: z.literal('outbox.request'),
  v: z.literal(PEER_PROTOCOL_VERSION),
  after: z.int().min(0),
  limit: z.int().min(1).max(PEER_JOURNAL_BATCH),
});

export const peerOutboxEntries = z.strictObject({
  kind: z.literal('outbox.entries'),
  v: z.literal(PEER_PROTOCOL_VERSION),
  after: z.int().min(0),
  /** The position the answer reached (the next request asks after it); entries are only the commands still pending. */
  last: z.int().min(0),
  /** More follow after `last`. */
  more: z.boolean(),
  entries: z.array(z.strictObject({ gateway: z.string().min(1).max(128), command: fieldCommand })).max(PEER_JOURNAL_BATCH),
});

/** The active node's alerts after a position (its insert order) and its acknowledgements from a time. */
export const peerAlertsRequest = z.strictObject({
  kind: z.literal('alerts.request'),
  v: z.literal(PEER_PROTOCOL_VERSION),
  afterRow: z.int().min(0),
  ackedFrom: z.int().min(0),
});

export const peerAlertsEntries = z.strictObject({
  kind: z.literal('alerts.entries'),
  v: z.literal(PEER_PROTOCOL_VERSION),
  afterRow: z.int().min(0),
  last: z.int().min(0),
  more: z.boolean(),
  alerts: z.array(alert).max(PEER_JOURNAL_BATCH),
  acks: z.array(z.strictObject({ id: z.string().min(1).max(128), ackedBy: z.string().min(1).max(256), ackedAt: z.int().min(0) })).max(PEER_JOURNAL_BATCH),
  ackedUntil: z.int().min(0),
});

/** The active node's display enrolments, whole (a wall has at most 256 display windows): credential hashes only. */
export const peerDisplaysRequest = z.strictObject({ kind: z.literal('displays.request'), v: z.literal(PEER_PROTOCOL_VERSION) });

export const peerDisplaysEntries = z.strictObject({
  kind: z.literal('displays.entries'),
  v: z.literal(PEER_PROTOCOL_VERSION),
  /** null: the answering node does not drive the wall (nothing to copy). */
  displays: z
    .array(
      z.strictObject({
        windowId: displayWindowId,
        name: z.string().min(1).max(128),
        credentialHash: z.string().regex(/^[0-9a-f]{64}$/),
        enrolledBy: z.string().min(1).max(128),
        enrolledAt: z.int().min(0),
      }),
    )
    .max(256)
    .nullable(),
});

/** Accounts and sessions a standby copies at most (a frame stays under PEER_MAX_FRAME_BYTES: about 1 kB an account, 200 B a session). */
export const PEER_ACCOUNTS_MAX = 512;
export const PEER_SESSIONS_MAX = PEER_ACCOUNTS_MAX * AUTH_LIMITS.sessionsPerAccount;
/** A copy of the accounts and sessions carries about this much JSON at most (an account's scope may name 200 communes). */
export const PEER_ACCOUNTS_BYTES = 1536 * 1024;
const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

/** The standby asks for the active node's accounts and sessions, saying the digest of the copy it took last (null: none yet). */
export const peerAccountsRequest = z.strictObject({ kind: z.literal('accounts.request'), v: z.literal(PEER_PROTOCOL_VERSION), digest: sha256Hex.nullable() });

/** One account as the active node stores it: the password hash with its parameters, never a password; the TOTP secret for the standby to seal under its own key. */
export const peerAccount = z.strictObject({
  id: username,
  fullName,
  role: personRole,
  scope,
  disabled: z.boolean(),
  passwordHash: z.string().regex(/^scrypt\$[0-9]+\$[0-9]+\$[0-9]+\$[A-Za-z0-9+/=]{1,128}\$[A-Za-z0-9+/=]{1,256}$/),
  totpSecret: z.string().regex(/^[A-Z2-7]{16,128}$/).nullable(),
  totpLastStep: z.int().min(0).nullable(),
  createdAt: z.int().min(0),
  changedAt: z.int().min(0),
  recoveryCodes: z.array(z.strictObject({ hash: sha256Hex, usedAt: z.int().min(0).nullable() })).max(32),
});
export type PeerAccount = z.infer<typeof peerAccount>;

/** A live console session (its token's SHA-256 only). */
export const peerSession = z.strictObject({ tokenHash: sha256Hex, accountId: username, createdAt: z.int().min(0), lastUsedAt: z.int().min(0), expiresAt: z.int().min(0) });
export type PeerSession = z.infer<typeof peerSession>;

export const peerAccountsEntries = z.strictObject({
  kind: z.literal('accounts.entries'),
  v: z.literal(PEER_PROTOCOL_VERSION),
  /** The digest of `replica` (the next request says it back). */
  digest: sha256Hex,
  /** null: the asker's copy is current, or the answering node does not drive the wall. */
  replica: z.strictObject({ accounts: z.array(peerAccount).max(PEER_ACCOUNTS_MAX), sessions: z.array(peerSession).max(PEER_SESSIONS_MAX) }).nullable(),
});

/** Scenario run log lines after a position (the active node's own order), with the documents of the runs they belong to. */
export const peerRunsRequest = z.strictObject({ kind: z.literal('runs.request'), v: z.literal(PEER_PROTOCOL_VERSION), after: z.int().min(0) });

/** A run's log line as the node that wrote it numbered it: (origin, originSeq) names it on every node. */
export const peerRunLine = runLogEntry.omit({ seq: true }).extend({ origin: z.string().min(1).max(64), originSeq: z.int().min(1) });
export type PeerRunLine = z.infer<typeof peerRunLine>;

/** A run's whole document as the active node keeps it; `definition` is checked against the scenario file schema on receipt. */
export const peerRunDocument = z.strictObject({
  run: scenarioRun,
  definition: z.record(z.string(), z.unknown()),
  previous: z.strictObject({ tiles: z.array(tile).max(1024), preset: z.string().max(128).nullable() }),
  resumeTo: z.enum(['active', 'awaiting-close']).nullable(),
  lasting: z.boolean(),
});

export const peerRunsEntries = z.strictObject({
  kind: z.literal('runs.entries'),
  v: z.literal(PEER_PROTOCOL_VERSION),
  after: z.int().min(0),
  last: z.int().min(0),
  more: z.boolean(),
  runs: z.array(z.strictObject({ doc: peerRunDocument, updatedAt: z.int().min(0) })).max(PEER_JOURNAL_BATCH),
  lines: z.array(peerRunLine).max(PEER_JOURNAL_BATCH),
});

/** The active node's own audit chain after a sequence number, for the standby's copy of it (verified link by link on receipt). */
export const peerAuditRequest = z.strictObject({ kind: z.literal('audit.request'), v: z.literal(PEER_PROTOCOL_VERSION), after: z.int().min(0) });

/** One audit_log row exactly as stored, hash and previous hash included. */
export const peerAuditRow = z.strictObject({
  seq: z.int().min(1),
  at: z.int().min(0),
  actorKind: z.string().min(1).max(16),
  actorId: z.string().min(1).max(128),
  actorName: z.string().max(128).nullable(),
  actorRole: z.string().max(32).nullable(),
  action: z.string().min(1).max(AUDIT_LIMITS.actionMax),
  target: z.string().max(AUDIT_LIMITS.targetMax).nullable(),
  details: z.string().max(AUDIT_LIMITS.detailsBytes).nullable(),
  prevHash: sha256Hex,
  hash: sha256Hex,
});
export type PeerAuditRow = z.infer<typeof peerAuditRow>;

export const peerAuditEntries = z.strictObject({
  kind: z.literal('audit.entries'),
  v: z.literal(PEER_PROTOCOL_VERSION),
  after: z.int().min(0),
  more: z.boolean(),
  rows: z.array(peerAuditRow).max(PEER_JOURNAL_BATCH),
});

export const peerFrame = z.discriminatedUnion('kind', [
  peerHeartbeat,
  peerJournalRequest,
  peerJournalEntries,
  peerOutboxRequest,
  peerOutboxEntries,
  peerAlertsRequest,
  peerAlertsEntries,
  peerDisplaysRequest,
  peerDisplaysEntries,
  peerAccountsRequest,
  peerAccountsEntries,
  peerRunsRequest,
  peerRunsEntries,
  peerAuditRequest,
  peerAuditEntries,
]);
export type PeerFrame = z.infer<typeof peerFrame>;

// ---------------------------------------------------------------------------------------------
// Errors that cross the boundary

// storage-full: the host's disk is full (or failing); the wall keeps its last picture and refuses changes until space is back.
// rate-limited and busy: the connection asked for more than its limits (native-bridge/limits.ts); retry later.
// unauthenticated: a console connection without a valid session (signed out, expired): sign in again.
export const errorCode = z.enum(['invalid', 'unauthenticated', 'forbidden', 'not-found', 'conflict', 'unknown-method', 'internal', 'disconnected', 'timeout', 'storage-full', 'rate-limited', 'busy', 'standby']);
export type ErrorCode = z.infer<typeof errorCode>;

export const wireError = z.strictObject({ code: errorCode, message: z.string(), field: z.string().optional() });
export type WireError = z.infer<typeof wireError>;

/** An error with a code and, for invalid input, the first offending field (e.g. "command.tile.rect.w"). */
export class ContractError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ContractError';
  }
  toWire(): WireError {
    return this.field === undefined ? { code: this.code, message: this.message } : { code: this.code, message: this.message, field: this.field };
  }
  static fromWire(wire: WireError): ContractError {
    return new ContractError(wire.code, wire.message, wire.field);
  }
}

/** Renders a zod path as "tiles[2].rect.w". */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path
    .map((key, i) => (typeof key === 'number' ? `[${key}]` : i === 0 ? String(key) : `.${String(key)}`))
    .join('');
}

/** Parses with a schema, or throws an "invalid" ContractError naming the first bad field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, what: string, prefix: readonly PropertyKey[] = []): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const first = result.error.issues[0];
  const field = fieldPath([...prefix, ...(first?.path ?? [])]);
  const others = result.error.issues.length > 1 ? ` (+${result.error.issues.length - 1} more)` : '';
  throw new ContractError('invalid', `${what}: ${field || '(root)'}: ${first?.message ?? 'invalid'}${others}`, field || undefined);
}

// ---------------------------------------------------------------------------------------------
// The wire envelope used by message transports (WebSocket, in-memory)

export const MAX_MESSAGE_BYTES = 1024 * 1024;

export const envelope = z.union([
  z.strictObject({ t: z.literal('req'), id: z.int().min(0), method: z.string().max(64), payload: z.unknown() }),
  z.strictObject({ t: z.literal('res'), id: z.int().min(0), ok: z.literal(true), payload: z.unknown() }),
  z.strictObject({ t: z.literal('res'), id: z.int().min(0), ok: z.literal(false), error: wireError }),
  z.strictObject({ t: z.literal('evt'), event: z.string().max(64), payload: z.unknown() }),
]);
export type Envelope = z.infer<typeof envelope>;

// ---------------------------------------------------------------------------------------------
// `npm start`'s supervisor and the host process it runs (Node IPC one way, the environment the other)

/** Host → supervisor: ready (where its windows point, so the next host serves the same URLs), then alive every few seconds. */
export const hostReport = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ready'), port: z.int().min(1).max(65535) }),
  z.strictObject({ type: z.literal('alive') }),
]);
export type HostReport = z.infer<typeof hostReport>;

/** Supervisor → the host it restarts after a crash, in HOST_RESTART_ENV (JSON). */
export const hostRestart = z.strictObject({ cause: z.string().max(1000) });
export const HOST_RESTART_ENV = 'IOC_WALL_HOST_RESTART';
