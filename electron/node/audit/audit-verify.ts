/**
 * Verifies the audit log of a wall database: walks the hash chain page by page (yielding to the
 * event loop between pages, so a host stays responsive), checks every signed head against the
 * chain and the public key, and the command journal against the hashes the chain holds for it.
 * Names the first entry where each kind of tampering shows, by seq and time.
 */
import type { KeyObject } from 'node:crypto';
import type { AuditProblem, AuditVerifyReport } from '../../../native-bridge/audit.js';
import type { Db } from '../database.js';
import { journalDigest, hashOfJournalRow, type JournalRow } from './audit-log.js';
import { chainFieldsOf, entryHash, GENESIS_HASH, readDetails, type AuditRow } from './canonical.js';
import { headSignatureValid, keyIdOf } from './head-key.js';

const PAGE_ROWS = 2000;
/** How far a renumbered entry is looked for (a deletion or insertion shifts the ones after it). */
const MOVE_SEARCH = 64;

interface HeadRow {
  seq: number;
  at: number;
  hash: string;
  key_id: string;
  signature: string;
}

export interface VerifyOptions {
  /** Checks the signed heads with this key (the data folder's, or a copy kept elsewhere). */
  publicKey: KeyObject | null;
  /** Stops the walk (the host closing): verification then rejects. */
  stopped?: () => boolean;
}

const when = (at: number | null): string => (at === null ? '?' : new Date(at).toISOString());
const pause = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function verifyAuditLog(db: Db, options: VerifyOptions): Promise<AuditVerifyReport> {
  const page = db.prepare('SELECT * FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?');
  const byHash = db.prepare('SELECT seq, at FROM audit_log WHERE hash = ?');
  const journalRow = db.prepare('SELECT revision, at, actor_id, actor_role, command FROM command_journal WHERE revision = ?');
  let chain: AuditProblem | null = null;
  let journal: AuditProblem | null = null;
  let prev: AuditRow | null = null;
  let entries = 0;
  let journalUpTo = 0;

  /** The first break between the previous row and this one, if any. */
  const linkProblem = (row: AuditRow): AuditProblem | null => {
    const expected = (prev?.seq ?? 0) + 1;
    if (row.seq > expected) {
      const between = prev ? `between #${prev.seq} (${when(prev.at)}) and #${row.seq} (${when(row.at)})` : `before #${row.seq} (${when(row.at)})`;
      return { kind: 'deleted', seq: expected, at: prev?.at ?? null, message: `entry #${expected} was deleted: nothing ${between}` };
    }
    const expectedPrev = prev?.hash ?? GENESIS_HASH;
    if (row.prev_hash !== expectedPrev) {
      const linked = byHash.get(row.prev_hash) as { seq: number; at: number } | undefined;
      if (linked && linked.seq < row.seq - 1) {
        return { kind: 'inserted', seq: linked.seq + 1, at: prev?.at ?? null, message: `entry #${linked.seq + 1} was inserted: #${row.seq} (${when(row.at)}) was written right after #${linked.seq}` };
      }
      if (linked && linked.seq > row.seq) {
        return { kind: 'reordered', seq: row.seq, at: row.at, message: `entry #${row.seq} (${when(row.at)}) is out of order: it was written after #${linked.seq}` };
      }
    }
    if (entryHash(chainFieldsOf(row)) !== row.hash) {
      const from = movedFrom(row);
      if (from !== null && from > row.seq) return { kind: 'deleted', seq: row.seq, at: row.at, message: `entry #${row.seq} was deleted and the later ones renumbered: the entry now at #${row.seq} (${when(row.at)}) was written as #${from}` };
      if (from !== null) return { kind: 'inserted', seq: from + 1, at: row.at, message: `an entry was inserted before #${row.seq}: it was written as #${from}` };
      return { kind: 'edited', seq: row.seq, at: row.at, message: `entry #${row.seq} (${when(row.at)}, ${row.action}) was edited: its content no longer matches its hash` };
    }
    if (prev && row.prev_hash !== expectedPrev) {
      return { kind: 'edited', seq: prev.seq, at: prev.at, message: `entry #${prev.seq} (${when(prev.at)}, ${prev.action}) was edited and re-hashed: #${row.seq} recorded another hash for it` };
    }
    return null;
  };
  const movedFrom = (row: AuditRow): number | null => {
    for (let d = 1; d <= MOVE_SEARCH; d++) {
      for (const seq of [row.seq + d, row.seq - d]) if (seq > 0 && entryHash(chainFieldsOf(row, seq)) === row.hash) return seq;
    }
    return null;
  };
  /** The journal rows this entry holds hashes of (the start's digest, or one wall command's row). */
  const journalProblem = (row: AuditRow): AuditProblem | null => {
    if (row.action !== 'audit.started' && row.action !== 'wall.command') return null;
    const details = readDetails(row.details) ?? {};
    if (row.action === 'audit.started') {
      journalUpTo = Number(details.journalUpTo ?? 0);
      const rows = db.prepare('SELECT revision, at, actor_id, actor_role, command FROM command_journal WHERE revision <= ? ORDER BY revision').iterate(journalUpTo) as Iterable<JournalRow>;
      if (journalDigest(rows).digest === details.journalDigest) return null;
      return { kind: 'journal-edited', seq: row.seq, at: row.at, message: `the command journal up to revision ${journalUpTo}, sealed when the audit log started (#${row.seq}, ${when(row.at)}), was changed or cut` };
    }
    const revision = Number(details.revision);
    const stored = journalRow.get(revision) as JournalRow | undefined;
    if (!stored) return { kind: 'journal-deleted', seq: row.seq, at: row.at, message: `command journal revision ${revision} (audit entry #${row.seq}, ${when(row.at)}) was deleted` };
    if (hashOfJournalRow(stored) !== details.journalHash) return { kind: 'journal-edited', seq: row.seq, at: row.at, message: `command journal revision ${revision} (audit entry #${row.seq}, ${when(row.at)}) was edited` };
    return null;
  };

  for (let after = 0; ; ) {
    if (options.stopped?.()) throw new Error('audit verification stopped: the host is closing');
    const rows = page.all(after, PAGE_ROWS) as AuditRow[];
    if (rows.length === 0) break;
    for (const row of rows) {
      entries++;
      chain ??= linkProblem(row);
      journal ??= journalProblem(row);
      prev = row;
    }
    after = prev!.seq;
    await pause();
  }
  journal ??= unchainedJournalRow(db, journalUpTo);
  const heads = await checkHeads(db, options.publicKey, prev);
  const journalRows = (db.prepare('SELECT count(*) FROM command_journal').pluck().get() as number) ?? 0;
  const problems = [chain, heads.problem, journal].filter((p): p is AuditProblem => p !== null);
  return {
    ok: problems.length === 0,
    entries,
    lastSeq: prev?.seq ?? 0,
    lastAt: prev?.at ?? null,
    signedHeads: heads.count,
    lastSignedSeq: heads.lastSeq,
    lastSignedAt: heads.lastAt,
    unsignedEntries: Math.max(0, (prev?.seq ?? 0) - heads.lastSeq),
    journalRows,
    keyId: options.publicKey ? keyIdOf(options.publicKey) : null,
    problems,
  };
}

