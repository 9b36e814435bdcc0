/**
 * console-interaction: how the operator console answers a person, on the real Chromium host as a
 * process (headless windows, the demo 2×2 wall, the embedded simulated province with its live
 * HLS cameras) with the `map` preset on the wall: four display windows draw the map, the console
 * draws its own interactive copy of it.
 *
 * The console window is driven as a person drives it, with real input events (DevTools
 * Input.dispatchMouseEvent / dispatchKeyEvent: trusted events through Chromium's input pipeline),
 * `repeats` times each (default 50):
 *  - `select`: a click on a tile of the wall miniature (alerts and the picked camera in turn);
 *  - `move_drag` / `move_drop`: the alerts tile dragged three rows down and back (the bench first
 *    makes it 6 rows high, so the place it goes to is free): every pointer move while dragging,
 *    and the release until the miniature shows the tile where the host put it;
 *  - `preset`: Alt+N recalls another preset, then the map preset again, until the console shows
 *    the host's new revision;
 *  - `scenario_panel`: the dock's scenario tab opened (and the presets tab again in between);
 *  - `pan`: a drag of 10 moves on the console's map in "drive the wall" mode, every move until the
 *    console's map drew it; after each gesture, the wall revisions it wrote.
 *
 * Input to paint: from the input event's own time stamp (its creation in the browser, so a busy
 * main thread's queueing counts) to the end of the first frame after which the interaction's
 * effect is in the page (checked in a task posted from each animation frame, i.e. after that
 * frame's style, layout and paint). One interaction is measured at a time, the next sent after
 * the previous one painted, with a short pause between (a person does not click every frame).
 * Long tasks (> 50 ms) of the console's main thread are counted per interaction kind. Measuring
 * starts once the console had no long task for 3 s (the wall's start-up is another figure: cold-start).
 *
 * Goals (issue 16): input-to-paint p95 ≤ 100 ms over every interaction, and one wall revision per
 * pan gesture. `goals_met` holds only when every interaction was measured (none timed out).
 * `npm run bench -- console-interaction [repeats=50]`
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ContractClient } from '../native-bridge/channel.js';
import type { Command } from '../native-bridge/contract.js';
import { CdpSession } from '../electron/node/chromium-host/cdp.js';
import { headlessCompositing } from '../electron/node/chromium-host/chromium.js';
import { softwareGl } from '../renderer/map/software-gl.js';
import { spawnHost, type HostProcess } from '../test/support/host-process.js';
import { waitFor } from '../test/support/page-wait.js';
import { accountFor, connectConsole } from '../test/support/accounts.js';
import { percentile, round } from './stats.js';
import { maxOf } from '../native-bridge/extremes.js';

const P95_GOAL_MS = 100;
const REVISIONS_PER_GESTURE_GOAL = 1;
/** One interaction's effect must be painted within this, or it counts as timed out. */
const INTERACTION_TIMEOUT_MS = 15_000;
/** Between two interactions: a quick person. */
const PAUSE_MS = 250;
/** After a preset recall the four display windows rebuild their maps: the operator looks up first. */
const PRESET_PAUSE_MS = 1500;
const PAN_MOVES = 10;
/** Measuring starts once the console's main thread had no long task for this long (the wall's start-up done). */
const QUIET_MS = 3000;
const MAP_PRESET = 'map';
const OTHER_PRESET = 'overview';
const MOVED_TILE = 'alerts';

