/**
 * What a pair's standby copies from the active node, on real SQLite files (one wall database per
 * node, each with its own data folder and keys), and what it refuses even though the peer is
 * authenticated: frames over their bounds or with fields that have no place on the link, accounts
 * older than a change made here, sessions of accounts it does not hold or colliding with its own,
 * run log lines that come again with other content or for a run it does not hold, scenario
 * definitions that are not scenarios, and audit rows that break the chain.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { peerFrame, PEER_ACCOUNTS_BYTES, PEER_ACCOUNTS_MAX, PEER_JOURNAL_BATCH, PEER_PROTOCOL_VERSION, type PeerAuditRow, type ScenarioRun } from '../../native-bridge/contract.js';
import { copyDigest } from '../../electron/node/accounts/account-replica.js';
import { AccountFeed } from '../../electron/node/pair/account-feed.js';
import { AuditFeed } from '../../electron/node/pair/audit-feed.js';
import { RunFeed } from '../../electron/node/pair/run-feed.js';
import { AuthService } from '../../electron/node/accounts/auth-service.js';
import { AuditLog } from '../../electron/node/audit/audit-log.js';
import { ownAuditAfter, PeerAuditChain } from '../../electron/node/audit/peer-audit.js';
import { openDatabase, type Db } from '../../electron/node/database.js';
import { RunReplica } from '../../electron/node/scenarios/run-replica.js';
import { RunStore, type RunDocument } from '../../electron/node/scenarios/run-store.js';
import { loadScenarioDir } from '../../electron/node/scenarios/scenario-files.js';
import { defaultScenariosDir } from '../../electron/node/project-paths.js';
import { loadStorageKey } from '../../electron/node/storage-key.js';
import { verifyTotp } from '../../electron/node/accounts/totp.js';
import { generateSecret, generateSync } from 'otplib';
import { tempDir } from '../support/fixtures.js';

interface TestNode {
  id: string;
  dataDir: string;
  db: Db;
  auth: AuthService;
}

function node(id: string): TestNode {
  const dataDir = tempDir(`ioc-wall-${id}-`);
  const db = openDatabase(join(dataDir, 'demo.sqlite'), loadStorageKey(dataDir));
  return { id, dataDir, db, auth: new AuthService(db, { dataDir }) };
}

const system = { id: 'system', role: 'system' } as const;
const admin = { id: 'quantri', role: 'administrator' } as const;
const password = 'mật-khẩu-đủ-dài-để-thử';
const hello = (auth: AuthService) => auth.newConnection();

async function signedIn(auth: AuthService, username: string): Promise<string> {
  const answer = await auth.signIn({ username, password }, hello(auth));
  assert.equal(answer.state, 'signed-in');
  return (answer as { token: string }).token;
}

/** What the active node's copy would be, through the contract as the link carries it. */
function overTheLink(active: TestNode) {
  const copy = active.auth.replica.copy({ accounts: PEER_ACCOUNTS_MAX, sessions: 4096, bytes: PEER_ACCOUNTS_BYTES });
  const frame = peerFrame.parse(JSON.parse(JSON.stringify({ kind: 'accounts.entries', v: PEER_PROTOCOL_VERSION, digest: copyDigest(copy), replica: copy })));
  assert.equal(frame.kind, 'accounts.entries');
  return (frame as Extract<typeof frame, { kind: 'accounts.entries' }>).replica!;
}

