/**
 * The load limits of the contract connections, in one place: the host enforces them, the tests
 * use them and docs/architecture.md ("Limits") explains each. A window, a display PC or anything
 * holding the token is untrusted: none of these may be exceeded by one connection at the cost of
 * the others.
 */

/** Per connection (one WebSocket, one Electron window). */
export const connectionLimits = {
  /** Sustained requests a second: a busy console (map pans, paints, camera health) stays far below. */
  requestsPerSecond: 200,
  /** Requests allowed at once above the rate (a window starting up, a reconnect's resync). */
  requestBurst: 400,
  /** Requests admitted but not yet answered; past it a request is refused 'busy'. */
  maxOutstandingRequests: 64,
  /** Refusals in one second past which the connection is closed: it is flooding, not just busy (10× the rate). */
  maxRefusedPerSecond: 2_000,
  /** Requests one connection may start per event-loop turn, so its backlog cannot hold the others up. */
  requestsPerTurn: 16,
  /** Reply and event bytes queued to a socket that is not reading them; past it the socket is closed. */
  maxQueuedBytes: 8 * 1024 * 1024,
  /** How long a closed slow reader gets to take its close frame before its socket is dropped. */
  slowReaderCloseGraceMs: 2_000,
} as const;

/** Per host. */
export const hostLimits = {
  /** Concurrent WebSocket connections: every window of a large wall, the console and display PCs. */
  maxConnections: 64,
  /** A refusal or rejected message of one kind is logged at most once in this period, with a count. */
  refusalLogIntervalMs: 5_000,
  /** status.changed goes out at most once in this period (a hello storm must not become an event storm). */
  statusEventIntervalMs: 250,
} as const;

export type ConnectionLimits = { readonly [K in keyof typeof connectionLimits]: number };
export type HostLimits = { readonly [K in keyof typeof hostLimits]: number };
