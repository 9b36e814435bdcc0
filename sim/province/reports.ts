/**
 * DEMO DATA — citizen reports on the citizens' gateway: filed by incident scripts, and at random
 * (mean interval everyMs) from made-up residents with made-up phone numbers.
 */
import type { GeoPoint } from '../../native-bridge/gateway-protocol.js';
import { communeById, demoCommunes } from './inventory.js';
import { round } from './models.js';
import type { Dice, Gateways } from './shared.js';

const REPORTERS = ['Nguyễn Văn Hùng', 'Trần Thị Mai', 'Lê Minh Tuấn', 'Phạm Thu Hà', 'Hoàng Đức Anh', 'Võ Thị Lan', 'Đặng Quốc Bảo', 'Bùi Ngọc Ánh'];
const REPORT_KINDS: [string, string][] = [
  ['ngap-nuoc', 'Đường ngập khoảng 20 cm, xe máy đi lại khó khăn.'],
  ['rac-thai', 'Bãi rác tự phát ven đường, bốc mùi hôi.'],
  ['un-tac', 'Xe ùn ứ kéo dài, đèn tín hiệu không hoạt động.'],
  ['den-hong', 'Đèn đường không sáng cả đoạn khoảng 200 m.'],
  ['mui-hoi', 'Khu dân cư ngửi thấy mùi khét từ khu công nghiệp.'],
  ['cay-do', 'Cây xanh có nguy cơ gãy đổ sau mưa lớn.'],
];

/** Files a report; without `at` it lands near the commune's centre. */
export type FileReport = (category: string, text: string, communeId: string, at?: GeoPoint) => void;

/** How many reports the gateway keeps: the oldest go first. */
const KEEP = 40;

/** The citizens' gateway's reports, newest KEEP of them in its state. */
export class CitizenReports {
  private readonly ids: string[] = [];
  private counter = 0;
  private nextAt: number;

  /** everyMs 0 files no random reports (the first draw is made all the same, so later draws keep their order). */
  constructor(
    private readonly gateways: Gateways,
    private readonly dice: Dice,
    private readonly everyMs: number,
    now: number,
  ) {
    this.nextAt = now + dice.jitter(everyMs);
  }

  readonly file: FileReport = (category, text, communeId, at) => {
    const g = this.gateways.get('gw-cong-dan');
    if (!g) return;
    const { random } = this.dice;
    const c = communeById[communeId]!;
    const id = `pa-${Date.now().toString(36)}-${(this.counter++).toString(36)}`;
    const phone = `09${Math.floor(random() * 1e8)
      .toString()
      .padStart(8, '0')}`;
    g.set({
      type: 'report',
      id,
      at: Date.now(),
      category,
      text: `${text} (phản ánh mô phỏng)`,
      location: at ?? { lat: round(c.center.lat + this.dice.noise() * 0.01, 6), lon: round(c.center.lon + this.dice.noise() * 0.01, 6) },
      commune: c.name,
      reporter: { name: REPORTERS[Math.floor(random() * REPORTERS.length)]!, phone },
    });
    this.ids.push(id);
    while (this.ids.length > KEEP) g.delete('report', this.ids.shift()!);
  };

  /** Files a random report when one is due. */
  tick(now: number): void {
    if (!(this.everyMs > 0 && now >= this.nextAt)) return;
    const { random } = this.dice;
    this.nextAt = now + this.dice.jitter(this.everyMs * 2 * random());
    const [category, text] = REPORT_KINDS[Math.floor(random() * REPORT_KINDS.length)]!;
    this.file(category, text, demoCommunes[Math.floor(random() * demoCommunes.length)]!.id);
  }
}
