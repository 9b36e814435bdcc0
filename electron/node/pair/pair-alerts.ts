/**
 * The pair's alerts, one open alert per condition: raised when it starts, resolved when it ends
 * (it stays listed for the technician to acknowledge). Texts in both languages, naming the other
 * node as people call it (its name, its id only in brackets).
 */
import type { LocalizedText, Severity } from '../../../native-bridge/contract.js';
import type { AlertService } from '../alert-service.js';

export type PairCondition = 'standby-lost' | 'active-lost' | 'replication-behind' | 'two-actives' | 'replication-stuck' | 'accounts-refused' | 'runs-refused' | 'audit-broken';

/** The other node as an alert names it: "Máy chủ dự phòng (ioc-b)". */
type PeerName = LocalizedText;

const texts: Record<PairCondition, { severity: Severity; title: (peer: PeerName, detail: LocalizedText) => LocalizedText }> = {
  'standby-lost': {
    severity: 'warning',
    title: (peer) => ({ vi: `Mất máy dự phòng: không nghe thấy ${peer.vi} trên đường nối hai máy chủ`, en: `Standby lost: ${peer.en} is not heard on the peer link` }),
  },
  'active-lost': {
    severity: 'warning',
    title: (peer) => ({ vi: `Mất liên lạc với máy đang điều khiển tường (${peer.vi}); máy này chờ màn hình yêu cầu để tiếp quản`, en: `Lost the active node (${peer.en}); this node takes over when a window asks` }),
  },
  'replication-behind': {
    severity: 'warning',
    title: (peer, detail) => ({ vi: `Máy dự phòng chậm đồng bộ: còn thiếu ${detail.vi} (máy kia: ${peer.vi})`, en: `The standby is behind: ${detail.en} missing (other node: ${peer.en})` }),
  },
  'replication-stuck': {
    severity: 'critical',
    title: (peer, detail) => ({ vi: `Không đồng bộ được nhật ký tường từ ${peer.vi}: ${detail.vi}`, en: `The wall journal cannot be replicated from ${peer.en}: ${detail.en}` }),
  },
  'accounts-refused': {
    severity: 'warning',
    title: (peer, detail) => ({ vi: `Không nhận một số tài khoản hoặc phiên đăng nhập sao chép từ ${peer.vi}: ${detail.vi}`, en: `Some accounts or sessions copied from ${peer.en} were refused: ${detail.en}` }),
  },
  'runs-refused': {
    severity: 'warning',
    title: (peer, detail) => ({ vi: `Không nhận một số lượt chạy kịch bản sao chép từ ${peer.vi}: ${detail.vi}`, en: `Some scenario runs copied from ${peer.en} were refused: ${detail.en}` }),
  },
  'audit-broken': {
    severity: 'critical',
    title: (peer, detail) => ({ vi: `Chuỗi nhật ký kiểm toán sao chép từ ${peer.vi} bị đứt, đã dừng sao chép: ${detail.vi}`, en: `The audit chain copied from ${peer.en} is broken; copying stopped: ${detail.en}` }),
  },
  'two-actives': {
    severity: 'critical',
    title: (peer) => ({ vi: `Hai máy chủ cùng điều khiển tường (máy này và ${peer.vi}); máy có nhiệm kỳ thấp hơn chuyển sang dự phòng`, en: `Two active nodes (this one and ${peer.en}); the one with the lower term goes passive` }),
  },
};

export class PairAlerts {
  private readonly open = new Map<PairCondition, string>();

  constructor(
    private readonly alerts: AlertService,
    private readonly peer: PeerName,
  ) {}

  raise(condition: PairCondition, detail: LocalizedText = { vi: '', en: '' }): void {
    if (this.open.has(condition)) return;
    const { severity, title } = texts[condition];
    this.open.set(condition, this.alerts.raise(severity, 'pair', title(this.peer, detail)).id);
  }

  resolve(condition: PairCondition): void {
    const id = this.open.get(condition);
    if (id === undefined) return;
    this.open.delete(condition);
    this.alerts.resolve(id);
  }

  isOpen(condition: PairCondition): boolean {
    return this.open.has(condition);
  }
}
