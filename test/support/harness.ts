/**
 * Contract clients for tests: a client wired to a core session over the in-memory port pair (the
 * same serveOverPort path the WebSocket and Electron IPC transports use), a whole Chromium host
 * reached over WebSocket, and the assertions contract tests share.
 */
import assert from 'node:assert/strict';
import { ContractClient, PortClientTransport, sendEvent, serveOverPort, type ClientTransport, type RejectedMessage } from '../../native-bridge/channel.js';
import { ContractError, type PersonRole, type WindowId } from '../../native-bridge/contract.js';
import { electronIpcTransport, type IocBridge } from '../../native-bridge/transports/electron-ipc.js';
import { createInMemoryPortPair } from '../../native-bridge/transports/in-memory.js';
import type { RelayPort } from '../../native-bridge/transports/relay-port.js';
import { openWindowRelay } from '../../electron/node/window-relay.js';
import { startChromiumHost, type ChromiumHost } from '../../electron/node/chromium-host/host.js';
import type { Core } from '../../electron/node/core.js';
import { rendererDist } from '../../electron/node/project-paths.js';
import { demoPresetsDir, demoWallFile, noGatewaysFile, tempDir } from './fixtures.js';
import { testScenariosDir } from './test-scenarios.js';
import { connectNodeClient } from './ws-client.js';
import { accountFor, helloAsConsole, helloAsDisplay } from './accounts.js';

export interface Connection {
  client: ContractClient;
  transport: PortClientTransport;
}

/** A new connection to the core; with enrolledAs it is a window's own link (as Electron IPC opens them). */
export function connectInMemory(core: Pick<Core, 'openSession'>, options: { enrolledAs?: WindowId } = {}): Connection {
  const [clientPort, serverPort] = createInMemoryPortPair();
  const session = core.openSession((event, payload) => sendEvent(serverPort, event, payload), options);
  serverPort.onClose(() => session.close());
  serveOverPort(session, serverPort);
  const transport = new PortClientTransport();
  transport.attach(clientPort);
  return { client: new ContractClient(transport), transport };
}

/**
 * A window of the Electron host without the Electron binary: the renderer's electronIpcTransport
 * over an IocBridge wired as the preload and ipcMain wire it, to the main side's window relay (the
 * one electron-main/ipc-port.ts uses). Only ipcMain/ipcRenderer's byte moving is left out.
 */
export function connectAsElectronWindow(core: Pick<Core, 'openSession'>, windowId: WindowId, rejected: RejectedMessage[] = []) {
  let toPage: ((data: string) => void) | null = null;
  const relay: RelayPort = openWindowRelay(core, windowId, (data) => queueMicrotask(() => toPage?.(data)), (r) => rejected.push(r));
  const bridge: IocBridge = {
    send: (data) => queueMicrotask(() => relay.receive(data)),
    onMessage: (listener) => void (toPage = listener),
  };
  const transport: ClientTransport = electronIpcTransport(bridge);
  return { client: new ContractClient(transport), bridge, relay, transport };
}

/** Connections of one kind to one host, closed together. */
export interface Harness {
  /** The host's data folder (its wall database holds the accounts). */
  dataDir: string;
  connect(): Promise<Connection>;
  /** A console connection signed in as this role's account (one per role, created on first use; default commander). */
  console(role?: PersonRole): Promise<Connection>;
  /** A display window's connection that said hello with a credential issued for it. */
  display(windowId: WindowId): Promise<Connection>;
  close(): Promise<void>;
}

/** Connections that say hello as an enrolled display (a credential issued for it in the data folder's wall database). */
export function displayHello(dataDir: string, connect: () => Promise<Connection>): (windowId: WindowId) => Promise<Connection> {
  return async (windowId) => {
    const connection = await connect();
    await helloAsDisplay(connection.client, dataDir, windowId);
    return connection;
  };
}

/** Signs connections in as the data folder's account of a role. */
export function consoleSignIn(dataDir: string, connect: () => Promise<Connection>): (role?: PersonRole) => Promise<Connection> {
  return async (role = 'commander') => {
    const connection = await connect();
    await helloAsConsole(connection.client, await accountFor(dataDir, role));
    return connection;
  };
}

export function inMemoryHarness(core: Pick<Core, 'openSession'>, close: () => Promise<void>, dataDir: string): Harness {
  const open: Connection[] = [];
  const connect = async () => {
    const connection = connectInMemory(core);
    open.push(connection);
    return connection;
  };
  return {
    dataDir,
    connect,
    console: consoleSignIn(dataDir, connect),
    display: displayHello(dataDir, connect),
    async close() {
      open.forEach((c) => c.transport.close());
      await close();
    },
  };
}

/** A Chromium host serving the demo wall without gateways or windows, reached over its WebSocket; accounts go into dataDir. */
export async function webSocketHarness(): Promise<Harness & { host: ChromiumHost; dataDir: string }> {
  const dataDir = tempDir();
  const host = await startChromiumHost({ wallFile: demoWallFile, presetsDir: demoPresetsDir, scenariosDir: testScenariosDir(), gatewaysFile: noGatewaysFile, dataDir, rendererDir: rendererDist, windows: 'none', log: () => {} });
  const connect = () => connectNodeClient(host.baseUrl);
  return { host, dataDir, connect, console: consoleSignIn(dataDir, connect), display: displayHello(dataDir, connect), close: () => host.close() };
}

export async function rejectsWith(promise: Promise<unknown>, codes: string | readonly string[], field?: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof ContractError, String(error));
    assert.ok(([] as string[]).concat(codes).includes(error.code), `${error.code}: ${error.message}`);
    if (field) assert.equal(error.field, field, error.message);
    return true;
  });
}

export function nextEvent<T>(subscribe: (cb: (v: T) => void) => () => void, accept: (v: T) => boolean = () => true): Promise<T> {
  return new Promise((resolve) => {
    const off = subscribe((v) => {
      if (!accept(v)) return;
      off();
      resolve(v);
    });
  });
}
