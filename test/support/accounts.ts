/**
 * Real accounts (and display credentials) for tests and benches that act as the console: created in the data folder's wall
 * database through the host's own accounts module (before the host starts, or while it runs), then
 * signed in over the wire — password, and for technicians and administrators a TOTP code computed
 * with otplib. A second connection of the same account presents the first one's session token, as
 * a reloaded console does (a TOTP code is accepted once, so signing in twice in 30 s would fail).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { generateSecret, generateSync } from 'otplib';
import type { ContractClient } from '../../native-bridge/channel.js';
import type { PersonRole, ResponseOf, Scope } from '../../native-bridge/contract.js';
import { TOTP_ROLES } from '../../native-bridge/policy.js';
import { AuthService } from '../../electron/node/accounts/auth-service.js';
import { secretBox } from '../../electron/node/accounts/secret-box.js';
import { openDatabase } from '../../electron/node/database.js';
import { DisplayAccess } from '../../electron/node/displays/display-access.js';
import { loadWallFile } from '../../electron/node/layout-files.js';
import { demoWallFile } from './fixtures.js';
import { connectNodeClient } from './ws-client.js';
import { loadStorageKey } from '../../electron/node/storage-key.js';

export interface TestAccount {
  id: string;
  username: string;
  password: string;
  fullName: string;
  role: PersonRole;
  /** Set for the roles that need TOTP (enrolled at creation). */
  totpSecret: string | null;
  /** The session token of its first sign-in, reused by later connections. */
  token: string | null;
}

const FULL_NAMES: Record<PersonRole, string> = {
  viewer: 'Phạm Thị Xem',
  operator: 'Nguyễn Văn An',
  commander: 'Trần Thị Bình',
  technician: 'Lê Minh Tuấn',
  administrator: 'Nguyễn Thị Hoa',
};

let created = 0;

/** The wall database of a data folder (the wall file names it). */
export const wallDatabaseIn = (dataDir: string, wallFile = demoWallFile): string => join(dataDir, `${loadWallFile(wallFile).id}.sqlite`);

/** Creates an account (TOTP enrolled for the roles that need it) in the data folder's wall database. */
export async function createAccount(dataDir: string, role: PersonRole, options: { username?: string; fullName?: string; scope?: Scope; wallFile?: string } = {}): Promise<TestAccount> {
  const db = openDatabase(wallDatabaseIn(dataDir, options.wallFile), loadStorageKey(dataDir));
  try {
    const auth = new AuthService(db, { dataDir });
    const username = options.username ?? `${role}-${process.pid}-${++created}`;
    const password = `mật-khẩu-thử-${username}-đủ-dài`;
    const fullName = options.fullName ?? FULL_NAMES[role];
    await auth.create({ username, fullName, role, scope: options.scope ?? { kind: 'province' }, password }, { id: 'system', role: 'system' });
    let totpSecret: string | null = null;
    if (TOTP_ROLES.includes(role)) {
      totpSecret = generateSecret();
      auth.store.enrolTotp(username, secretBox(dataDir).seal(totpSecret), 0, [], Date.now());
    }
    return { id: username, username, password, fullName, role, totpSecret, token: null };
  } finally {
    db.close();
  }
}

const perFolder = new Map<string, Promise<TestAccount>>();

/** The data folder's account of this role (default commander), created on first use; its session is reused after. */
export function accountFor(dataDir: string, role: PersonRole = 'commander', wallFile?: string): Promise<TestAccount> {
  const key = `${dataDir}\0${role}\0${wallFile ?? ''}`;
  if (!perFolder.has(key)) perFolder.set(key, createAccount(dataDir, role, wallFile === undefined ? {} : { wallFile }));
  return perFolder.get(key)!;
}