describe('accounts and sessions copied to the standby', () => {
  it('a session signed in on the active node is admitted by the standby; ended or disabled there, refused on both', async () => {
    const a = node('ioc-a');
    const b = node('ioc-b');
    await a.auth.create({ username: 'nguyen-an', fullName: 'Nguyễn Văn An', role: 'operator', scope: { kind: 'province' }, password }, system);
    await a.auth.create({ username: 'tran-binh', fullName: 'Trần Thị Bình', role: 'commander', scope: { kind: 'province' }, password }, system);
    const token = await signedIn(a.auth, 'nguyen-an');
    const other = await signedIn(a.auth, 'tran-binh');
    const result = b.auth.mirror(overTheLink(a), a.id);
    assert.deepEqual(result.refused, []);
    assert.ok(b.auth.resume(token, hello(b.auth)), 'the token is admitted on the standby');
    assert.ok(b.auth.resume(other, hello(b.auth)));
    // the standby can sign in with the same password: the hash came as stored
    assert.ok(await signedIn(b.auth, 'nguyen-an'));
    // signed out on the active node: refused on the standby after the next copy, its live connection ended
    const conn = a.auth.newConnection();
    a.auth.resume(token, conn);
    a.auth.signOut(conn);
    const ended: string[] = [];
    b.auth.onEnded((e) => ended.push('tokenHash' in e ? 'session' : e.accountId));
    b.auth.mirror(overTheLink(a), a.id);
    assert.equal(b.auth.resume(token, hello(b.auth)), null);
    assert.deepEqual(ended, ['session']);
    // disabled on the active node: its sessions and sign-in are refused on the standby
    a.auth.disable({ id: 'tran-binh', disabled: true }, admin);
    b.auth.mirror(overTheLink(a), a.id);
    assert.equal(b.auth.resume(other, hello(b.auth)), null);
    await assert.rejects(b.auth.signIn({ username: 'tran-binh', password }, hello(b.auth)), /wrong username/);
    assert.ok(ended.includes('tran-binh'), 'the live connections of the disabled account end');
  });

  it('a planned handover waits for the sessions signed in before it: the standby\'s requests must name a copy holding them', async () => {
    const a = node('ioc-a');
    const b = node('ioc-b');
    const onActive = new AccountFeed(a.auth, b.id);
    const onStandby = new AccountFeed(b.auth, a.id);
    onActive.driving(true);
    onStandby.driving(false);
    await a.auth.create({ username: 'le-cuong', fullName: 'Lê Văn Cường', role: 'operator', scope: { kind: 'province' }, password }, system);
    assert.equal(onActive.handoverCheck()(), false, 'the standby has asked nothing yet');
    const over = (frame: unknown) => peerFrame.parse(JSON.parse(JSON.stringify(frame)));
    const round = () => onStandby.take(over(onActive.answer(over(onStandby.request()) as never)) as never);
    round();
    assert.equal(onActive.handoverCheck()(), false, 'it said what it held before the copy');
    round();
    assert.equal(onActive.handoverCheck()(), true, 'its next request names the copy it took');
    const token = await signedIn(a.auth, 'le-cuong');
    const holds = onActive.handoverCheck();
    assert.equal(holds(), false, 'a new session is not on the standby yet');
    round();
    round();
    assert.equal(holds(), true);
    assert.ok(b.auth.resume(token, hello(b.auth)), 'and the standby admits it');
  });

  it('a TOTP secret sealed under the active node\'s key is sealed again under the standby\'s: the same codes work there', async () => {
    const a = node('ioc-a');
    const b = node('ioc-b');
    await a.auth.create({ username: 'le-tuan', fullName: 'Lê Minh Tuấn', role: 'technician', scope: { kind: 'province' }, password }, system);
    const secret = generateSecret();
    const sealedOnA = (a.auth as unknown as { box: { seal(s: string): string } }).box.seal(secret);
    a.auth.store.enrolTotp('le-tuan', sealedOnA, 0, [], Date.now());
    b.auth.mirror(overTheLink(a), a.id);
    const onB = b.auth.store.byId('le-tuan')!;
    assert.notEqual(onB.totpSecret, sealedOnA, 'sealed under the standby\'s own key');
    const opened = (b.auth as unknown as { box: { open(s: string): string } }).box.open(onB.totpSecret!);
    assert.equal(opened, secret);
    assert.notEqual(verifyTotp(opened, generateSync({ secret }), null), null);
  });

  it('the standby\'s own sessions are never ended by the copy; the peer\'s are once it no longer holds them', async () => {
    const a = node('ioc-a');
    const b = node('ioc-b');
    await a.auth.create({ username: 'nguyen-an', fullName: 'Nguyễn Văn An', role: 'operator', scope: { kind: 'province' }, password }, system);
    b.auth.mirror(overTheLink(a), a.id);
    // a console signed in on the standby itself
    const own = await signedIn(b.auth, 'nguyen-an');
    b.auth.mirror(overTheLink(a), a.id);
    assert.ok(b.auth.resume(own, hello(b.auth)), 'a session signed in here is this node\'s own');
    // once it has handed its sessions to the active node (it stopped driving the wall), the active node's copy decides
    b.auth.replica.handOverSessions(a.id);
    b.auth.mirror(overTheLink(a), a.id);
    assert.equal(b.auth.resume(own, hello(b.auth)), null);
  });

  it('refuses an account older than its own change of it, and sessions of accounts it does not hold or colliding with its own', async () => {
    const a = node('ioc-a');
    const b = node('ioc-b');
    await a.auth.create({ username: 'nguyen-an', fullName: 'Nguyễn Văn An', role: 'operator', scope: { kind: 'province' }, password }, system);
    b.auth.mirror(overTheLink(a), a.id);
    // changed here later (this node drove the wall meanwhile): an older copy must not undo it
    await new Promise((resolve) => setTimeout(resolve, 5));
    b.auth.disable({ id: 'nguyen-an', disabled: true }, admin);
    const stale = overTheLink(a);
    const result = b.auth.mirror(stale, a.id);
    assert.equal(result.refused.length, 1);
    assert.match(result.refused[0]!, /nguyen-an/);
    assert.equal(b.auth.store.byId('nguyen-an')!.disabled, true);
    // a session for an account the copy does not carry, and one whose token hash is a local session of another account
    await b.auth.create({ username: 'pham-xem', fullName: 'Phạm Thị Xem', role: 'viewer', scope: { kind: 'province' }, password }, system);
    const local = await signedIn(b.auth, 'pham-xem');
    const localHash = b.db.prepare('SELECT token_hash FROM sessions WHERE account_id = ?').pluck().get('pham-xem') as string;
    const forged = {
      // the account as this node holds it (taken as the same), with sessions that are not the peer's to give
      accounts: overTheLink(b).accounts.filter((x) => x.id === 'pham-xem'),
      sessions: [
        { tokenHash: 'a'.repeat(64), accountId: 'ghost', createdAt: 1, lastUsedAt: Date.now(), expiresAt: Date.now() + 60_000 },
        { tokenHash: localHash, accountId: 'pham-xem', createdAt: 1, lastUsedAt: Date.now(), expiresAt: Date.now() + 60_000 },
      ],
    };
    const refused = b.auth.mirror(forged, a.id).refused;
    assert.equal(refused.length, 2, JSON.stringify(refused));
    assert.equal(b.db.prepare('SELECT COUNT(*) FROM sessions WHERE account_id = ?').pluck().get('ghost'), 0);
    assert.ok(b.auth.resume(local, hello(b.auth)), 'the local session is untouched');
  });

  it('the link carries no password and no field it does not know; pages are bounded', async () => {
    const a = node('ioc-a');
    await a.auth.create({ username: 'nguyen-an', fullName: 'Nguyễn Văn An', role: 'operator', scope: { kind: 'province' }, password }, system);
    const copy = a.auth.replica.copy({ accounts: PEER_ACCOUNTS_MAX, sessions: 4096, bytes: PEER_ACCOUNTS_BYTES });
    assert.ok(!JSON.stringify(copy).includes(password));
    const frame = (replica: unknown) => peerFrame.safeParse({ kind: 'accounts.entries', v: PEER_PROTOCOL_VERSION, digest: copyDigest(copy), replica });
    assert.ok(frame(copy).success);
    assert.ok(!frame({ ...copy, accounts: [{ ...copy.accounts[0], password }] }).success, 'an extra field (a password) is refused');
    assert.ok(!frame({ ...copy, accounts: [{ ...copy.accounts[0], passwordHash: password }] }).success, 'a password hash must be a scrypt hash');
    assert.ok(!frame({ ...copy, accounts: Array.from({ length: PEER_ACCOUNTS_MAX + 1 }, () => copy.accounts[0]) }).success, 'too many accounts in one frame');
    // the sender keeps a copy within its byte budget (a scope may name 200 communes)
    const communes = Array.from({ length: 200 }, (_, i) => `Phường có tên rất dài số ${i} ${'x'.repeat(150)}`);
    await a.auth.create({ username: 'rong-pham-vi', fullName: 'Phạm Vi Rộng', role: 'viewer', scope: { kind: 'communes', communes }, password }, system);
    const whole = a.auth.replica.copy({ accounts: PEER_ACCOUNTS_MAX, sessions: 4096, bytes: PEER_ACCOUNTS_BYTES });
    assert.equal(whole.accounts.length, 2);
    const budget = JSON.stringify(whole.accounts[0]).length + 10;
    const cut = a.auth.replica.copy({ accounts: PEER_ACCOUNTS_MAX, sessions: 4096, bytes: budget });
    assert.equal(cut.accounts.length, 1);
    assert.ok(JSON.stringify(cut).length <= budget + 64);
  });
});

