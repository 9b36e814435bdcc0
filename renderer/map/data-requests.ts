/**
 * The headers of this window's requests for map data (/gis/*, /basemap/*). The Chromium host
 * answers them only with its per-launch token, which the window got in its URL fragment: in a
 * header, not the query, so it never lands in a URL (logs, caches, the Referer of a camera
 * stream). Electron's app:// needs none. One object, filled in place before the first map draws:
 * deck.gl compares load options by reference, and a new object would reload every tile.
 */
import { DATA_TOKEN_HEADER } from '../../native-bridge/contract.js';

export const dataRequestHeaders: Record<string, string> = {};

/** Called once at start-up with the token from the URL fragment ('' under Electron). */
export function setDataToken(token: string): void {
  if (token) dataRequestHeaders[DATA_TOKEN_HEADER] = token;
}
