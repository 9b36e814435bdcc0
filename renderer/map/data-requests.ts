/**
 * The headers of this window's requests for map data (/gis/*, /basemap/*). The Chromium host
 * answers them only to a valid credential — the console's signed-in session or a display's own
 * credential — as `Authorization: Bearer …`: in a header, never the query, so it never lands in a
 * URL (logs, caches, the Referer of a camera stream). Electron's app:// needs none. One object,
 * changed in place: deck.gl compares load options by reference, and a new object would reload
 * every tile.
 */
import { bearer } from '../../native-bridge/contract.js';

export const dataRequestHeaders: Record<string, string> = {};

/** The credential this window says hello with (null: none, e.g. signed out). */
export function setDataCredential(credential: string | null): void {
  if (credential) dataRequestHeaders.authorization = bearer(credential);
  else delete dataRequestHeaders.authorization;
}