function flood(): RunDocument['definition'] {
  const scenario = loadScenarioDir(defaultScenariosDir).scenarios.find((s) => s.name === 'flood');
  assert.ok(scenario);
  return scenario;
}

function runOf(definition: RunDocument['definition'], runId: string): RunDocument {
  const run: ScenarioRun = {
    runId,
    scenario: definition.name,
    title: definition.title,
    state: 'active',
    incident: null,
    subjects: [],
    trigger: null,
    activatedAt: Date.now(),
    activatedBy: 'tran-binh',
    revision: 3,
    escalationLevel: 0,
    handedTo: null,
    pausedAt: null,
    clearedAt: null,
    closedAt: null,
    closedBy: null,
    revertAt: null,
    steps: definition.procedure.map((s) => ({ stepId: s.id, state: 'pending', doneBy: null, doneAt: null, confirmedBy: null, confirmedAt: null, note: null, command: null })),
    people: { 'tran-binh': 'Trần Thị Bình' },
  };
  return { run, definition, previous: { tiles: [], preset: 'overview' }, resumeTo: null, lasting: false };
}

/** The active node's page as the link carries it (through the contract). */
function runsOverTheLink(from: RunReplica, after: number) {
  const frame = peerFrame.parse(JSON.parse(JSON.stringify({ kind: 'runs.entries', v: PEER_PROTOCOL_VERSION, after, ...from.page(after) })));
  return frame as Extract<typeof frame, { kind: 'runs.entries' }>;
}

