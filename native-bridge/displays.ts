/**
 * Enrolled wall windows over the contract: the credential a display window presents, the
 * credential union session.hello takes, one-time enrolment codes and the displays as a technician
 * sees them. Pure zod; contract.ts re-exports it (no import of contract.ts here).
 */
import { z } from 'zod';
import { sessionToken } from './auth.js';

/** A display window's credential: "d-" and 256 random bits in hex (the prefix tells it from a session token). */
export const displayCredential = z.string().regex(/^d-[0-9a-f]{64}$/, 'a display credential is "d-" and 64 hex digits');
/** A one-time enrolment code as a technician reads it out: 10 letters and digits in two groups, no look-alikes. */
export const enrolmentCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-HJ-NP-Z2-9]{5}-?[A-HJ-NP-Z2-9]{5}$/, 'an enrolment code is 10 letters and digits (XXXXX-XXXXX)');
const displayName = z.string().trim().min(1).max(80);
const displayId = z.string().regex(/^r\d{1,2}c\d{1,2}$/, 'a display window id is r<row>c<column>');

/** What session.hello presents: the console's signed-in session, or a display window's own credential. */
export const helloCredential = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('session'), token: sessionToken }),
  z.strictObject({ kind: z.literal('display'), token: displayCredential }),
]);
export type HelloCredential = z.infer<typeof helloCredential>;

export const DISPLAY_LIMITS = {
  /** How long an enrolment code may be typed in. */
  codeLifetimeMs: 10 * 60_000,
  /** Enrolment attempts per connection: a burst, then one every 2 s. */
  enrolBurst: 5,
  enrolPerSecond: 0.5,
  /** Codes waiting to be used at once (older unused ones are dropped first). */
  openCodesMax: 32,
} as const;

export const displaySummary = z.strictObject({
  windowId: displayId,
  name: displayName,
  enrolledAt: z.int(),
  /** Account id of who made its enrolment code ("system": the host's own window). */
  enrolledBy: z.string(),
  lastSeenAt: z.int().nullable(),
  connected: z.boolean(),
});
export type DisplaySummary = z.infer<typeof displaySummary>;

export const displayRequests = {
  enrolmentCode: z.strictObject({ window: displayId, name: displayName.optional() }),
  revoke: z.strictObject({ window: displayId }),
  enrol: z.strictObject({ window: displayId, code: enrolmentCode }),
} as const;

export const displayResponses = {
  list: z.strictObject({ displays: z.array(displaySummary) }),
  enrolmentCode: z.strictObject({ code: z.string(), window: displayId, name: displayName, expiresAt: z.int() }),
  /** Keep it (the page's localStorage) and present it in session.hello and as the data routes' Bearer. */
  enrol: z.strictObject({ window: displayId, credential: displayCredential }),
} as const;

/** Where a display page keeps its credential (localStorage: it survives restarts, as the enrolment should). */
export const DISPLAY_CREDENTIAL_KEY = 'ioc-wall.display-credential';

/** The Authorization header value the data routes (/gis/*, /basemap/*) take: a session token or a display credential. */
export const bearer = (credential: string): string => `Bearer ${credential}`;
