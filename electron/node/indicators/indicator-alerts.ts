/**
 * One alert per indicator that misses its target. A miss opens when the status becomes not-met
 * and closes (the alert is resolved) only when it is met again: at risk is the band between, so a
 * value hovering at the edge of the target or of the at-risk margin never raises a second alert.
 * No data keeps a miss open (nothing says it recovered). Open misses are rows of indicator_miss,
 * so a restart neither raises the alert again nor forgets to resolve it.
 */
import type { CommuneFigure, IndicatorState } from '../../../native-bridge/indicators.js';
import type { Indicator } from '../../../native-bridge/scenario-files.js';
import type { AlertService } from '../alert-service.js';
import type { Db } from '../database.js';

interface OpenMiss {
  alertId: string;
  since: number;
}

/** Communes named in an alert before "and N more". */
const COMMUNES_NAMED = 4;
/** An alert title's length limit (localizedText in the contract). */
const TITLE_MAX = 500;

export class IndicatorAlerts {
  private readonly open = new Map<string, OpenMiss>();

  constructor(
    private readonly db: Db,
    private readonly alerts: AlertService,
  ) {
    const rows = db.prepare('SELECT indicator, alert_id, since FROM indicator_miss').all() as { indicator: string; alert_id: string; since: number }[];
    for (const row of rows) this.open.set(row.indicator, { alertId: row.alert_id, since: row.since });
  }

  /** The open miss's alert id, if the indicator is missing its target. */
  openAlert(id: string): string | null {
    return this.open.get(id)?.alertId ?? null;
  }

  update(def: Indicator, status: IndicatorState, value: number | null, communes: readonly CommuneFigure[], now: number): void {
    const miss = this.open.get(def.id);
    if (status === 'not-met' && !miss && value !== null) {
      const alertId = `indicator:${def.id}:${now}`;
      this.db.transaction(() => {
        this.db.prepare('INSERT INTO indicator_miss (indicator, alert_id, since) VALUES (?, ?, ?)').run(def.id, alertId, now);
        this.alerts.raiseOnce(alertId, 'warning', 'indicators', missTitle(def, value, communes), now);
      })();
      this.open.set(def.id, { alertId, since: now });
    } else if (status === 'met' && miss) {
      this.close(def.id, miss);
    }
  }

  /** Resolves the misses of indicators no longer defined (their file was edited away). */
  retire(known: ReadonlySet<string>): void {
    for (const [id, miss] of this.open) if (!known.has(id)) this.close(id, miss);
  }

  private close(id: string, miss: OpenMiss): void {
    this.db.prepare('DELETE FROM indicator_miss WHERE indicator = ?').run(id);
    this.open.delete(id);
    this.alerts.resolve(miss.alertId);
  }
}

const number = (lang: 'vi' | 'en', value: number) => new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: 1 }).format(value);

/** "Chỉ số … không đạt mục tiêu: 57,6 % (mục tiêu ≥ 95 %); chưa đạt tại: …". */
export function missTitle(def: Indicator, value: number, communes: readonly CommuneFigure[]): { vi: string; en: string } {
  const sign = def.direction === 'higher-better' ? '≥' : '≤';
  const unit = def.unit ? ` ${def.unit}` : '';
  const missing = communes.filter((c) => c.status === 'not-met').map((c) => c.area);
  const named = missing.slice(0, COMMUNES_NAMED).join(', ');
  const more = missing.length - COMMUNES_NAMED;
  const where = {
    vi: missing.length === 0 ? '' : `; chưa đạt tại: ${named}${more > 0 ? ` và ${more} xã khác` : ''}`,
    en: missing.length === 0 ? '' : `; not met in ${named}${more > 0 ? ` and ${more} more` : ''}`,
  };
  const clip = (text: string) => (text.length <= TITLE_MAX ? text : `${text.slice(0, TITLE_MAX - 1)}…`);
  return {
    vi: clip(`Chỉ số không đạt mục tiêu: ${def.title.vi}: ${number('vi', value)}${unit} (mục tiêu ${sign} ${number('vi', def.target)}${unit})${where.vi}`),
    en: clip(`Indicator missing its target: ${def.title.en}: ${number('en', value)}${unit} (target ${sign} ${number('en', def.target)}${unit})${where.en}`),
  };
}