/** Installed once in the console (a string: tsx rewrites arrow functions). */
const PROBE_JS = `(() => {
  if (window.__consoleBench) return true;
  const S = window.__consoleBench = { longTasks: [], pending: null, draws: 0, drawMs: [], deck: null };
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) S.longTasks.push([e.startTime, e.duration]);
      if (S.longTasks.length > 20000) S.longTasks.splice(0, 10000);
    }).observe({ type: 'longtask' });
  } catch (e) {}
  // the console map's draws (and their main-thread time): re-hooked when its Deck is another one
  S.hookDeck = () => {
    const deck = window.__iocConsoleDeck && window.__iocConsoleDeck.deckInstance;
    if (!deck || deck === S.deck) return Boolean(deck);
    S.deck = deck;
    const draw = deck._drawLayers;
    deck._drawLayers = function (...args) {
      const started = performance.now();
      try { return draw.apply(this, args); } finally { S.draws++; S.drawMs.push(performance.now() - started); }
    };
    return true;
  };
  const revision = () => Number((document.querySelector('[data-testid="console"]') || { dataset: {} }).dataset.revision || -1);
  S.revision = revision;
  // after the rendering of the frame: a task posted from its animation frame callback runs once style, layout and paint are done
  const afterFrame = (fn) => requestAnimationFrame(() => { const ch = new MessageChannel(); ch.port1.onmessage = () => { ch.port1.close(); fn(performance.now()); }; ch.port2.postMessage(0); });
  /** The next 'type' event starts the clock; 'done(at)' says the interaction's effect is in the page ('at': the page at the event). */
  S.expect = (type, done) => {
    const rec = S.pending = { t0: null, t1: null, at: null };
    const check = () => afterFrame((t) => {
      let ok = false;
      try { ok = Boolean(done(rec.at)); } catch (e) {}
      if (ok) rec.t1 = t;
      else if (t - rec.t0 < ${INTERACTION_TIMEOUT_MS}) check();
      else rec.t1 = -1;
    });
    const onEvent = (e) => {
      window.removeEventListener(type, onEvent, true);
      rec.t0 = e.timeStamp;
      rec.at = { draws: S.draws, revision: revision() };
      check();
    };
    window.addEventListener(type, onEvent, true);
    return true;
  };
  S.wait = () => new Promise((resolve) => {
    const started = performance.now();
    const poll = () => {
      const r = S.pending;
      if (r.t1 !== null) resolve(r.t1 < 0 ? null : { ms: r.t1 - r.t0, t0: r.t0, t1: r.t1 });
      else if (r.t0 === null && performance.now() - started > ${INTERACTION_TIMEOUT_MS}) resolve(null);
      else setTimeout(poll, 5);
    };
    poll();
  });
  S.center = (selector) => {
    const el = document.querySelector(selector);
    if (!el) return null;
    const r = el.getBoundingClientRect();
    return { x: r.left + r.width / 2, y: r.top + r.height / 2, width: r.width, height: r.height };
  };
  return true;
})()`;

type Kind = 'select' | 'move_drag' | 'move_drop' | 'preset' | 'scenario_panel' | 'pan';

interface Timed {
  ms: number;
  t0: number;
  t1: number;
}

const KEY_CODES: Record<string, number> = { Digit1: 49, Digit2: 50, Digit3: 51, Digit4: 52, Digit5: 53, Digit6: 54, Digit7: 55, Digit8: 56, Digit9: 57 };

class Console {
  constructor(private readonly page: CdpSession) {}

  evaluate<T>(expression: string): Promise<T> {
    return this.page.evaluate<T>(expression);
  }

  async center(selector: string): Promise<{ x: number; y: number; width: number; height: number }> {
    const at = await this.evaluate<{ x: number; y: number; width: number; height: number } | null>(`window.__consoleBench.center(${JSON.stringify(selector)})`);
    if (!at) throw new Error(`the console shows no ${selector}`);
    return at;
  }

  mouse(type: 'mousePressed' | 'mouseMoved' | 'mouseReleased', x: number, y: number, pressed: boolean): Promise<unknown> {
    return this.page.send('Input.dispatchMouseEvent', { type, x, y, button: type === 'mouseMoved' && !pressed ? 'none' : 'left', buttons: pressed ? 1 : 0, clickCount: type === 'mouseMoved' ? 0 : 1, pointerType: 'mouse' });
  }

  async key(code: string, modifiers: number): Promise<void> {
    const key = code.replace('Digit', '');
    await this.page.send('Input.dispatchKeyEvent', { type: 'keyDown', modifiers, code, key, windowsVirtualKeyCode: KEY_CODES[code] });
    await this.page.send('Input.dispatchKeyEvent', { type: 'keyUp', modifiers, code, key, windowsVirtualKeyCode: KEY_CODES[code] });
  }

  /** Arms the probe for the next `event`, sends the input, and waits until its effect painted (null: it never did). */
  async timed(event: string, done: string, send: () => Promise<unknown>): Promise<Timed | null> {
    await this.evaluate(`window.__consoleBench.expect(${JSON.stringify(event)}, ${done})`);
    await send();
    return this.evaluate<Timed | null>('window.__consoleBench.wait()');
  }

  revision(): Promise<number> {
    return this.evaluate<number>('window.__consoleBench.revision()');
  }

  /** Fills the sign-in form as a person would type (React reads the input events) and waits for the console. */
  async signIn(username: string, password: string): Promise<void> {
    await waitFor('the console sign-in form', 60_000, () => this.evaluate<boolean>(`document.querySelector('[data-testid="sign-in"] input[name=username]') !== null`));
    await this.evaluate(`(() => {
      const form = document.querySelector('[data-testid="sign-in"]');
      const set = (name, value) => {
        const input = form.querySelector('input[name=' + name + ']');
        Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(input, value);
        input.dispatchEvent(new Event('input', { bubbles: true }));
      };
      set('username', ${JSON.stringify(username)});
      set('password', ${JSON.stringify(password)});
      form.querySelector('button[type=submit]').click();
      return true;
    })()`);
    await waitFor('the signed-in console', 60_000, () => this.evaluate<boolean>(`document.querySelector('[data-testid="console"]') !== null`));
  }
}

