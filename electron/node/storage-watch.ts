/**
 * What the host does when its disk is full (or the OS fails a write): the operators get one
 * critical alert naming the file and the free space, commands are refused with 'storage-full'
 * while the wall keeps showing its last picture, and a probe write every few seconds notices when
 * space is back, resolves the alert and writes the alerts that were held in memory meanwhile.
 */
import { ContractError, type LocalizedText } from '../../native-bridge/contract.js';
import type { AlertService } from './alert-service.js';
import { formatBytes, freeBytes, isStorageFailure, type Db, type SqliteFileKind } from './sqlite-files.js';

export const STORAGE_RETRY_MS = 10_000;

const KIND_VI: Record<SqliteFileKind, string> = { 'wall database': 'cơ sở dữ liệu tường', 'telemetry cache': 'bộ đệm dữ liệu đo', 'GIS datasets': 'dữ liệu GIS' };

/** The answer to a command whose write found the disk full. */
export function storageFullError(file: string): ContractError {
  return new ContractError('storage-full', `${file} cannot be written: the disk is full or failing (${formatBytes(freeBytes(file))} free); the wall keeps its last picture and refuses changes until space is freed`);
}

/** The alert for a damaged file that was moved aside and started afresh. */
export function rebuiltAlert(kind: SqliteFileKind, file: string, movedAside: string): LocalizedText {
  const what =
    kind === 'telemetry cache'
      ? { vi: 'lịch sử đo trước đây không còn hiển thị; các gateway sẽ gửi lại trạng thái hiện tại', en: 'earlier telemetry history is gone; the gateways send the current state again' }
      : { vi: 'hãy nhập lại các lớp dữ liệu GIS', en: 'import the GIS datasets again' };
  return {
    vi: `Tệp ${KIND_VI[kind]} ${file} bị hỏng: đã chuyển sang ${movedAside} và tạo tệp mới (${what.vi})`,
    en: `The ${kind} ${file} was damaged: it was moved aside as ${movedAside} and an empty one started (${what.en})`,
  };
}

export class StorageWatch {
  private episode: { alertId: string | null; file: string } | null = null;
  private timer: ReturnType<typeof setInterval> | undefined;

  /** `probe` must write to the wall database (and need new space doing so): it succeeds once space is back. */
  constructor(
    private readonly alerts: AlertService,
    private readonly probe: () => void,
    private readonly retryMs: number = STORAGE_RETRY_MS,
  ) {}

  /** The file a write failed on while the disk is full, else null. */
  get fullFile(): string | null {
    return this.episode?.file ?? null;
  }

  /**
   * Tells the watch that a write to `file` failed. False when it was not a storage failure (the
   * caller handles it); otherwise true, after raising the alert once and starting the retries.
   */
  failed(file: string, error: unknown): boolean {
    if (!isStorageFailure(error)) return false;
    if (this.episode) return true;
    this.episode = { alertId: null, file }; // before raising: the alert's own write may fail and come back here
    const free = formatBytes(freeBytes(file));
    const code = (error as { code?: string }).code;
    const alert = this.alerts.raise('critical', 'storage', {
      vi: `Không ghi được ${file}: ổ đĩa đầy hoặc lỗi (${code}, còn trống ${free}). Tường vẫn hiển thị hình ảnh cuối nhưng không nhận thay đổi; hãy giải phóng dung lượng, máy chủ sẽ tự tiếp tục`,
      en: `Cannot write ${file}: the disk is full or failing (${code}, ${free} free). The wall keeps its last picture but takes no changes; free some space and the host resumes by itself`,
    });
    this.episode.alertId = alert.id;
    this.timer = setInterval(() => this.retry(), this.retryMs);
    this.timer.unref();
    return true;
  }

  /** One probe now (the timer's job; tests call it to skip the wait). True when space is back. */
  retry(): boolean {
    if (!this.episode) return true;
    try {
      this.probe();
      this.alerts.persistHeld();
    } catch (error) {
      if (isStorageFailure(error)) return false;
      throw error;
    }
    const { alertId, file } = this.episode;
    this.stop();
    if (alertId) this.alerts.resolve(alertId);
    this.alerts.raise('info', 'storage', { vi: `Đã ghi lại được ${file}: máy chủ hoạt động bình thường trở lại`, en: `${file} can be written again: the host is back to normal` });
    return true;
  }

  private stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.episode = null;
  }

  dispose(): void {
    this.stop();
  }
}

/**
 * The contract handlers, each answering a storage failure from any of the host's files (the GIS
 * store, the command outbox, scenario runs…) with 'storage-full' instead of "internal error", and
 * telling the watch. `folder` is named when the failing file is not known (the data folder).
 */
export function refusingWhenFull<T extends object>(handlers: T, storage: StorageWatch, folder: string): T {
  const refuse = (error: unknown): never => {
    if (!(storage.failed(storage.fullFile ?? folder, error))) throw error;
    throw storageFullError(storage.fullFile ?? folder);
  };
  const wrapped = Object.entries(handlers).map(([method, handler]) => [
    method,
    (...args: unknown[]) => {
      try {
        const result: unknown = (handler as (...a: unknown[]) => unknown)(...args);
        return result instanceof Promise ? result.catch(refuse) : result;
      } catch (error) {
        return refuse(error);
      }
    },
  ]);
  return Object.fromEntries(wrapped) as T;
}

/** A committed write to the wall database that needs a new page: it fails while the disk (or the file's limit) is full. */
export function wallDatabaseProbe(db: Db): () => void {
  const write = db.prepare("INSERT INTO meta (key, value) VALUES ('storage-probe', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
  const clear = db.prepare("DELETE FROM meta WHERE key = 'storage-probe'");
  const probe = db.transaction(() => {
    write.run('x'.repeat(16 * 1024));
    clear.run();
  });
  return () => probe();
}
