/**
 * The audit chain's canonical encoding: what each entry's SHA-256 is taken over, so the host that
 * writes an entry and a verifier that reads it back compute the same bytes. Details are stored as
 * canonical JSON (keys sorted, no undefined) and hashed as that stored text.
 */
import { createHash } from 'node:crypto';
import { AUDIT_LIMITS } from '../../../native-bridge/audit.js';

/** The previous hash of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** The columns of one audit_log row that the hash covers (all but the hash itself). */
export interface ChainFields {
  seq: number;
  at: number;
  actorKind: string;
  actorId: string;
  actorName: string | null;
  actorRole: string | null;
  action: string;
  target: string | null;
  /** Canonical JSON text, as stored. */
  details: string | null;
  prevHash: string;
}

/** JSON with object keys sorted at every level: one text per value, whatever order it was built in. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const inner = (value as Record<string, unknown>)[key];
    if (inner !== undefined) sorted[key] = sortKeys(inner);
  }
  return sorted;
}

/** Details as stored: canonical JSON, or a marked preview when over the bound (an entry never grows without limit). */
export function boundedDetails(details: Record<string, unknown> | null | undefined): string | null {
  if (!details) return null;
  const text = canonicalJson(details);
  if (Buffer.byteLength(text) <= AUDIT_LIMITS.detailsBytes) return text;
  return canonicalJson({ truncated: true, bytes: Buffer.byteLength(text), preview: text.slice(0, AUDIT_LIMITS.detailsBytes / 2) });
}

/** An audit_log row as stored (migration 6). */
export interface AuditRow {
  seq: number;
  at: number;
  actor_kind: string;
  actor_id: string;
  actor_name: string | null;
  actor_role: string | null;
  action: string;
  target: string | null;
  details: string | null;
  prev_hash: string;
  hash: string;
}

/** The fields a row's hash covers; `seq` overridden to ask whether the row was written under another number. */
export const chainFieldsOf = (r: AuditRow, seq = r.seq): ChainFields => ({
  seq,
  at: r.at,
  actorKind: r.actor_kind,
  actorId: r.actor_id,
  actorName: r.actor_name,
  actorRole: r.actor_role,
  action: r.action,
  target: r.target,
  details: r.details,
  prevHash: r.prev_hash,
});

/** Stored details read back: the file is outside input too, so text that is not a JSON object is shown, not trusted. */
export function readDetails(text: string | null): Record<string, unknown> | null {
  if (text === null) return null;
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // falls through: unreadable
  }
  return { unreadable: bounded(text, 200) };
}

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

export function entryHash(f: ChainFields): string {
  return sha256(`ioc-wall/audit/v1\n${JSON.stringify([f.seq, f.at, f.actorKind, f.actorId, f.actorName, f.actorRole, f.action, f.target, f.details, f.prevHash])}`);
}

/** One command journal row as stored (migration 1), hashed so the audit chain holds it. */
export interface JournalRowFields {
  revision: number;
  at: number;
  actorId: string;
  actorRole: string;
  command: string;
}

export function journalRowHash(r: JournalRowFields): string {
  return sha256(`ioc-wall/journal/v1\n${JSON.stringify([r.revision, r.at, r.actorId, r.actorRole, r.command])}`);
}

/** Text cut to a bound (ids, names and targets come from outside: a window, a file, a gateway). */
export const bounded = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);