describe('scenario runs copied to the standby', () => {
  it('a run with its procedure state and its log is on the standby, once, whatever is copied again', () => {
    const a = node('ioc-a');
    const b = node('ioc-b');
    const store = new RunStore(a.db);
    const doc = runOf(flood(), 'run-1');
    store.save(doc, [{ kind: 'activated', actor: 'tran-binh', at: Date.now() }], Date.now());
    doc.run.steps[0] = { ...doc.run.steps[0]!, state: 'done', doneBy: 'nguyen-an', doneAt: Date.now() };
    store.save(doc, [{ kind: 'step-done', actor: 'nguyen-an', at: Date.now(), stepId: 'verify' }], Date.now());
    const replica = new RunReplica(b.db, b.id);
    const page = runsOverTheLink(new RunReplica(a.db, a.id), 0);
    assert.deepEqual(replica.mirror(page).refused, []);
    assert.deepEqual(replica.mirror(page).refused, [], 'the same page again is nothing new');
    const onB = new RunStore(b.db);
    assert.equal(onB.get('run-1')!.run.steps[0]!.doneBy, 'nguyen-an');
    assert.deepEqual(onB.log('run-1').map((l) => l.kind), ['activated', 'step-done']);
    // copied back to a (after a takeover by b, say): a's own lines are recognised, nothing doubles
    new RunStore(b.db).save(onB.get('run-1')!, [{ kind: 'resumed-after-restart', actor: 'system', at: Date.now() }], Date.now() + 10);
    assert.deepEqual(new RunReplica(a.db, a.id).mirror(runsOverTheLink(replica, 0)).refused, []);
    assert.deepEqual(store.log('run-1').map((l) => l.kind), ['activated', 'step-done', 'resumed-after-restart']);
  });

  it('refuses a line that comes again with other content, a line of a run it does not hold, a definition that is no scenario, an older document', () => {
    const a = node('ioc-a');
    const b = node('ioc-b');
    const store = new RunStore(a.db);
    const doc = runOf(flood(), 'run-2');
    store.save(doc, [{ kind: 'activated', actor: 'tran-binh', at: 1000 }], 1000);
    const replica = new RunReplica(b.db, b.id);
    const page = runsOverTheLink(new RunReplica(a.db, a.id), 0);
    replica.mirror(page);
    const line = page.lines[0]!;
    const run = page.runs[0]!;
    const refused = (p: Parameters<RunReplica['mirror']>[0]) => replica.mirror(p).refused;
    const differs = refused({ lines: [{ ...line, actor: 'someone-else' }], runs: [] })[0] ?? '';
    assert.match(differs, /differs/);
    assert.ok(differs.includes(run.doc.run.title.vi) && !differs.includes('run-2'), `a refusal names the run by its title, not its id: ${differs}`);
    assert.match(refused({ lines: [{ ...line, runId: 'run-unknown', originSeq: 99 }], runs: [] })[0] ?? '', /not held here/);
    assert.match(refused({ lines: [{ ...line, origin: b.id, originSeq: 42 }], runs: [] })[0] ?? '', /this node's/);
    assert.match(refused({ lines: [], runs: [{ doc: { ...run.doc, run: { ...run.doc.run, runId: 'run-3' }, definition: { name: 'flood' } }, updatedAt: 2000 }] })[0] ?? '', /definition/);
    assert.match(refused({ lines: [], runs: [{ doc: run.doc, updatedAt: 10 }] })[0] ?? '', /changed here/);
    assert.equal(new RunStore(b.db).log('run-2').length, 1);
    assert.equal(new RunStore(b.db).get('run-3'), undefined);
  });

  it('a planned handover waits for the run lines written before it, not for later ones', () => {
    const a = node('ioc-a');
    const b = node('ioc-b');
    const store = new RunStore(a.db);
    const doc = runOf(flood(), 'run-5');
    store.save(doc, [{ kind: 'activated', actor: 'tran-binh', at: 1000 }], 1000);
    const onActive = new RunFeed(new RunReplica(a.db, a.id));
    const onStandby = new RunFeed(new RunReplica(b.db, b.id));
    onActive.driving();
    onStandby.driving();
    const over = (frame: unknown) => peerFrame.parse(JSON.parse(JSON.stringify(frame)));
    const round = () => onStandby.take(over(onActive.answer(over(onStandby.request()) as never)) as never);
    round();
    // a step confirmed a moment before the technician's switchover
    doc.run.steps[0] = { ...doc.run.steps[0]!, state: 'done', doneBy: 'nguyen-an', doneAt: 2000 };
    store.save(doc, [{ kind: 'step-done', actor: 'nguyen-an', at: 2000, stepId: 'verify' }], 2000);
    const holds = onActive.handoverCheck();
    assert.equal(holds(), false, 'the standby\'s last request was from before the confirmation');
    round();
    assert.equal(holds(), false, 'the copy is taken, but the active node learns it from the next request');
    store.save(doc, [{ kind: 'trigger-fired', actor: 'system', at: 3000 }], 3000);
    round();
    assert.equal(holds(), true, 'the line from before the handover is held; one written after it is not waited for');
    assert.equal(onActive.handoverCheck()(), false, 'a handover asked now waits for that one too');
    assert.equal(new RunStore(b.db).get('run-5')!.run.steps[0]!.doneBy, 'nguyen-an');
  });

  it('a page is bounded: at most one batch of lines, and more is said', () => {
    const a = node('ioc-a');
    const store = new RunStore(a.db);
    const doc = runOf(flood(), 'run-4');
    store.save(doc, Array.from({ length: PEER_JOURNAL_BATCH + 10 }, (_, i) => ({ kind: 'trigger-fired' as const, actor: 'system', at: i })), 1);
    const page = new RunReplica(a.db, a.id).page(0);
    assert.equal(page.lines.length, PEER_JOURNAL_BATCH);
    assert.equal(page.more, true);
    assert.ok(!peerFrame.safeParse({ kind: 'runs.entries', v: PEER_PROTOCOL_VERSION, after: 0, ...page, lines: [...page.lines, page.lines[0]] }).success, 'over a batch is refused');
  });
});

describe('the audit chain copied to the standby', () => {
  it('the active node\'s chain is kept apart on the standby, verified link by link; a break stops the copy', () => {
    const a = node('ioc-a');
    const b = node('ioc-b');
    const log = new AuditLog(a.db, { key: null });
    for (let i = 0; i < 5; i++) log.record({ action: 'account.changed', actor: admin, target: `acc-${i}`, details: { i } });
    const chain = new PeerAuditChain(b.db);
    const { rows } = ownAuditAfter(a.db, 0);
    assert.equal(rows.length, 6);
    const send = (r: readonly PeerAuditRow[]) => {
      const frame = peerFrame.parse(JSON.parse(JSON.stringify({ kind: 'audit.entries', v: PEER_PROTOCOL_VERSION, after: 0, more: false, rows: r })));
      assert.equal(frame.kind, 'audit.entries');
      return chain.append(a.id, (frame as Extract<typeof frame, { kind: 'audit.entries' }>).rows);
    };
    // an edited row, a gap, a row linked elsewhere: refused, and nothing after them
    assert.match(send([rows[0]!, { ...rows[1]!, details: '{"i":99}' }, rows[2]!]).broken ?? '', /#2 does not match its hash/);
    assert.equal(chain.head(a.id).seq, 1, 'the rows before the break are kept');
    assert.match(send([rows[2]!]).broken ?? '', /gap/);
    assert.match(send([{ ...rows[1]!, prevHash: rows[3]!.hash }]).broken ?? '', /not linked/);
    assert.deepEqual(send(rows.slice(1)), { taken: 5, broken: null });
    assert.equal(chain.head(a.id).hash, log.head()!.hash);
    // the copy is append-only like the chain itself
    assert.throws(() => b.db.prepare('DELETE FROM peer_audit_log').run(), /append-only/);
    assert.match(send([rows[5]!]).broken ?? '', /repeat/);
  });

  it('a planned handover waits for the audit entries recorded before it', () => {
    const a = node('ioc-a');
    const b = node('ioc-b');
    const log = new AuditLog(a.db, { key: null });
    const onActive = new AuditFeed(a.db, new PeerAuditChain(a.db), b.id);
    const onStandby = new AuditFeed(b.db, new PeerAuditChain(b.db), a.id);
    const over = (frame: unknown) => peerFrame.parse(JSON.parse(JSON.stringify(frame)));
    const round = () => onStandby.take(over(onActive.answer(over(onStandby.request()) as never)) as never);
    round();
    round();
    assert.equal(onActive.handoverCheck()(), true, 'nothing new: the standby holds the chain');
    log.record({ action: 'pair.switchover', actor: admin, target: 'ioc-b', details: { reason: 'bảo trì' } });
    const holds = onActive.handoverCheck();
    assert.equal(holds(), false);
    round();
    round();
    assert.equal(holds(), true);
    assert.equal(new PeerAuditChain(b.db).head(a.id).hash, log.head()!.hash);
  });
});