/** A WebSocket console connection to a running host, signed in as the data folder's account of this role. */
export async function connectConsole(host: { baseUrl: string }, dataDir: string, role: PersonRole = 'commander', wallFile?: string) {
  const connection = await connectNodeClient(host.baseUrl);
  await helloAsConsole(connection.client, await accountFor(dataDir, role, wallFile));
  return connection;
}

export const totpNow = (secret: string): string => generateSync({ secret });

const TOTP_STEP_MS = 30_000;
const lastStep = new Map<string, number>();

/**
 * A TOTP code of the account that no earlier sign-in from this process used (the host accepts a
 * code once): waits for the next time step when this one's was used already.
 */
export async function freshCode(account: TestAccount): Promise<string> {
  const step = () => Math.floor(Date.now() / TOTP_STEP_MS);
  const used = lastStep.get(account.username);
  if (used !== undefined && step() <= used) await new Promise((resolve) => setTimeout(resolve, (used + 1) * TOTP_STEP_MS - Date.now() + 50));
  lastStep.set(account.username, step());
  return totpNow(account.totpSecret!);
}

/** Signs in with a fresh code; once more with the next step's when a code was used outside freshCode (a test typing its own). */
async function signInWithCode(client: ContractClient, account: TestAccount) {
  const call = async () => client.call('auth.signIn', { username: account.username, password: account.password, code: await freshCode(account) });
  try {
    return await call();
  } catch (error) {
    if ((error as { code?: string }).code !== 'forbidden') throw error;
    return call();
  }
}

/** Says hello as the console and signs the account in on this connection; answers what the hello said, with the actor. */
export async function helloAsConsole(client: ContractClient, account: TestAccount): Promise<ResponseOf<'session.hello'>> {
  if (account.token) {
    const hello = await client.call('session.hello', { window: 'console', credential: { kind: 'session', token: account.token } });
    if (hello.actor) return hello;
    // an expired session: this connection is the console now (it says hello once), signed out
    return signInOn(client, account, hello);
  }
  return signInOn(client, account, await client.call('session.hello', { window: 'console' }));
}

async function signInOn(client: ContractClient, account: TestAccount, hello: ResponseOf<'session.hello'>): Promise<ResponseOf<'session.hello'>> {
  let answer = await client.call('auth.signIn', { username: account.username, password: account.password });
  if (answer.state === 'second-factor-needed') answer = await signInWithCode(client, account);
  assert.equal(answer.state, 'signed-in', `${account.username} signs in`);
  if (answer.state !== 'signed-in') throw new Error('unreachable');
  account.token = answer.token;
  return { ...hello, actor: { id: account.id, role: account.role, name: account.fullName } };
}

/**
 * A WebSocket connection of an enrolled display window: a credential issued for it in the data
 * folder's wall database (as an enrolment would), presented in session.hello.
 */
export async function connectDisplay(host: { baseUrl: string }, dataDir: string, windowId: string, wallFile = demoWallFile) {
  const credential = issueDisplayCredential(dataDir, windowId, wallFile);
  const connection = await connectNodeClient(host.baseUrl);
  const hello = await connection.client.call('session.hello', { window: windowId, credential: { kind: 'display', token: credential } });
  return { ...connection, credential, hello };
}

/** A credential for the window, as its enrolment would issue it (replacing any earlier one). */
export function issueDisplayCredential(dataDir: string, windowId: string, wallFile = demoWallFile): string {
  const db = openDatabase(wallDatabaseIn(dataDir, wallFile), loadStorageKey(dataDir));
  try {
    return new DisplayAccess(db).issue(windowId, `Màn hình thử ${windowId}`, 'system');
  } finally {
    db.close();
  }
}

/** Says hello as the display window `windowId` with a credential issued for it in the data folder's wall database. */
export function helloAsDisplay(client: ContractClient, dataDir: string, windowId: string): Promise<ResponseOf<'session.hello'>> {
  return client.call('session.hello', { window: windowId, credential: { kind: 'display', token: issueDisplayCredential(dataDir, windowId) } });
}
