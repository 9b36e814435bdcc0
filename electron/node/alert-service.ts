/** Alerts raised by the host, persisted in SQLite; acknowledgements are durable (synchronous=FULL). */
import { randomUUID } from 'node:crypto';
import { ContractError, type Actor, type Alert, type LocalizedText, type Scope, type Severity } from '../../native-bridge/contract.js';
import { PROVINCE, seesCommune } from './accounts/scope.js';
import type { Db } from './database.js';
import { isStorageFailure } from './sqlite-files.js';

const LIST_LIMIT = 200;
/** Alerts kept in memory while the disk is full (the oldest go first); written once it has space. */
const HELD_LIMIT = 100;

export class AlertService {
  private readonly listeners = new Set<() => void>();
  /** Alerts that could not be stored (disk full), by id; listed with the stored ones. */
  private readonly held = new Map<string, Alert>();
  private drill = false;
  /** Told when a write fails for lack of space (StorageWatch); the alert is then held, not lost. */
  onStorageFailure: (error: unknown) => void = () => {};

  constructor(
    private readonly db: Db,
    private readonly clock: () => number = Date.now,
  ) {}

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** `commune`: where what raised it is (a station, camera, device, incident); null: province-wide. */
  raise(severity: Severity, source: string, title: LocalizedText, commune: string | null = null): Alert {
    return this.raiseOnce(randomUUID(), severity, source, title, this.clock(), commune);
  }

  /** While a drill runs, every new alert is marked as the drill's: nobody may take it for a real one, then or in the history. */
  markDrill(on: boolean): void {
    this.drill = on;
  }

  /** Raises an alert under a stable id (e.g. a gateway's event id); an id seen before is ignored. */
  raiseOnce(id: string, severity: Severity, source: string, title: LocalizedText, at: number, commune: string | null = null): Alert {
    const shown = this.drill ? { vi: `DIỄN TẬP · ${title.vi}`, en: `DRILL · ${title.en}` } : title;
    const alert: Alert = { id, at, severity, source, title: shown, ackedBy: null, ackedAt: null, resolvedAt: null, commune };
    if (this.held.has(id)) return alert;
    let inserted: boolean;
    try {
      inserted = this.insert(alert);
    } catch (error) {
      if (!isStorageFailure(error)) throw error;
      this.hold(alert);
      this.onStorageFailure(error);
      inserted = true;
    }
    if (inserted) this.listeners.forEach((l) => l());
    return alert;
  }

