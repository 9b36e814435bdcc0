/**
 * The audit log as the host runs it: the chain (AuditLog) with its head signed every minute and
 * at close, the chain verified at start in the background (a broken one raises a critical alert;
 * the host keeps running), and the contract's audit.list / audit.export / audit.verify answers.
 */
import type { AuditRequests, AuditResponses, AuditVerifyReport } from '../../../native-bridge/audit.js';
import type { AuditEvent, AuditSink } from '../../common/ports.js';
import type { AlertService } from '../alert-service.js';
import type { Db } from '../database.js';
import { AuditLog } from './audit-log.js';
import { exportAudit, listAudit } from './audit-query.js';
import { verifyAuditLog } from './audit-verify.js';
import { loadOrCreateHeadKey, type HeadKey } from './head-key.js';

export interface AuditServiceOptions {
  db: Db;
  dataDir: string;
  alerts: AlertService;
  /** The wall's id, in export file names. */
  wallId: string;
  clock?: () => number;
  /** How often the head is signed when entries came (default 60 s). */
  signEveryMs?: number;
  onStorageFailure?: (error: unknown) => void;
}

const SIGN_EVERY_MS = 60_000;

export class AuditService implements AuditSink {
  readonly log: AuditLog;
  readonly key: HeadKey;
  /** The verification at start (tests await it). */
  readonly startCheck: Promise<AuditVerifyReport | null>;
  private readonly timer: ReturnType<typeof setInterval>;
  private running: Promise<AuditVerifyReport> | null = null;
  private closed = false;

  constructor(private readonly options: AuditServiceOptions) {
    this.key = loadOrCreateHeadKey(options.dataDir);
    this.log = new AuditLog(options.db, { key: this.key, clock: options.clock, onStorageFailure: options.onStorageFailure });
    this.timer = setInterval(() => this.log.signHead(), options.signEveryMs ?? SIGN_EVERY_MS);
    this.timer.unref();
    this.startCheck = this.checkAtStart();
  }

  record(event: AuditEvent): void {
    this.log.record(event);
  }

  list(request: AuditRequests['list']): AuditResponses['list'] {
    return listAudit(this.options.db, request);
  }

  export(request: AuditRequests['export']): AuditResponses['export'] {
    const stamp = new Date(this.options.clock?.() ?? Date.now()).toISOString().slice(0, 19).replace(/[:T]/g, '-');
    return exportAudit(this.options.db, request, `nhat-ky-kiem-toan-${this.options.wallId}-${stamp}`);
  }

  /** One verification at a time: a second caller shares the one running. */
  verify(): Promise<AuditVerifyReport> {
    this.running ??= verifyAuditLog(this.options.db, { publicKey: this.key.publicKey, stopped: () => this.closed }).finally(() => (this.running = null));
    return this.running;
  }

  /** Signs the head a last time. The database stays open: its owner closes it. */
  close(): void {
    this.closed = true;
    clearInterval(this.timer);
    this.log.signHead();
  }

  private async checkAtStart(): Promise<AuditVerifyReport | null> {
    try {
      const report = await this.verify();
      const first = report.problems[0];
      if (first) {
        console.error(`ioc-wall: audit log broken: ${first.message}`);
        this.options.alerts.raise('critical', 'audit', {
          vi: `Nhật ký kiểm toán đã bị can thiệp: ${VI_KIND[first.kind]} tại mục #${first.seq}${first.at === null ? '' : ` (${new Date(first.at).toLocaleString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh' })})`}. Chạy "npm run audit -- verify" để xem chi tiết`,
          en: `The audit log was tampered with: ${first.message}. Run "npm run audit -- verify" for details`,
        });
        this.log.record({ action: 'audit.broken', actor: null, details: { problems: report.problems } });
      }
      // what the start wrote (and found) is covered at once, not a minute later
      this.log.signHead();
      return report;
    } catch (error) {
      if (this.closed) return null;
      // the check must never stop the host: it says so instead, as loudly as a broken chain
      const reason = (error as Error).message;
      console.error(`ioc-wall: audit log check failed: ${reason}`);
      this.options.alerts.raise('critical', 'audit', { vi: `Không kiểm tra được nhật ký kiểm toán (${reason}); có thể cơ sở dữ liệu đã bị can thiệp`, en: `The audit log could not be checked (${reason}); the database may have been tampered with` });
      return null;
    }
  }
}

/** The first problem's kind in the alert's Vietnamese (the English text carries the verifier's own message). */
const VI_KIND: Record<AuditVerifyReport['problems'][number]['kind'], string> = {
  edited: 'một mục bị sửa',
  deleted: 'một mục bị xoá',
  inserted: 'một mục bị chèn thêm',
  reordered: 'các mục bị đảo thứ tự',
  rewritten: 'chuỗi bị viết lại',
  truncated: 'các mục cuối bị xoá',
  'bad-signature': 'chữ ký đầu chuỗi không hợp lệ',
  'journal-edited': 'nhật ký lệnh bị sửa',
  'journal-deleted': 'nhật ký lệnh bị xoá dòng',
  'journal-inserted': 'nhật ký lệnh bị chèn dòng',
};
