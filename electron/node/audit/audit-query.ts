/**
 * Reading the audit log: pages for the console (newest first, filtered by person, action prefix
 * and time) and CSV export pages (oldest first), each bounded in rows and bytes.
 */
import { AUDIT_LIMITS, auditActorKind, type AuditEntry, type AuditFilter, type AuditRequests, type AuditResponses } from '../../../native-bridge/audit.js';
import type { Db } from '../database.js';
import { readDetails, type AuditRow } from './canonical.js';

const entryOf = (r: AuditRow): AuditEntry => ({
  seq: r.seq,
  at: r.at,
  // a kind the host never writes (the file was edited) reads as the host's: verification names the edit
  actor: { kind: auditActorKind.safeParse(r.actor_kind).data ?? 'system', id: r.actor_id, name: r.actor_name, role: r.actor_role },
  action: r.action,
  target: r.target,
  details: readDetails(r.details),
  hash: r.hash,
});

/** The WHERE clause of a filter, with its parameters (an action is a prefix: LIKE with its wildcards escaped). */
function where(filter: AuditFilter, seq: { before?: number | undefined; after?: number | undefined }): { sql: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const add = (clause: string, ...values: readonly unknown[]) => {
    clauses.push(clause);
    for (const value of values) params.push(value);
  };
  if (filter.person !== undefined) add('(actor_id = ? OR target = ?)', filter.person, filter.person);
  if (filter.action !== undefined) add("action LIKE ? ESCAPE '\\'", `${filter.action.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  if (filter.from !== undefined) add('at >= ?', filter.from);
  if (filter.to !== undefined) add('at <= ?', filter.to);
  if (seq.before !== undefined) add('seq < ?', seq.before);
  if (seq.after !== undefined) add('seq > ?', seq.after);
  return { sql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

export function listAudit(db: Db, request: AuditRequests['list']): AuditResponses['list'] {
  const { before, limit, ...filter } = request;
  const { sql, params } = where(filter, { before });
  const rows = db.prepare(`SELECT * FROM audit_log ${sql} ORDER BY seq DESC LIMIT ?`).all(...params, limit + 1) as AuditRow[];
  const page = rows.slice(0, limit);
  return { entries: page.map(entryOf), next: rows.length > limit ? page.at(-1)!.seq : null };
}

export const CSV_HEADER = ['seq', 'time', 'actor_kind', 'actor_id', 'actor_name', 'actor_role', 'action', 'target', 'details', 'hash'];

/**
 * One CSV field. Quoted when it holds a separator, quote or line break; a text a spreadsheet would
 * read as a formula (=, +, -, @, tab, CR first: a typed username is anyone's) is prefixed with '.
 */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const csvLine = (fields: readonly (string | number | null)[]): string => `${fields.map(csvField).join(',')}\r\n`;

export function exportAudit(db: Db, request: AuditRequests['export'], fileStem: string): AuditResponses['export'] {
  const { after, ...filter } = request;
  const { sql, params } = where(filter, { after });
  const rows = db.prepare(`SELECT * FROM audit_log ${sql} ORDER BY seq LIMIT ?`).all(...params, AUDIT_LIMITS.exportRows + 1) as AuditRow[];
  let csv = after === 0 ? csvLine(CSV_HEADER) : '';
  let bytes = Buffer.byteLength(csv);
  let taken = 0;
  for (const r of rows.slice(0, AUDIT_LIMITS.exportRows)) {
    const line = csvLine([r.seq, new Date(r.at).toISOString(), r.actor_kind, r.actor_id, r.actor_name, r.actor_role, r.action, r.target, r.details, r.hash]);
    bytes += Buffer.byteLength(line);
    if (taken > 0 && bytes > AUDIT_LIMITS.exportBytes) break;
    csv += line;
    taken++;
  }
  const more = taken < rows.length;
  return { csv, rows: taken, next: more ? rows[taken - 1]!.seq : null, fileName: `${fileStem}.csv` };
}
