/**
 * Captures what each wall window shows, over the windows' own DevTools endpoints (loopback), and
 * composes the whole wall with its bezels drawn. Base of `npm run snapshot` and briefing reports.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PNG } from 'pngjs';
import WebSocket from 'ws';
import type { WallDefinition } from '../../../native-bridge/contract.js';
import { displayOrigin, displaySlots, virtualSize } from '../../../native-bridge/wall-geometry.js';

interface CdpTarget {
  type: string;
  url: string;
  webSocketDebuggerUrl: string;
}

/** A minimal DevTools protocol session on one page. */
class CdpPage {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString()) as { id?: number; result?: unknown; error?: { message: string } };
      const call = message.id === undefined ? undefined : this.pending.get(message.id);
      if (!call) return;
      this.pending.delete(message.id!);
      if (message.error) call.reject(new Error(message.error.message));
      else call.resolve(message.result);
    });
  }

  static async open(cdpUrl: string): Promise<CdpPage> {
    const targets = (await (await fetch(`${cdpUrl}/json/list`)).json()) as CdpTarget[];
    const page = targets.find((t) => t.type === 'page');
    if (!page) throw new Error(`no page in the window at ${cdpUrl}`);
    const socket = new WebSocket(page.webSocketDebuggerUrl, { maxPayload: 256 * 1024 * 1024 });
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    return new CdpPage(socket);
  }

  send<T>(method: string, params: object = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }

  async evaluate<T>(expression: string): Promise<T> {
    const { result } = await this.send<{ result: { value: T } }>('Runtime.evaluate', { expression, returnByValue: true });
    return result.value;
  }

  close(): void {
    this.socket.close();
  }
}

/** Waits until the window has painted the revision it holds (so the capture is not mid-update). */
async function waitPainted(page: CdpPage, timeoutMs: number): Promise<void> {
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

export async function captureWall(wall: WallDefinition, windows: readonly { windowId: string; cdpUrl: string | null }[], folder: string): Promise<CaptureResult> {
  mkdirSync(folder, { recursive: true });
  const size = virtualSize(wall);
  const composite = new PNG({ width: size.width, height: size.height });
  // Bezels: dark grey, so the composite shows where the physical frames are.
  for (let i = 0; i < composite.data.length; i += 4) composite.data.set([40, 40, 44, 255], i);
  const files: string[] = [];
  for (const slot of displaySlots(wall)) {
    const window = windows.find((w) => w.windowId === slot.windowId);
    if (!window?.cdpUrl) throw new Error(`window ${slot.windowId} has no DevTools endpoint (is the host running with windows?)`);
    const page = await CdpPage.open(window.cdpUrl);
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
