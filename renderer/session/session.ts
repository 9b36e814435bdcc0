/**
 * Connects this window to its host and keeps the store in sync:
 *  - transport: Electron IPC when the preload exposed `window.iocBridge`, else a WebSocket to the
 *    Chromium host, which follows the active node of a pair (node-follower.ts); who this window is comes in hello: the console's signed-in session
 *    (sessionStorage), a display's own credential from its enrolment (localStorage). A display
 *    without one shows the enrolment screen and says no hello;
 *  - on every link-up, in this order: session.hello, wall.resync from the local revision, then the
 *    live snapshot (alerts and, in the console, presets are fetched right after hello). A newer
 *    link-up supersedes a run still in flight: the old run stops at its next await without
 *    touching the store, and the new one starts again from hello;
 *  - live wall.patch events applied in order with immer, unchanged tiles kept the same objects
 *    (native-bridge/wall-patches.ts, snapshots too); at or below the local revision they are
 *    dropped, and a gap (or a patch arriving mid-resync that does not fit) triggers a resync;
 *  - live field data (live-store.ts): live.snapshot after every hello, then live.batch events;
 *  - other host data that needs hello (indicators, scenarios) loads through a HelloFeed: after
 *    every successful hello, never before (the host refuses those calls until then).
 */
import { ContractClient, type ClientTransport } from '../../native-bridge/channel.js';
import {
  ContractError,
  DISPLAY_CREDENTIAL_KEY,
  windowId as windowIdSchema,
  type HelloCredential,
  type Command,
  type ResponseOf,
  type WallPatchEvent,
  type WallState,
  type SignedInPerson,
  type WindowId,
} from '../../native-bridge/contract.js';
import { electronIpcTransport } from '../../native-bridge/transports/electron-ipc.js';
import { applyWallPatches, shareUnchanged } from '../../native-bridge/wall-patches.js';
import { i18next } from '../i18n/index.js';
import { setDataCredential } from '../map/data-requests.js';
import { fetchLiveSnapshot, LiveFeed, liveData } from './live-store.js';
import { followingTransport } from './node-follower.js';
import { showToast, useAppStore } from './store.js';
import { markTimeline } from './timeline.js';

export interface LaunchParams {
  /** The validated window id, or null when `?window=` is missing or malformed. */
  windowId: WindowId | null;
  rawWindow: string | null;
  lang: string | null;
}

export function readLaunchParams(location: Location): LaunchParams {
  const query = new URLSearchParams(location.search);
  const rawWindow = query.get('window');
  const parsed = windowIdSchema.safeParse(rawWindow ?? 'console');
  return {
    windowId: parsed.success ? parsed.data : null,
    rawWindow,
    lang: query.get('lang'),
  };
}

export function createTransport(): ClientTransport {
  if (window.iocBridge) return electronIpcTransport(window.iocBridge);
  // a WebSocket to the page's own node, following the active node when the wall has a pair
  return followingTransport(location.origin);
}

// The console's session token: this tab only (sessionStorage), so a reload keeps the sign-in and closing the tab ends it.
const SESSION_TOKEN_KEY = 'ioc-wall.session';
// Storage can be missing (a kiosk policy, or plain Node in tests): then the sign-in lasts as long as this page.
const tabStorage = (): Storage | null => {
  try {
    return globalThis.sessionStorage ?? null;
  } catch {
    return null;
  }
};
let tokenInPage: string | null = null;
const readSessionToken = (): string | null => tabStorage()?.getItem(SESSION_TOKEN_KEY) ?? tokenInPage;
const keepSessionToken = (token: string): void => {
  tokenInPage = token;
  tabStorage()?.setItem(SESSION_TOKEN_KEY, token);
};
const forgetSessionToken = (): void => {
  tokenInPage = null;
  tabStorage()?.removeItem(SESSION_TOKEN_KEY);
};
// A display's credential: this browser profile (localStorage), as long as the enrolment holds.
const profileStorage = (): Storage | null => {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
};
const readDisplayCredential = (): string | null => profileStorage()?.getItem(DISPLAY_CREDENTIAL_KEY) ?? null;
export const keepDisplayCredential = (credential: string): void => profileStorage()?.setItem(DISPLAY_CREDENTIAL_KEY, credential);
const forgetDisplayCredential = (): void => profileStorage()?.removeItem(DISPLAY_CREDENTIAL_KEY);