  private insert(alert: Alert): boolean {
    return (
      this.db
        .prepare('INSERT OR IGNORE INTO alerts (id, at, severity, source, title, acked_by, acked_at, resolved_at, commune) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
        .run(alert.id, alert.at, alert.severity, alert.source, JSON.stringify(alert.title), alert.ackedBy, alert.ackedAt, alert.resolvedAt, alert.commune).changes > 0
    );
  }

  private hold(alert: Alert): void {
    this.held.set(alert.id, alert);
    if (this.held.size > HELD_LIMIT) this.held.delete(this.held.keys().next().value!);
  }

  /** Writes the alerts held while the disk was full; throws (keeping the rest held) if it still is. */
  persistHeld(): void {
    for (const alert of [...this.held.values()]) {
      this.insert(alert);
      this.held.delete(alert.id);
    }
  }

  /** The commune of an alert (null: province-wide), or undefined when there is no such alert. */
  communeOf(id: string): string | null | undefined {
    const held = this.held.get(id);
    if (held) return held.commune;
    return (this.db.prepare('SELECT commune FROM alerts WHERE id = ?').get(id) as { commune: string | null } | undefined)?.commune;
  }

  acknowledge(id: string, actor: Actor): void {
    // the wall shows who acknowledged: the person's name (the audit keeps the account)
    const who = actor.name ?? actor.id;
    const held = this.held.get(id);
    if (held) {
      if (held.ackedBy === null) this.held.set(id, { ...held, ackedBy: who, ackedAt: this.clock() });
      this.listeners.forEach((l) => l());
      return;
    }
    let result;
    try {
      result = this.db.prepare('UPDATE alerts SET acked_by = ?, acked_at = ? WHERE id = ? AND acked_by IS NULL').run(who, this.clock(), id);
    } catch (error) {
      if (!isStorageFailure(error)) throw error;
      this.onStorageFailure(error);
      throw new ContractError('storage-full', `the acknowledgement cannot be stored: ${this.db.name} cannot be written (disk full or failing); try again once space is freed`);
    }
    if (result.changes === 0) {
      const exists = this.db.prepare('SELECT 1 FROM alerts WHERE id = ?').get(id);
      if (!exists) throw new ContractError('not-found', `no alert "${id}"`, 'id');
      return; // already acknowledged: idempotent
    }
    this.listeners.forEach((l) => l());
  }

  /** Marks that the alert's condition has ended; it stays listed (and still wants an acknowledgement). Idempotent. */
  resolve(id: string): void {
    const held = this.held.get(id);
    if (held) {
      if (held.resolvedAt === null) this.held.set(id, { ...held, resolvedAt: this.clock() });
      this.listeners.forEach((l) => l());
      return;
    }
    const result = this.db.prepare('UPDATE alerts SET resolved_at = ? WHERE id = ? AND resolved_at IS NULL').run(this.clock(), id);
    if (result.changes > 0) this.listeners.forEach((l) => l());
  }

  /**
   * For a pair's standby: alerts after position `afterRow` (insert order) except those of `skipSource`,
   * and acknowledgements at or after `ackedFrom` (a repeat is harmless: mirroring is idempotent).
   */
  feed(afterRow: number, ackedFrom: number, limit: number, skipSource: string): AlertFeed {
    const rows = this.db.prepare(`SELECT rowid, ${COLUMNS} FROM alerts WHERE rowid > ? ORDER BY rowid LIMIT ?`).all(afterRow, limit + 1) as (AlertRow & { rowid: number })[];
    const page = rows.slice(0, limit);
    const acks = this.db.prepare('SELECT id, acked_by, acked_at FROM alerts WHERE acked_at >= ? AND source != ? ORDER BY acked_at LIMIT ?').all(ackedFrom, skipSource, limit) as { id: string; acked_by: string; acked_at: number }[];
    return {
      alerts: page.filter((r) => r.source !== skipSource).map(toAlert),
      last: page.at(-1)?.rowid ?? afterRow,
      more: rows.length > limit,
      acks: acks.map((a) => ({ id: a.id, ackedBy: a.acked_by, ackedAt: a.acked_at })),
      ackedUntil: acks.at(-1)?.acked_at ?? ackedFrom,
    };
  }

  /** Takes the active node's alerts (same ids) and acknowledgements; what this node has already stays. */
  mirror(alerts: readonly Alert[], acks: readonly { id: string; ackedBy: string; ackedAt: number }[]): void {
    let changed = false;
    const ack = this.db.prepare('UPDATE alerts SET acked_by = ?, acked_at = ? WHERE id = ? AND acked_by IS NULL');
    this.db.transaction(() => {
      for (const alert of alerts) if (this.insert(alert)) changed = true;
      for (const a of acks) if (ack.run(a.ackedBy, a.ackedAt, a.id).changes > 0) changed = true;
    })();
    if (changed) this.listeners.forEach((l) => l());
  }

  /** The newest alerts a scope sees: a commune account, its communes' and the province-wide ones. */
  list(scope: Scope = PROVINCE): Alert[] {
    const rows = this.db.prepare(`SELECT ${COLUMNS} FROM alerts WHERE ${IN_SCOPE} ORDER BY at DESC, rowid DESC LIMIT ?`).all(...scopeParams(scope), LIST_LIMIT) as AlertRow[];
    const stored = rows.map(toAlert);
    if (this.held.size === 0) return stored;
    const held = [...this.held.values()].filter((a) => seesCommune(scope, a.commune));
    return held.reverse().concat(stored).sort((a, b) => b.at - a.at).slice(0, LIST_LIMIT);
  }

  /**
   * The alerts raised at or before `time` that the scope sees, newest first, as they stood then: an
   * acknowledgement or resolution that came later is not shown (replay).
   */
  asOf(time: number, limit: number, scope: Scope = PROVINCE): Alert[] {
    const rows = this.db.prepare(`SELECT ${COLUMNS} FROM alerts WHERE at <= ? AND ${IN_SCOPE} ORDER BY at DESC, rowid DESC LIMIT ?`).all(time, ...scopeParams(scope), limit) as AlertRow[];
    return rows.map((r) => {
      const alert = toAlert(r);
      const acked = alert.ackedAt !== null && alert.ackedAt <= time;
      return { ...alert, ackedBy: acked ? alert.ackedBy : null, ackedAt: acked ? alert.ackedAt : null, resolvedAt: alert.resolvedAt !== null && alert.resolvedAt <= time ? alert.resolvedAt : null };
    });
  }
}

export interface AlertFeed {
  alerts: Alert[];
  /** The position of the last alert read. */
  last: number;
  more: boolean;
  acks: { id: string; ackedBy: string; ackedAt: number }[];
  /** The latest acknowledgement time read (the next request asks from it). */
  ackedUntil: number;
}

const COLUMNS = 'id, at, severity, source, title, acked_by, acked_at, resolved_at, commune';
/** Province (first parameter null), or province-wide alerts and those of the communes listed as JSON in the second. */
const IN_SCOPE = '(? IS NULL OR commune IS NULL OR commune IN (SELECT value FROM json_each(?)))';
const scopeParams = (scope: Scope): [string | null, string | null] => {
  const communes = scope.kind === 'province' ? null : JSON.stringify(scope.communes);
  return [communes, communes];
};

interface AlertRow {
  id: string;
  at: number;
  severity: Severity;
  source: string;
  title: string;
  acked_by: string | null;
  acked_at: number | null;
  resolved_at: number | null;
  commune: string | null;
}

const toAlert = (r: AlertRow): Alert => ({ id: r.id, at: r.at, severity: r.severity, source: r.source, title: JSON.parse(r.title) as LocalizedText, ackedBy: r.acked_by, ackedAt: r.acked_at, resolvedAt: r.resolved_at, commune: r.commune });
