/**
 * Text under a bezel: a wall window shows its display's part of the bezel-compensated plane, so
 * a glyph box that runs past the window's edge toward a neighbouring display is cut by the
 * bezel (half of it in the band nobody sees), and one lying wholly in the band is seen by no
 * one. Each text node's line boxes (Range.getClientRects, one per line, so every glyph is
 * covered) are checked against the edges this display shares with another.
 */
import type { Page } from 'playwright-core';
import type { WallDefinition } from '../../native-bridge/contract.js';
import { parseDisplayWindowId } from '../../native-bridge/wall-geometry.js';

export interface BezelTextFinding {
  window: string;
  tile: string;
  text: string;
  box: [number, number, number, number];
}

/** Runs in the page: the text line boxes of its tiles that cross or lie in a band beside the given edges. */
const findInPage = ({ edges, bezel }: { edges: { left: boolean; right: boolean; top: boolean; bottom: boolean }; bezel: number }) => {
  const W = innerWidth;
  const H = innerHeight;
  const found: { tile: string; text: string; box: [number, number, number, number] }[] = [];
  const walker = document.createTreeWalker(document.getElementById('wall') ?? document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent?.trim() ?? '';
    const parent = node.parentElement;
    if (!text || !parent) continue;
    const tile = parent.closest<HTMLElement>('[data-tile-id]');
    if (!tile) continue;
    const style = getComputedStyle(parent);
    if (style.visibility === 'hidden' || style.display === 'none' || Number(style.opacity) === 0) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const r of range.getClientRects()) {
      if (r.width < 1 || r.height < 1) continue;
      // a box clipped away inside its own tile (overflow: hidden) is not drawn at all
      const t = tile.getBoundingClientRect();
      if (r.right <= t.left || r.left >= t.right || r.bottom <= t.top || r.top >= t.bottom) continue;
      const cut =
        (edges.right && r.right > W + 0.5 && r.left < W + bezel) ||
        (edges.left && r.left < -0.5 && r.right > -bezel) ||
        (edges.bottom && r.bottom > H + 0.5 && r.top < H + bezel) ||
        (edges.top && r.top < -0.5 && r.bottom > -bezel);
      if (cut) found.push({ tile: tile.dataset.tileId ?? '?', text: text.slice(0, 60), box: [r.x, r.y, r.width, r.height].map(Math.round) as [number, number, number, number] });
    }
  }
  return found;
};

export async function bezelTextFindings(wall: WallDefinition, displays: ReadonlyMap<string, Page>): Promise<BezelTextFinding[]> {
  const findings: BezelTextFinding[] = [];
  for (const [windowId, page] of displays) {
    const at = parseDisplayWindowId(windowId);
    if (!at) continue;
    const edges = { left: at.column > 0, right: at.column < wall.columns - 1, top: at.row > 0, bottom: at.row < wall.rows - 1 };
    for (const f of await page.evaluate(findInPage, { edges, bezel: wall.display.bezelPx })) findings.push({ window: windowId, ...f });
  }
  return findings;
}