/** A command failure as the operator should read it. */
export function errorMessage(error: unknown): string {
  if (error instanceof ContractError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}

/** Takes some wall commands instead of the host (the console's staged editing, renderer/console/staging.ts). */
export interface WallStager {
  takes(command: Command): boolean;
  /** Applies the command to the draft; throws (a ContractError) when it is refused. */
  stage(command: Command): void;
}

export class Session {
  /** Bumped by every link change; a sync run of an older epoch stops at its next await. */
  private epoch = 0;
  /** Epoch of the sync run in progress, or null. */
  private running: number | null = null;
  /** Set by a link-up, cleared once hello succeeded / the live snapshot was requested. */
  private needHello = false;
  private needLive = false;
  private syncAgain = false;
  private forceSnapshot = false;
  private queued: WallPatchEvent[] = [];
  private subscribed = false;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  /** The current link's hello has succeeded (reset by every link change). */
  private greeted = false;
  private readonly helloListeners = new Set<() => void>();
  private stager: WallStager | null = null;
  /** Live field data: snapshot after each hello, batches in between. */
  readonly live: LiveFeed;

  constructor(
    readonly client: ContractClient,
    readonly windowId: WindowId,
  ) {
    this.live = new LiveFeed(liveData, { snapshot: () => fetchLiveSnapshot(this.client) });
  }

  get isConsole(): boolean {
    return this.windowId === 'console';
  }

  start(): void {
    useAppStore.setState({ windowId: this.windowId });
    this.subscribe();
    this.client.onLink((up) => {
      // Either way a run still in flight belongs to the old link: let it go quietly.
      this.epoch++;
      this.clearRetry();
      this.greeted = false;
      if (up) {
        useAppStore.setState({ link: 'up' });
        this.needHello = true;
        this.needLive = true;
        void this.sync();
      } else {
        useAppStore.setState({ link: 'down' });
      }
    });
  }

  /**
   * Calls `listener` after every successful hello of this window (each link-up says hello again),
   * and at once if the current link's hello already succeeded: the moments from which calls that
   * need hello are answered.
   */
  onHello(listener: () => void): void {
    this.helloListeners.add(listener);
    if (this.greeted) listener();
  }

  /**
   * Signs the console in (password, then the TOTP or recovery code when asked). On success the
   * session token is kept for this tab; the connection (which says hello once) is now that person's.
   */
  async signIn(username: string, password: string, code?: string): Promise<ResponseOf<'auth.signIn'>> {
    const answer = await this.client.call('auth.signIn', code ? { username, password, code } : { username, password });
    if (answer.state === 'signed-in') this.signedIn(answer);
    return answer;
  }

  /** TOTP enrolment of an account that must have it (administrators, technicians), after its password was accepted. */
  enrolTotp(): Promise<ResponseOf<'auth.enrolTotp'>> {
    return this.client.call('auth.enrolTotp', {});
  }

  async confirmTotp(code: string): Promise<ResponseOf<'auth.confirmTotp'>> {
    const answer = await this.client.call('auth.confirmTotp', { code });
    this.signedIn(answer);
    return answer;
  }

  async signOut(): Promise<void> {
    await this.client.call('auth.signOut', {}).catch(() => {});
    this.signedOut();
  }

  /** Trades an enrolment code for this display's credential, then starts again as the enrolled display. */
  async enrol(code: string): Promise<void> {
    const { credential } = await this.client.call('displays.enrol', { window: this.windowId, code });
    keepDisplayCredential(credential);
    location.reload();
  }

  private signedIn({ token, person }: { token: string; person: SignedInPerson }): void {
    keepSessionToken(token);
    setDataCredential(token);
    useAppStore.setState({ actor: { id: person.id, role: person.role, name: person.fullName }, scope: person.scope });
    this.needLive = true;
    this.greet();
    void this.sync();
  }

  private signedOut(): void {
    forgetSessionToken();
    setDataCredential(null);
    this.greeted = false;
    useAppStore.setState({ actor: null, scope: null });
  }

  /** The credential this window says hello with, if it has one. */
  private credential(): HelloCredential | undefined {
    const token = this.isConsole ? readSessionToken() : readDisplayCredential();
    if (token === null) return undefined;
    return this.isConsole ? { kind: 'session', token } : { kind: 'display', token };
  }

  /** From here on the host answers this window: load what needs hello. */
  private greet(): void {
    void this.refreshAlerts();
    if (this.isConsole) void this.refreshPresets();
    // a console that resumed its session knows the person from hello, their scope from auth.status
    if (this.isConsole && useAppStore.getState().scope === null) void this.refreshScope();
    this.greeted = true;
    for (const listener of [...this.helloListeners]) listener();
  }

  /**
   * Runs a wall command; failures are shown in a toast (never silent) and resolve to null.
   * `describe` may word the toast for a failure (e.g. name the refused field); null = the default.
   */
  async execute(command: Command, describe?: (error: unknown) => string | null): Promise<ResponseOf<'wall.execute'> | null> {
    try {
      if (this.stager?.takes(command)) {
        this.stager.stage(command);
        // staged, not sent: the wall stays at its revision
        return { revision: useAppStore.getState().revision, acceptedAt: Date.now() };
      }
      return await this.client.call('wall.execute', { command });
    } catch (error) {
      showToast(describe?.(error) ?? i18next.t('errors.command', { message: errorMessage(error) }));
      return null;
    }
  }

  /** While set, the wall commands the stager takes go to it instead of the host. */
  stageWith(stager: WallStager | null): void {
    this.stager = stager;
  }

  /**
   * Undo or redo of this person's own latest wall edit (the host keeps the history). A refusal is
   * shown in a toast worded for its cause: nothing to undo, or someone changed the wall since.
   */
  async undoRedo(direction: 'undo' | 'redo'): Promise<boolean> {
    try {
      await this.client.call(direction === 'undo' ? 'wall.undo' : 'wall.redo', {});
      return true;
    } catch (error) {
      const cause = error instanceof ContractError && (error.code === 'not-found' || error.code === 'conflict') ? error.code : null;
      showToast(cause ? i18next.t(`console.${direction}Refused.${cause}`) : i18next.t('errors.command', { message: errorMessage(error) }));
      return false;
    }
  }

  async ackAlert(id: string): Promise<boolean> {
    try {
      await this.client.call('alerts.ack', { id });
      return true;
    } catch (error) {
      showToast(i18next.t('errors.ack', { message: errorMessage(error) }));
      return false;
    }
  }

  async refreshPresets(): Promise<void> {
    try {
      const { presets } = await this.client.call('presets.list', {});
      useAppStore.setState({ presets });
    } catch (error) {
      if (!isDisconnect(error)) showToast(i18next.t('errors.presets', { message: errorMessage(error) }));
    }
  }

  private async refreshScope(): Promise<void> {
    const { person } = await this.client.call('auth.status', {}).catch(() => ({ person: null }));
    if (person) useAppStore.setState({ scope: person.scope });
  }

  async refreshAlerts(): Promise<void> {
    try {
      const { alerts } = await this.client.call('alerts.list', {});
      useAppStore.setState({ alerts });
    } catch (error) {
      if (!isDisconnect(error)) console.warn('ioc-wall: alerts.list failed', error);
    }
  }

  /** Fire-and-forget paint report (wall windows), with the live picture once it has one: cheap, never throws. */
  reportPainted(revision: number): void {
    if (useAppStore.getState().link !== 'up') return;
    const { loaded, seq } = liveData.getState();
    this.client.call('window.painted', loaded ? { revision, live: { seq, readings: liveData.readingCount() } } : { revision }).catch(() => {});
  }

  // -------------------------------------------------------------------------------------------

  private subscribe(): void {
    if (this.subscribed) return;
    this.subscribed = true;
    this.client.on('wall.patch', (event) => this.onPatch(event));
    this.client.on('live.batch', (batch) => this.live.onBatch(batch));
    this.client.on('status.changed', (status) => useAppStore.setState({ status }));
    this.client.on('alerts.changed', ({ alerts }) => useAppStore.setState({ alerts }));
    this.client.on('auth.ended', ({ reason }) => {
      showToast(i18next.t(`signIn.ended.${reason}`), 'info');
      this.signedOut();
    });
    this.client.on('presets.changed', () => {
      if (this.isConsole) void this.refreshPresets();
    });
  }

  private onPatch(event: WallPatchEvent): void {
    markTimeline('ioc-wall:patch', event.revision);
    if (this.running !== null) {
      this.queued.push(event);
      return;
    }
    if (this.applyLive(event) === 'gap') void this.sync();
  }

  /** Applies one live event to the store; 'gap' when it does not follow the local revision. */
  private applyLive(event: WallPatchEvent): 'applied' | 'stale' | 'gap' {
    const { revision, wall } = useAppStore.getState();
    if (wall && event.revision <= revision) return 'stale';
    if (!wall || event.baseRevision !== revision) return 'gap';
    useAppStore.setState({ wall: applyWallPatches(wall, event.patches), revision: event.revision });
    return 'applied';
  }

  /**
   * Brings the wall up to date: after a link-up hello first, then wall.resync, then the live
   * snapshot. While it runs, live patches are queued and replayed afterwards; requests within the
   * same link epoch fold into one more round. A link change starts a new epoch: the older run
   * notices at its next await and returns without writing the store, retrying or toasting.
   */
  private async sync(): Promise<void> {
    const epoch = this.epoch;
    if (this.running === epoch) {
      this.syncAgain = true;
      return;
    }
    this.running = epoch;
    this.syncAgain = false;
    this.clearRetry();
    const superseded = () => this.epoch !== epoch;
    try {
      if (this.needHello) {
        const credential = this.credential();
        // a display page without a credential (Electron's transport vouches for its windows) asks to be enrolled
        if (!credential && !this.isConsole && !window.iocBridge) {
          useAppStore.setState({ enrolmentNeeded: true });
          return;
        }
        setDataCredential(credential?.token ?? null);
        const answer = await this.helloOrEnrol(credential);
        if (superseded() || !answer) return;
        this.needHello = false;
        useAppStore.setState({ actor: answer.actor, status: answer.status });
        // a signed-out console may only sign in (auth.*): nothing else is asked until it has
        // (a session this node does not know, e.g. the other node of a pair took over: the sign-in screen)
        if (answer.actor === null) {
          if (credential) this.signedOut();
          return;
        }
        this.greet();
      }
      do {
        this.syncAgain = false;
        await this.resyncOnce(superseded);
        if (superseded()) return;
        const queued = this.queued;
        this.queued = [];
        for (const event of queued) {
          if (this.applyLive(event) === 'gap') {
            this.syncAgain = true;
            break;
          }
        }
      } while (this.syncAgain);
      if (this.needLive) {
        this.needLive = false;
        void this.live.resync();
      }
    } catch (error) {
      if (superseded()) return;
      this.queued = [];
      if (!isDisconnect(error)) {
        console.error('ioc-wall: resync failed', error);
        if (this.isConsole) showToast(i18next.t('errors.resync', { message: errorMessage(error) }));
        // the retry keeps whatever is still owed (hello, live snapshot) for this epoch
        this.retryTimer = setTimeout(() => {
          this.retryTimer = null;
          if (!superseded()) void this.sync();
        }, 2000);
      }
      // on a disconnect the next link-up resyncs
    } finally {
      if (this.running === epoch) this.running = null;
    }
  }

  /** Hello; a display whose credential the host no longer takes (revoked) forgets it and asks to be enrolled (null). */
  private async helloOrEnrol(credential: HelloCredential | undefined): Promise<ResponseOf<'session.hello'> | null> {
    try {
      return await this.client.call('session.hello', credential ? { window: this.windowId, credential } : { window: this.windowId });
    } catch (error) {
      if (this.isConsole || !(error instanceof ContractError) || error.code !== 'unauthenticated') throw error;
      forgetDisplayCredential();
      setDataCredential(null);
      useAppStore.setState({ enrolmentNeeded: true });
      return null;
    }
  }

  private clearRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private async resyncOnce(superseded: () => boolean): Promise<void> {
    const { revision, wall } = useAppStore.getState();
    const since = wall && !this.forceSnapshot ? revision : 0;
    this.forceSnapshot = false;
    const answer = await this.client.call('wall.resync', { sinceRevision: since });
    if (superseded()) return;
    if (answer.kind === 'snapshot') {
      // a snapshot after a reconnect or a takeover is mostly the wall already shown: keep its tiles
      const held = useAppStore.getState().wall;
      useAppStore.setState({ wall: held ? shareUnchanged(held, answer.state) : answer.state, revision: answer.revision });
      return;
    }
    // Patches since our revision: replay them on the state we hold now.
    const current = useAppStore.getState();
    let state: WallState | null = current.wall;
    let rev = current.revision;
    for (const event of answer.events) {
      if (event.revision <= rev) continue;
      if (!state || event.baseRevision !== rev) {
        this.forceSnapshot = true;
        this.syncAgain = true;
        return;
      }
      state = applyWallPatches(state, event.patches);
      rev = event.revision;
    }
    if (rev < answer.revision) {
      // the host claims a newer revision than the events it sent: take a snapshot
      this.forceSnapshot = true;
      this.syncAgain = true;
    }
    if (state !== current.wall || rev !== current.revision) useAppStore.setState({ wall: state, revision: rev });
  }
}

function isDisconnect(error: unknown): boolean {
  return error instanceof ContractError && error.code === 'disconnected';
}

/**
 * Host data a window loads with a call that needs its hello (indicators, scenarios). The first
 * start() subscribes to its events and loads once the session's hello has succeeded, then again
 * after every reconnect's hello; started lazily, so windows that never show the data never ask.
 * A failed load is logged (a disconnect quietly: the next hello loads again), not retried.
 */
export class HelloFeed {
  private started = false;

  constructor(
    /** Names the load in the warning: "ioc-wall: <what> failed". */
    private readonly what: string,
    private readonly subscribe: (client: ContractClient) => void,
    private readonly load: (client: ContractClient) => Promise<void>,
  ) {}

  /** Starts the feed once per window (later calls do nothing). */
  start(): void {
    if (this.started) return;
    this.started = true;
    const active = session();
    this.subscribe(active.client);
    active.onHello(() => void this.reload());
  }

  /** Loads now, logging a failure as the loads after hello do. */
  async reload(): Promise<void> {
    try {
      await this.load(session().client);
    } catch (error) {
      if (!isDisconnect(error)) console.warn(`ioc-wall: ${this.what} failed`, error);
    }
  }
}

let current: Session | null = null;

/** `transport`: the window's link to its host; by default from the page (see createTransport). */
export function startSession(params: LaunchParams & { windowId: WindowId }, transport: ClientTransport = createTransport()): Session {
  const client = new ContractClient(transport);
  current = new Session(client, params.windowId);
  current.start();
  return current;
}

/** The running session (after startSession). */
export function session(): Session {
  if (!current) throw new Error('session not started');
  return current;
}
