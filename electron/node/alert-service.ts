/** Alerts raised by the host, persisted in SQLite; acknowledgements are durable (synchronous=FULL). */
import { randomUUID } from 'node:crypto';
import { ContractError, type Actor, type Alert, type LocalizedText, type Severity } from '../../native-bridge/contract.js';
import type { Db } from './database.js';

const LIST_LIMIT = 200;

export class AlertService {
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly db: Db,
    private readonly clock: () => number = Date.now,
  ) {}

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  raise(severity: Severity, source: string, title: LocalizedText): Alert {
    return this.raiseOnce(randomUUID(), severity, source, title, this.clock());
  }

  /** Raises an alert under a stable id (e.g. a gateway's event id); an id seen before is ignored. */
  raiseOnce(id: string, severity: Severity, source: string, title: LocalizedText, at: number): Alert {
    const alert: Alert = { id, at, severity, source, title, ackedBy: null, ackedAt: null, resolvedAt: null };
    const inserted = this.db
      .prepare('INSERT OR IGNORE INTO alerts (id, at, severity, source, title) VALUES (?, ?, ?, ?, ?)')
      .run(alert.id, alert.at, alert.severity, alert.source, JSON.stringify(alert.title));
    if (inserted.changes > 0) this.listeners.forEach((l) => l());
    return alert;
  }

  acknowledge(id: string, actor: Actor): void {
    const result = this.db.prepare('UPDATE alerts SET acked_by = ?, acked_at = ? WHERE id = ? AND acked_by IS NULL').run(actor.id, this.clock(), id);
    if (result.changes === 0) {
      const exists = this.db.prepare('SELECT 1 FROM alerts WHERE id = ?').get(id);
      if (!exists) throw new ContractError('not-found', `no alert "${id}"`, 'id');
      return; // already acknowledged: idempotent
    }
    this.listeners.forEach((l) => l());
  }

  /** Marks that the alert's condition has ended; it stays listed (and still wants an acknowledgement). Idempotent. */
  resolve(id: string): void {
    const result = this.db.prepare('UPDATE alerts SET resolved_at = ? WHERE id = ? AND resolved_at IS NULL').run(this.clock(), id);
    if (result.changes > 0) this.listeners.forEach((l) => l());
  }

  list(): Alert[] {
    const rows = this.db
      .prepare('SELECT id, at, severity, source, title, acked_by, acked_at, resolved_at FROM alerts ORDER BY at DESC, rowid DESC LIMIT ?')
      .all(LIST_LIMIT) as { id: string; at: number; severity: Severity; source: string; title: string; acked_by: string | null; acked_at: number | null; resolved_at: number | null }[];
    return rows.map((r) => ({ id: r.id, at: r.at, severity: r.severity, source: r.source, title: JSON.parse(r.title) as LocalizedText, ackedBy: r.acked_by, ackedAt: r.acked_at, resolvedAt: r.resolved_at }));
  }
}
