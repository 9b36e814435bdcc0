/**
 * The headers of this window's requests for map data (/gis/*, /basemap/*). The Chromium host
 * answers them only to a valid credential — the console's signed-in session or a display's own
 * credential — as `Authorization: Bearer …`: in a header, never the query, so it never lands in a
 * URL (logs, caches, the Referer of a camera stream). Electron's app:// needs none. One object,
 * changed in place: deck.gl compares load options by reference, and a new object would reload
 * every tile.
 */
import { useSyncExternalStore } from 'react';
import { bearer } from '../../native-bridge/contract.js';

export const dataRequestHeaders: Record<string, string> = {};

/** The credential this window says hello with (null: none, e.g. signed out). */
export function setDataCredential(credential: string | null): void {
  if (credential) dataRequestHeaders.authorization = bearer(credential);
  else delete dataRequestHeaders.authorization;
}

// Where map data comes from: '' is the page's own origin; a window of a pair that moved to the
// other node (session/node-follower.ts) asks that node's base URL, which answers the page's
// origin (CORS for the pair's addresses only: electron/node/http/static-server.ts).
let dataBase = '';
const baseListeners = new Set<() => void>();

/** Points map data requests at `base` (a node's base URL, or '' for the page's own origin). */
export function setDataBase(base: string): void {
  if (base === dataBase) return;
  dataBase = base;
  for (const listener of [...baseListeners]) listener();
}

/** A data path (/gis/…, /basemap/…) on the node this window is on now. */
export function dataUrl(path: string): string {
  return dataBase + path;
}

/** The data path, changing when the window moves to the other node (a new base map URL: deck.gl refetches the visible tiles, keeping the old ones until then). */
export function useDataUrl(path: string): string {
  return useSyncExternalStore(subscribeBase, () => dataUrl(path), () => path);
}

function subscribeBase(listener: () => void): () => void {
  baseListeners.add(listener);
  return () => baseListeners.delete(listener);
}