/** The wall's revisions after `since` whose patches moved a map's view. */
async function viewRevisions(client: ContractClient, since: number): Promise<{ view: number; all: number }> {
  const sync = await client.call('wall.resync', { sinceRevision: since });
  if (sync.kind === 'snapshot') return { view: -1, all: sync.revision - since };
  const touchesView = (patch: { path: (string | number)[]; value?: unknown }) =>
    patch.path.includes('view') || (patch.path.at(-1) === 'props' && typeof patch.value === 'object' && patch.value !== null && 'view' in patch.value);
  return { view: sync.events.filter((e) => e.patches.some(touchesView)).length, all: sync.events.length };
}

const summary = (values: readonly number[]) =>
  values.length === 0 ? { samples: 0, p50_ms: null, p95_ms: null, max_ms: null } : { samples: values.length, p50_ms: round(percentile(values, 50)), p95_ms: round(percentile(values, 95)), max_ms: round(maxOf(values)) };

export async function run(args: string[]): Promise<object> {
  // WebGL maps in five windows: GPU compositing unless told otherwise (as the other map benches)
  process.env.IOC_WALL_HEADLESS_COMPOSITING ??= 'gpu';
  const compositing = headlessCompositing();
  const repeats = Number(args.find((a) => !a.startsWith('--')) ?? 50);
  if (!(repeats >= 2)) throw new Error('usage: console-interaction [repeats ≥ 2]');
  const dataDir = mkdtempSync(join(tmpdir(), 'ioc-wall-console-interaction-'));
  const load = { start: loadavg().map((x) => round(x, 2)) };
  let host: HostProcess | null = null;
  let page: CdpSession | null = null;
  let closeClient = () => {};
  try {
    const gatewaysFile = join(dataDir, 'gateways.yaml');
    writeFileSync(gatewaysFile, ["bind: { updates: 'tcp://127.0.0.1:*', control: 'tcp://127.0.0.1:*' }", 'simulate: true', 'simulatedCameras: { serve: true, port: 0 }', ''].join('\n'));
    host = await spawnHost({ dataDir, windows: 'headless', gatewaysFile, timeoutMs: 120_000 });
    const connection = await connectConsole(host.runtime, host.dataDir);
    const client = connection.client;
    closeClient = () => connection.transport.close();
    const execute = (command: Command) => client.call('wall.execute', { command });
    await execute({ type: 'apply-preset', name: MAP_PRESET });

    const devtools = host.runtime.windows.find((w) => w.windowId === 'console')?.devtools;
    if (!devtools) throw new Error('the console window has no DevTools socket');
    page = await waitFor('the console page', 30_000, () => CdpSession.openPage(devtools, (url) => url.includes('window=console')));
    const con = new Console(page);
    const person = await accountFor(host.dataDir, 'commander');
    await con.signIn(person.username, person.password);
    await con.evaluate(PROBE_JS);
    await waitFor('the console map', 120_000, () => con.evaluate<boolean>('window.__consoleBench.hookDeck()'));
    const { presets } = await client.call('presets.list', {});
    const digit = (name: string) => {
      const index = presets.findIndex((p) => p.name === name);
      if (index < 0 || index > 8) throw new Error(`preset ${name} has no Alt+N key (index ${index})`);
      return `Digit${index + 1}`;
    };
    // the wall's first maps and camera starts are not what is measured: begin once the console is quiet
    await waitFor('a quiet console (no long task for 3 s)', 120_000, () =>
      con.evaluate<boolean>(`(() => { const l = window.__consoleBench.longTasks.at(-1); return !l || performance.now() - (l[0] + l[1]) > ${QUIET_MS}; })()`), 500);
    console.error(`host up; console signed in as ${person.fullName}; ${cpus().length} cores, load ${load.start.join(' ')}`);

    const samples = new Map<Kind, number[]>();
    const spans = new Map<Kind, [number, number][]>();
    let timedOut = 0;
    const record = (kind: Kind, timed: Timed | null) => {
      if (!timed) {
        timedOut++;
        return;
      }
      samples.set(kind, [...(samples.get(kind) ?? []), timed.ms]);
      spans.set(kind, [...(spans.get(kind) ?? []), [timed.t0, timed.t1]]);
    };
    const scrollTo = (selector: string) => con.evaluate(`(document.querySelector(${JSON.stringify(selector)}).scrollIntoView({ block: 'center' }), true)`);
    const miniTile = (id: string) => `[data-mini-tile-id="${id}"]`;

    // select: a click on a miniature tile selects it at once
    await scrollTo('[data-testid="wall-miniature"]');
    for (let i = 0; i < repeats; i++) {
      const id = i % 2 === 0 ? MOVED_TILE : 'map-camera';
      const at = await con.center(miniTile(id));
      record('select', await con.timed('pointerdown', `() => document.querySelector('.mini-tile.selected${miniTile(id)}') !== null`, () => con.mouse('mousePressed', at.x, at.y, true)));
      await con.mouse('mouseReleased', at.x, at.y, false);
      await sleep(PAUSE_MS);
    }

    // move: the alerts tile, 6 rows high, three rows down and back up
    await execute({ type: 'resize-tile', id: MOVED_TILE, rect: { x: 18, y: 3, w: 6, h: 6 } });
    await waitFor('the console shows the alerts tile 6 rows high', 20_000, () => con.evaluate<boolean>(`document.querySelector('${miniTile(MOVED_TILE)}[data-rect="18,3,6,6"]') !== null`));
    for (let i = 0; i < repeats; i++) {
      const [fromY, toY] = i % 2 === 0 ? [3, 6] : [6, 3];
      const at = await con.center(miniTile(MOVED_TILE));
      const rowPx = at.height / 6;
      const dy = (toY - fromY) * rowPx;
      await con.mouse('mousePressed', at.x, at.y, true);
      for (let m = 1; m <= 5; m++) {
        const y = at.y + (dy * m) / 5;
        // the first frame after the move (React's pointer-move update, the ghost where it snapped)
        record('move_drag', await con.timed('pointermove', '() => true', () => con.mouse('mouseMoved', at.x, y, true)));
      }
      const rect = `18,${toY},6,6`;
      record('move_drop', await con.timed('pointerup', `(at) => window.__consoleBench.revision() > at.revision && document.querySelector('${miniTile(MOVED_TILE)}[data-rect="${rect}"]') !== null`, () => con.mouse('mouseReleased', at.x, at.y + dy, false)));
      await sleep(PAUSE_MS);
    }

    // scenario panel: the dock's scenario tab, and the presets tab between
    for (let i = 0; i < repeats; i++) {
      for (const tab of ['scenarios', 'presets'] as const) {
        const at = await con.center(`[data-dock-tab="${tab}"]`);
        await con.mouse('mousePressed', at.x, at.y, true);
        const timed = await con.timed('pointerup', `() => document.querySelector('[data-dock-body="${tab}"]') !== null`, () => con.mouse('mouseReleased', at.x, at.y, false));
        if (tab === 'scenarios') record('scenario_panel', timed);
        await sleep(PAUSE_MS);
      }
    }

    // preset: Alt+N, another preset and the map preset in turn (ending on the map)
    for (let i = 0; i < repeats; i++) {
      const name = i % 2 === 0 ? OTHER_PRESET : MAP_PRESET;
      record('preset', await con.timed('keydown', `(at) => window.__consoleBench.revision() > at.revision`, () => con.key(digit(name), 1)));
      await sleep(PRESET_PAUSE_MS);
    }
    if (repeats % 2 === 1) await execute({ type: 'apply-preset', name: MAP_PRESET });

    // pan: drags on the console map in "drive the wall" mode; one wall revision per gesture
    await waitFor('the console map after the presets', 60_000, () => con.evaluate<boolean>(`document.querySelector('[data-testid="console-map"]') !== null && window.__consoleBench.hookDeck()`));
    await scrollTo('[data-testid="console-map"]');
    const follow = await con.center('[data-sync-mode="follow"]');
    await con.mouse('mousePressed', follow.x, follow.y, true);
    await con.mouse('mouseReleased', follow.x, follow.y, false);
    await waitFor('the console map in follow mode', 10_000, () => con.evaluate<boolean>(`document.querySelector('[data-testid="map-sync"]').dataset.sync === 'follow'`));
    const revisionsPerGesture: number[] = [];
    const otherRevisions: number[] = [];
    const drawsPerGesture: number[] = [];
    const drawMsBefore = await con.evaluate<number>('window.__consoleBench.drawMs.length');
    for (let i = 0; i < repeats; i++) {
      const at = await con.center('[data-testid="console-map"]');
      const direction = i % 2 === 0 ? 1 : -1;
      const [dx, dy] = [direction * Math.min(160, at.width / 4), direction * Math.min(80, at.height / 4)];
      const before = await con.revision();
      const drawsBefore = await con.evaluate<number>('window.__consoleBench.draws');
      await con.mouse('mousePressed', at.x, at.y, true);
      for (let m = 1; m <= PAN_MOVES; m++) {
        const [x, y] = [at.x + (dx * m) / PAN_MOVES, at.y + (dy * m) / PAN_MOVES];
        record('pan', await con.timed('pointermove', '(at) => window.__consoleBench.draws > at.draws', () => con.mouse('mouseMoved', x, y, true)));
      }
      await con.mouse('mouseReleased', at.x + dx, at.y + dy, false);
      // settled: the console's revision unchanged for 800 ms after the gesture's one write
      let last = -1;
      await waitFor('the pan gesture settled', 20_000, async () => {
        const now = await con.revision();
        const settled = now === last && now > before;
        last = now;
        return settled;
      }, 800).catch(() => undefined);
      const written = await viewRevisions(client, before);
      revisionsPerGesture.push(written.view);
      otherRevisions.push(written.all - written.view);
      drawsPerGesture.push((await con.evaluate<number>('window.__consoleBench.draws')) - drawsBefore);
      await sleep(PAUSE_MS);
    }
    const drawMs = (await con.evaluate<number[]>('window.__consoleBench.drawMs')).slice(drawMsBefore);

    const longTasks = await con.evaluate<[number, number][]>('window.__consoleBench.longTasks');
    const longTasksOf = (kind: Kind) => {
      const within = longTasks.filter(([start, duration]) => (spans.get(kind) ?? []).some(([t0, t1]) => start < t1 && start + duration > t0));
      return { count: within.length, max_ms: within.length ? round(maxOf(within.map(([, d]) => d))) : 0 };
    };
    const kinds: Kind[] = ['select', 'move_drag', 'move_drop', 'scenario_panel', 'preset', 'pan'];
    const all = kinds.flatMap((k) => samples.get(k) ?? []);
    const expected = repeats * (1 + 5 + 1 + 1 + 1 + PAN_MOVES);
    const overall = summary(all);
    const gestureRevisions = round(revisionsPerGesture.reduce((a, b) => a + b, 0) / revisionsPerGesture.length, 2);
    const mapRenderer = await con.evaluate<string | null>('document.documentElement.dataset.mapGlRenderer || null');
    const renderer = mapRenderer === null ? 'unknown' : (softwareGl('', mapRenderer) ?? mapRenderer);
    const complete = timedOut === 0 && all.length === expected;
    return {
      bench: 'console-interaction',
      repeats,
      p50_ms: overall.p50_ms,
      p95_ms: overall.p95_ms,
      max_ms: overall.max_ms,
      by_interaction: Object.fromEntries(kinds.map((k) => [k, { ...summary(samples.get(k) ?? []), long_tasks: longTasksOf(k) }])),
      long_tasks_over_50ms: kinds.reduce((n, k) => n + longTasksOf(k).count, 0),
      revisions_per_gesture: gestureRevisions,
      revisions_per_gesture_max: maxOf(revisionsPerGesture),
      gestures: revisionsPerGesture.length,
      other_revisions_during_pans: otherRevisions.reduce((a, b) => a + b, 0),
      console_map: {
        draws_per_gesture_p50: round(percentile(drawsPerGesture, 50)),
        draw_ms_p50: drawMs.length ? round(percentile(drawMs, 50)) : null,
        draw_ms_p95: drawMs.length ? round(percentile(drawMs, 95)) : null,
        renders: await con.evaluate<string | null>('document.documentElement.dataset.mapRenderer || null'),
      },
      measured: { interactions: all.length, expected, timed_out: timedOut, complete },
      goals: { p95_ms: P95_GOAL_MS, revisions_per_gesture: REVISIONS_PER_GESTURE_GOAL },
      goals_met: {
        p95: complete && overall.p95_ms !== null && overall.p95_ms <= P95_GOAL_MS,
        revisions_per_gesture: revisionsPerGesture.length === repeats && revisionsPerGesture.every((n) => n === REVISIONS_PER_GESTURE_GOAL),
      },
      renderer,
      compositing,
      cores: cpus().length,
      loadavg: { start: load.start, end: loadavg().map((x) => round(x, 2)) },
    };
  } catch (error) {
    if (host && !host.alive()) console.error(`the host exited:\n${host.output().slice(-3000)}`);
    throw error;
  } finally {
    page?.close();
    closeClient();
    await host?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