/**
 * A journal row written after the audit log started that no wall command entry holds: inserted behind
 * the host's back. (The unary pluses steer SQLite to the revision index: one lookup per row.)
 */
function unchainedJournalRow(db: Db, upTo: number): AuditProblem | null {
  let row: { revision: number; at: number } | undefined;
  try {
    row = db
      .prepare(
        "SELECT j.revision, j.at FROM command_journal j WHERE j.revision > ? AND NOT EXISTS (SELECT 1 FROM audit_log a WHERE json_extract(a.details, '$.revision') = +j.revision AND +a.action = 'wall.command') ORDER BY j.revision LIMIT 1",
      )
      .get(upTo) as { revision: number; at: number } | undefined;
  } catch (error) {
    // details edited into text that is not JSON: the chain walk has named that entry already
    if ((error as Error).message.includes('malformed JSON')) return null;
    throw error;
  }
  return row ? { kind: 'journal-inserted', seq: 0, at: row.at, message: `command journal revision ${row.revision} (${when(row.at)}) is in no audit entry: it was inserted` } : null;
}

/** Every signed head: its signature, and the chain still holding the hash it signed. */
async function checkHeads(db: Db, publicKey: KeyObject | null, last: AuditRow | null): Promise<{ problem: AuditProblem | null; count: number; lastSeq: number; lastAt: number | null }> {
  const page = db.prepare('SELECT * FROM audit_heads WHERE seq > ? ORDER BY seq LIMIT ?');
  const entryAt = db.prepare('SELECT at, hash FROM audit_log WHERE seq = ?');
  const keyId = publicKey ? keyIdOf(publicKey) : null;
  let problem: AuditProblem | null = null;
  let count = 0;
  let good = 0;
  let latest: HeadRow | null = null;
  for (let after = 0; ; ) {
    const heads = page.all(after, PAGE_ROWS) as HeadRow[];
    if (heads.length === 0) break;
    for (const head of heads) {
      count++;
      latest = head;
      if (problem) continue;
      if (!publicKey || !headSignatureValid(publicKey, head, head.signature)) {
        const other = head.key_id !== keyId ? ` (signed with key ${head.key_id}, not ${keyId ?? 'any key given'})` : '';
        problem = { kind: 'bad-signature', seq: head.seq, at: head.at, message: `the head signed at ${when(head.at)} for entry #${head.seq} has no valid signature${other}` };
        continue;
      }
      const entry = entryAt.get(head.seq) as { at: number; hash: string } | undefined;
      if (!entry) {
        const lastSeq = last?.seq ?? 0;
        problem = { kind: 'truncated', seq: lastSeq + 1, at: last?.at ?? null, message: `entries after #${lastSeq} were deleted: the head signed at ${when(head.at)} covered the chain up to #${head.seq}` };
      } else if (entry.hash !== head.hash) {
        problem = { kind: 'rewritten', seq: good + 1, at: entry.at, message: `entries #${good + 1}–#${head.seq} were rewritten: #${head.seq} no longer has the hash signed at ${when(head.at)}` };
      } else {
        good = head.seq;
      }
    }
    after = latest!.seq;
    await pause();
  }
  return { problem, count, lastSeq: latest?.seq ?? 0, lastAt: latest?.at ?? null };
}
