/**
 * A pair's standby keeps a copy of the active node's own audit chain, apart from its own
 * (peer_audit_log, migration 10): each node's chain stays one node's hash-linked history, and a
 * takeover does not lose the entries of the node that died, as far as they reached the standby.
 * Each copied row is checked on receipt — the next number, linked to the previous row's hash, its
 * own hash over its fields as the chain's canonical encoding gives it — and the copy stops at the
 * first row that breaks the chain (the caller raises an alert).
 */
import { PEER_JOURNAL_BATCH, PEER_JOURNAL_REPLY_BYTES, type PeerAuditRow } from '../../../native-bridge/contract.js';
import type { Db } from '../database.js';
import { chainFieldsOf, entryHash, GENESIS_HASH, type AuditRow } from './canonical.js';

const toPeerRow = (r: AuditRow): PeerAuditRow => ({ ...chainFieldsOf(r), hash: r.hash });

/** This node's own chain after `after`, a page of at most PEER_JOURNAL_BATCH rows and about PEER_JOURNAL_REPLY_BYTES. */
/** The last entry of this node's own chain (0: none). */
export function ownAuditHead(db: Db): number {
  return (db.prepare('SELECT COALESCE(MAX(seq), 0) AS seq FROM audit_log').get() as { seq: number }).seq;
}

export function ownAuditAfter(db: Db, after: number): { rows: PeerAuditRow[]; more: boolean } {
  const found = db.prepare('SELECT * FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?').all(after, PEER_JOURNAL_BATCH + 1) as AuditRow[];
  const rows: PeerAuditRow[] = [];
  let bytes = 0;
  for (const row of found.slice(0, PEER_JOURNAL_BATCH)) {
    const peerRow = toPeerRow(row);
    bytes += JSON.stringify(peerRow).length;
    if (rows.length > 0 && bytes > PEER_JOURNAL_REPLY_BYTES) return { rows, more: true };
    rows.push(peerRow);
  }
  return { rows, more: found.length > PEER_JOURNAL_BATCH };
}

export class PeerAuditChain {
  private readonly selectHead;
  private readonly insert;

  constructor(private readonly db: Db) {
    this.selectHead = db.prepare('SELECT seq, hash FROM peer_audit_log WHERE origin = ? ORDER BY seq DESC LIMIT 1');
    this.insert = db.prepare(
      'INSERT INTO peer_audit_log (origin, seq, at, actor_kind, actor_id, actor_name, actor_role, action, target, details, prev_hash, hash) VALUES (@origin, @seq, @at, @actorKind, @actorId, @actorName, @actorRole, @action, @target, @details, @prevHash, @hash)',
    );
  }

  /** The last row of `origin`'s chain held here (0 and the genesis hash: none yet). */
  head(origin: string): { seq: number; hash: string } {
    return (this.selectHead.get(origin) as { seq: number; hash: string } | undefined) ?? { seq: 0, hash: GENESIS_HASH };
  }

  /** Appends the rows that continue `origin`'s chain; stops at the first that does not, saying why. */
  append(origin: string, rows: readonly PeerAuditRow[]): { taken: number; broken: string | null } {
    let taken = 0;
    let broken: string | null = null;
    this.db.transaction(() => {
      let head = this.head(origin);
      for (const row of rows) {
        broken = linkProblem(head, row);
        if (broken) return;
        this.insert.run({ origin, ...row });
        head = { seq: row.seq, hash: row.hash };
        taken++;
      }
    })();
    return { taken, broken };
  }
}

function linkProblem(head: { seq: number; hash: string }, row: PeerAuditRow): string | null {
  if (row.seq !== head.seq + 1) return `entry #${row.seq} came after #${head.seq}: the chain has a gap or a repeat`;
  if (row.prevHash !== head.hash) return `entry #${row.seq} is not linked to #${head.seq} (its previous hash differs)`;
  const { hash, ...fields } = row;
  if (entryHash(fields) !== hash) return `entry #${row.seq} does not match its hash (edited)`;
  return null;
}
