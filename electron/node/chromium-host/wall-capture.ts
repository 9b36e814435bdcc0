/**
 * Captures what each wall window shows, over the windows' own DevTools sockets, and
 * composes the whole wall with its bezels drawn. Base of `npm run snapshot` and briefing reports.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PNG } from 'pngjs';
import type { WallDefinition } from '../../../native-bridge/contract.js';
import { displayOrigin, displaySlots, virtualSize } from '../../../native-bridge/wall-geometry.js';
import { CdpSession } from './cdp.js';

/** Waits until the window has painted the revision it holds (so the capture is not mid-update). */
async function waitPainted(page: CdpSession, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const probe = `(() => { const w = document.getElementById('wall'); return w && w.dataset.revision && w.dataset.revision === w.dataset.paintedRevision; })()`;
  while (!(await page.evaluate<boolean>(probe))) {
    if (Date.now() > deadline) throw new Error('the wall window did not finish painting in time');
    await sleep(100);
  }
}

export interface CaptureResult {
  folder: string;
  files: string[];
}

export async function captureWall(wall: WallDefinition, windows: readonly { windowId: string; devtools: string | null }[], folder: string): Promise<CaptureResult> {
  mkdirSync(folder, { recursive: true });
  const size = virtualSize(wall);
  const composite = new PNG({ width: size.width, height: size.height });
  // Bezels: dark grey, so the composite shows where the physical frames are.
  for (let i = 0; i < composite.data.length; i += 4) composite.data.set([40, 40, 44, 255], i);
  const files: string[] = [];
  for (const slot of displaySlots(wall)) {
    const window = windows.find((w) => w.windowId === slot.windowId);
    if (!window?.devtools) throw new Error(`window ${slot.windowId} has no DevTools socket (is the host running with windows?)`);
    const page = await CdpSession.openPage(window.devtools);
    try {
      await waitPainted(page, 20_000);
      const { data } = await page.send<{ data: string }>('Page.captureScreenshot', { format: 'png' });
      const file = join(folder, `${slot.windowId}.png`);
      const bytes = Buffer.from(data, 'base64');
      writeFileSync(file, bytes);
      files.push(file);
      const shot = PNG.sync.read(bytes);
      const origin = displayOrigin(wall, slot.row, slot.column);
      PNG.bitblt(shot, composite, 0, 0, Math.min(shot.width, wall.display.width), Math.min(shot.height, wall.display.height), origin.x, origin.y);
    } finally {
      page.close();
    }
  }
  const wallFile = join(folder, 'wall.png');
  writeFileSync(wallFile, PNG.sync.write(composite));
  files.push(wallFile);
  return { folder, files };
}
