/**
 * A Vietnamese screen says nothing in raw ids or English: what a page shows (its innerText, so
 * only rendered text) is checked against the ids of the host's own registries — sensors, cameras,
 * gateways, scenarios, communes — and a list of English words that have leaked into Vietnamese
 * screens before (severities, link states, placeholders). Returns each finding with its context.
 */
import type { Page } from 'playwright-core';
import type { ContractClient } from '../../native-bridge/channel.js';

/** English (and programmer) words that have no place in a Vietnamese screen. */
const ENGLISH = ['critical', 'warning', 'info', 'stale', 'offline', 'online', 'live', 'loading', 'error', 'undefined', 'null', 'NaN', 'true', 'false', 'signal', 'unknown', 'pending', 'active', 'closed', 'cleared', 'snapshot', 'drill'];

export interface ScreenFinding {
  page: string;
  found: string;
  context: string;
}

/** The ids people must never read, from the host's registries (ids with a separator: a bare word could be a name). */
export async function registryIds(client: ContractClient, windowIds: readonly string[]): Promise<string[]> {
  const snapshot = await client.call('live.snapshot', {});
  const { scenarios } = await client.call('scenarios.list', {});
  const ids = [
    ...snapshot.sensors.flatMap((s) => [s.id, s.gateway, s.commune]),
    ...snapshot.cameras.flatMap((c) => [c.id, c.commune]),
    ...scenarios.map((s) => s.name),
  ].filter((id) => /[-_]/.test(id) && !/\s/.test(id));
  // and the wall's window ids (r0c0…): a person reads "Hàng 1, cột 1"
  return [...new Set([...ids, ...windowIds])];
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export async function viScreenFindings(pages: ReadonlyMap<string, Page>, ids: readonly string[]): Promise<ScreenFinding[]> {
  const patterns = [
    ...ids.map((id) => new RegExp(`(?<![\\p{L}\\p{N}-])${escape(id)}(?![\\p{L}\\p{N}-])`, 'u')),
    new RegExp(`(?<![\\p{L}\\p{N}])(${ENGLISH.join('|')})(?![\\p{L}\\p{N}])`, 'iu'),
    // a decimal point where Vietnamese writes a comma ("64.2", "10.9380"); "1.234" is a thousands dot and stays
    /(?<![\d.])\d+\.(\d{1,2}|\d{4,})(?![\d.])/u,
  ];
  const findings: ScreenFinding[] = [];
  for (const [name, page] of pages) {
    const text = (await page.evaluate('document.body.innerText')) as string;
    for (const line of text.split('\n')) {
      for (const pattern of patterns) {
        const match = pattern.exec(line);
        if (match) findings.push({ page: name, found: match[0], context: line.trim().slice(0, 160) });
      }
    }
  }
  return findings;
}
