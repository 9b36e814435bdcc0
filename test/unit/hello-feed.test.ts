/**
 * The console's indicator and scenario feeds (HelloFeed, renderer/session/session.ts) on a real
 * renderer Session over the in-memory transport to a real core with the scenario engine and the
 * indicator service: they load only once the session's hello has succeeded, again after every
 * reconnect's hello, and the host never has to refuse one of their calls.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { StoreApi } from 'zustand/vanilla';
import { PortClientTransport, sendEvent, serveOverPort, type MessagePortLike } from '../../native-bridge/channel.js';
import { createInMemoryPortPair } from '../../native-bridge/transports/in-memory.js';
import type { Core } from '../../electron/node/core.js';
import { startIndicators, type IndicatorService } from '../../electron/node/indicators/indicator-service.js';
import { defaultIndicatorsDir } from '../../electron/node/project-paths.js';
import { testScenariosDir } from '../support/test-scenarios.js';
import { session, startSession } from '../../renderer/session/session.js';
import { useAppStore } from '../../renderer/session/store.js';
import { accountFor, type TestAccount } from '../support/accounts.js';
import { indicatorsStore, startIndicatorFeed } from '../../renderer/session/indicators-store.js';
import { scenariosStore, startScenarioFeed } from '../../renderer/console/scenarios/scenarios-store.js';
import { demoPresetsDir, demoWallFile, tempDir } from '../support/fixtures.js';
import { startScenarioCore } from '../support/scenario-core.js';
import { waitFor } from '../support/page-wait.js';

/** Resolves once the store's state passes `ok` (now or on a later change). */
function until<S>(store: StoreApi<S>, ok: (state: S) => boolean): Promise<void> {
  return new Promise((resolve) => {
    if (ok(store.getState())) return resolve();
    const off = store.subscribe((state) => {
      if (!ok(state)) return;
      off();
      resolve();
    });
  });
}

/** The server's side of a port, noting each request ("→ method") and answer ("← method ok" / "← method forbidden"). */
function noted(port: MessagePortLike, notes: string[]): MessagePortLike {
  const methods = new Map<number, string>();
  return {
    send(data) {
      const frame = JSON.parse(data) as { t: string; id: number; ok: boolean; error?: { code: string } };
      if (frame.t === 'res') notes.push(`← ${methods.get(frame.id)} ${frame.ok ? 'ok' : frame.error!.code}`);
      port.send(data);
    },
    onMessage(listener) {
      port.onMessage((data) => {
        const frame = JSON.parse(data) as { t: string; id: number; method: string };
        if (frame.t === 'req') {
          methods.set(frame.id, frame.method);
          notes.push(`→ ${frame.method}`);
        }
        listener(data);
      });
    },
    onClose: (listener) => port.onClose(listener),
    close: () => port.close(),
  };
}

describe('feeds that need hello', () => {
  let core: Core;
  let closeCore: () => Promise<void>;
  let indicators: IndicatorService;
  const transport = new PortClientTransport();
  const links: { notes: string[]; close(): void }[] = [];
  let account: TestAccount;

  /** A new link from the session's transport to the core (a connect, or a reconnect). */
  function connect(): string[] {
    const notes: string[] = [];
    const [clientPort, serverPort] = createInMemoryPortPair();
    const server = noted(serverPort, notes);
    const session = core.openSession((event, payload) => sendEvent(server, event, payload));
    server.onClose(() => session.close());
    serveOverPort(session, server);
    transport.attach(clientPort);
    links.push({ notes, close: () => serverPort.close() });
    return notes;
  }

  /** On one link: hello answered ok before any of `methods` is asked, and every answer ok. */
  function assertAfterHello(notes: string[], methods: string[]): void {
    const hello = notes.lastIndexOf('← session.hello ok');
    assert.ok(hello >= 0, `hello answered: ${notes.join(', ')}`);
    for (const method of methods) {
      const asked = notes.indexOf(`→ ${method}`);
      assert.ok(asked > hello, `${method} asked after hello: ${notes.join(', ')}`);
      assert.equal(notes.filter((n) => n === `→ ${method}`).length, 1, `${method} asked once: ${notes.join(', ')}`);
    }
    assert.deepEqual(
      notes.filter((n) => n.startsWith('←') && !n.endsWith(' ok')),
      [],
      'no call refused',
    );
  }

  before(async () => {
    const dir = tempDir('ioc-wall-hello-feed-');
    account = await accountFor(dir, 'operator');
    ({ core, close: closeCore } = await startScenarioCore({ wallFile: demoWallFile, presetsDir: demoPresetsDir, dataDir: dir, host: 'chromium' }, { dir: testScenariosDir(), watch: false }));
    indicators = startIndicators({ dir: defaultIndicatorsDir, db: core.db, live: core.live, alerts: core.alerts, broadcastMs: 0, log: () => {} });
    core.attachIndicators(indicators);
    startSession({ windowId: 'console', rawWindow: 'console', lang: null }, transport);
  });
  after(async () => {
    transport.close();
    core.attachIndicators(null);
    indicators.close();
    await closeCore();
  });

  it('loads once hello has succeeded: a feed started before the link, and one started after hello', async () => {
    startIndicatorFeed();
    const first = connect();
    // a console that has not signed in is greeted with no actor and asks for nothing else (a feed
    // asking anyway would show as a second ask below: each method is asked once, after sign-in)
    await waitFor('the hello answered', 10_000, async () => first.includes('← session.hello ok'), 25);
    assert.deepEqual(first.filter((n) => n.startsWith('→')), ['→ session.hello'], 'signed out: only hello');
    assert.equal((await session().signIn(account.username, account.password)).state, 'signed-in');
    await until(indicatorsStore, (s) => s.loaded);
    assert.equal(useAppStore.getState().actor?.id, account.id, 'greeted as the signed-in account');
    assert.ok(indicatorsStore.getState().indicators.length > 0, 'the built-in indicators');
    startScenarioFeed();
    await until(scenariosStore, (s) => s.loaded);
    assert.ok(scenariosStore.getState().scenarios.length > 0, 'the scenarios of layouts/scenarios');
    assertAfterHello(first, ['indicators.list', 'scenarios.list', 'scenarios.runs']);
  });

  it('loads again after a reconnect, once the new link has said hello', async () => {
    indicatorsStore.setState({ loaded: false });
    scenariosStore.setState({ loaded: false });
    const down = new Promise<void>((resolve) => {
      const off = transport.onLink((up) => {
        if (up) return;
        off();
        resolve();
      });
    });
    links.at(-1)!.close();
    await down;
    const second = connect();
    await Promise.all([until(indicatorsStore, (s) => s.loaded), until(scenariosStore, (s) => s.loaded)]);
    assertAfterHello(second, ['indicators.list', 'scenarios.list', 'scenarios.runs']);
  });
});
