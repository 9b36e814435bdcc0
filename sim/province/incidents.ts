/**
 * DEMO DATA — the scripted incidents (flood, fire, traffic, pollution, vessel-zone): each a list
 * of timed steps that push sensors, move vehicles, raise events and file reports over 1–3
 * minutes and clear everything afterwards; and the player that runs them on trigger() or on a
 * schedule. A script acts only on what it is given (IncidentDeps), not on the runtime's state.
 */
import { communeById, p } from './inventory.js';
import { inZone, zoneCentre, type MoverFleet } from './movers.js';
import type { FileReport } from './reports.js';
import type { SensorBoard } from './sensors.js';
import type { EventDesk, Timers } from './shared.js';

export const incidentNames = ['flood', 'fire', 'traffic', 'pollution', 'vessel-zone'] as const;
export type IncidentName = (typeof incidentNames)[number];

export interface IncidentStep {
  incident: IncidentName;
  /** Seconds since the incident started (unscaled script time). */
  atS: number;
  vi: string;
  en: string;
}

type Step = Omit<IncidentStep, 'incident'> & { run: () => void };

/** What the scripts act on. */
interface IncidentDeps {
  sensors: SensorBoard;
  fleet: MoverFleet;
  events: EventDesk;
  report: FileReport;
}

/** A script's steps, built when the incident starts (so they see the province as it is then). */
type Script = (deps: IncidentDeps) => Step[];

const flood: Script = ({ sensors, events, report }) => {
  const gauges = ['mua-bien-hoa', 'mua-tam-hiep', 'mua-long-binh', 'mua-trang-bom'];
  const stations: [string, number][] = [
    ['mn-dong-nai-bien-hoa', 1.95],
    ['mn-suoi-linh', 1.3],
    ['mn-song-buong', 1.35],
  ];
  return [
    { atS: 0, vi: 'Mưa lớn bắt đầu tại Biên Hòa, Trảng Bom', en: 'Heavy rain starts over Biên Hòa and Trảng Bom', run: () => gauges.forEach((id, i) => sensors.rampTo(id, 40 + i * 8, 30)) },
    { atS: 25, vi: 'Mưa rất to, vượt ngưỡng cảnh báo', en: 'Very heavy rain, above warning level', run: () => gauges.forEach((id, i) => sensors.rampTo(id, 55 + i * 6, 15)) },
    { atS: 30, vi: 'Mực nước sông, suối bắt đầu lên nhanh', en: 'River and stream levels rise fast', run: () => stations.forEach(([id, rise]) => sensors.rampTo(id, rise, 60)) },
    { atS: 45, vi: 'Người dân phản ánh ngập tại Tam Hiệp', en: 'Residents report flooding in Tam Hiệp', run: () => report('ngap-nuoc', 'Nước suối Linh tràn vào nhà dân, ngập khoảng 40 cm.', 'phuong-tam-hiep', p(10.9276, 106.8711)) },
    {
      atS: 95,
      vi: 'Mực nước vượt mức nguy hiểm tại nhiều trạm',
      en: 'Water levels above critical at several stations',
      run: () => {
        stations.forEach(([id]) => sensors.sampleNow(id));
        events.raise('gw-thuy-van', {
          id: events.newId('lu'),
          severity: 'critical',
          category: 'flood',
          title: { vi: 'Nguy cơ ngập lụt diện rộng tại Biên Hòa, Trảng Bom (mô phỏng)', en: 'Risk of widespread flooding in Biên Hòa, Trảng Bom (simulated)' },
          location: communeById['phuong-tam-hiep']!.center,
        });
      },
    },
    { atS: 110, vi: 'Mưa giảm dần', en: 'Rain eases', run: () => gauges.forEach((id) => sensors.rampTo(id, 0, 25)) },
    { atS: 130, vi: 'Nước rút dần', en: 'Water recedes', run: () => stations.forEach(([id]) => sensors.rampTo(id, 0, 45)) },
    {
      atS: 180,
      vi: 'Kết thúc đợt ngập; các cảnh báo được gỡ',
      en: 'Flood over; warnings cleared',
      run: () => {
        [...gauges, ...stations.map(([id]) => id)].forEach((id) => sensors.settle(id));
        events.clearOpen('gw-thuy-van', 'ev-lu-');
      },
    },
  ];
};

const fire: Script = ({ sensors, fleet, events }) => {
  const facility = 'bc-kho-amata';
  const where = sensors.states.get(facility)?.def.location ?? p(10.9531, 106.9048);
  let fireEvent = '';
  const trucks = fleet.movers.filter((m) => m.kind === 'fire-truck').slice(0, 2);
  const travelS = 50;
  return [
    {
      atS: 0,
      vi: 'Báo cháy tại Kho hàng KCN Amata',
      en: 'Fire alarm at the Amata industrial park warehouse',
      run: () => {
        sensors.rampTo(facility, 1, 0);
        sensors.sampleNow(facility);
        fireEvent = events.raise('gw-pccc', {
          id: events.newId('chay'),
          severity: 'critical',
          category: 'fire',
          title: { vi: 'Cháy kho hàng KCN Amata – có khói dày đặc (mô phỏng)', en: 'Fire at the Amata industrial park warehouse – dense smoke (simulated)' },
          location: where,
          sensor: facility,
        });
      },
    },
    {
      atS: 5,
      vi: 'Điều động 2 xe chữa cháy từ Đội PCCC&CNCH Biên Hòa',
      en: 'Two fire trucks dispatched from the Biên Hòa fire station',
      run: () => trucks.forEach((m, i) => fleet.startTrip(m, { lat: where.lat + i * 0.0004, lon: where.lon - 0.0006 }, travelS)),
    },
    { atS: 5 + travelS + 2, vi: 'Xe chữa cháy đến hiện trường', en: 'Fire trucks on scene', run: () => trucks.forEach((m) => fleet.publish(m, Date.now())) },
    {
      atS: 100,
      vi: 'Đám cháy được khống chế; tắt báo cháy',
      en: 'Fire under control; alarm reset',
      run: () => {
        sensors.rampTo(facility, 0, 0);
        sensors.sampleNow(facility);
        if (fireEvent) events.clear('gw-pccc', fireEvent);
      },
    },
    {
      atS: 110,
      vi: 'Xe chữa cháy trở về đơn vị',
      en: 'Fire trucks return to the station',
      run: () => trucks.forEach((m) => fleet.startTrip(m, m.home, travelS)),
    },
    { atS: 110 + travelS + 2, vi: 'Kết thúc sự cố cháy', en: 'Fire incident over', run: () => sensors.dropOverlay(facility) },
  ];
};

const traffic: Script = ({ sensors, events, report }) => {
  const corridor: [string, number][] = [
    ['gt-ql1a-01', 0.7],
    ['gt-ql1a-02', 0.85],
    ['gt-ql1a-03', 0.8],
    ['gt-ql1a-04', 0.6],
  ];
  let jam = '';
  return [
    { atS: 0, vi: 'Tai nạn trên QL1A đoạn Tam Hiệp–Amata, xe bắt đầu chậm', en: 'Crash on QL1A Tam Hiệp–Amata, traffic slows', run: () => corridor.slice(1, 3).forEach(([id, f]) => sensors.rampTo(id, f * 0.5, 20)) },
    {
      atS: 20,
      vi: 'Ùn tắc lan dọc QL1A từ Tân Phong đến Trảng Bom',
      en: 'Congestion spreads along QL1A from Tân Phong to Trảng Bom',
      run: () => {
        corridor.forEach(([id, f]) => sensors.rampTo(id, f, 30));
        jam = events.raise('gw-giao-thong', {
          id: events.newId('un-tac'),
          severity: 'warning',
          category: 'traffic',
          title: { vi: 'Ùn tắc kéo dài trên QL1A đoạn Tân Phong–Trảng Bom (mô phỏng)', en: 'Long congestion on QL1A Tân Phong–Trảng Bom (simulated)' },
          location: p(10.947, 106.88),
        });
      },
    },
    { atS: 40, vi: 'Người dân phản ánh ùn tắc tại vòng xoay Tam Hiệp', en: 'Residents report a jam at the Tam Hiệp roundabout', run: () => report('un-tac', 'Xe kẹt cứng vòng xoay Tam Hiệp hơn 30 phút.', 'phuong-tam-hiep', p(10.9368, 106.8612)) },
    { atS: 90, vi: 'Giải tỏa hiện trường, giao thông hồi phục dần', en: 'Scene cleared, traffic recovering', run: () => corridor.forEach(([id]) => sensors.rampTo(id, 0, 40)) },
    {
      atS: 135,
      vi: 'Giao thông trở lại bình thường',
      en: 'Traffic back to normal',
      run: () => {
        corridor.forEach(([id]) => sensors.settle(id));
        if (jam) events.clear('gw-giao-thong', jam);
      },
    },
  ];
};

const pollution: Script = ({ sensors, report }) => {
  const sources: [string, number][] = [
    ['kk-kcn-bien-hoa-2', 150],
    ['kk-cong-vien-bien-hung', 60],
    ['kk-kcn-amata', 70],
  ];
  return [
    { atS: 0, vi: 'AQI tăng bất thường tại KCN Biên Hòa 2', en: 'AQI rising unusually at Biên Hòa 2 industrial park', run: () => sensors.rampTo('kk-kcn-bien-hoa-2', 70, 20) },
    { atS: 20, vi: 'Khói bụi lan sang khu dân cư lân cận', en: 'Smoke spreads to nearby neighbourhoods', run: () => sources.forEach(([id, rise]) => sensors.rampTo(id, rise, 40)) },
    { atS: 35, vi: 'Người dân phản ánh mùi khét', en: 'Residents report a burning smell', run: () => report('mui-hoi', 'Mùi khét nồng nặc từ KCN Biên Hòa 2, khó thở.', 'phuong-long-binh', p(10.9301, 106.8655)) },
    { atS: 45, vi: 'Chất lượng nước suối Linh xấu đi', en: 'Suối Linh water quality worsens', run: () => sensors.rampTo('nc-suoi-linh', 22, 40) },
    {
      atS: 100,
      vi: 'Nguồn thải được kiểm soát, AQI giảm',
      en: 'Source controlled, AQI falling',
      run: () => {
        sources.forEach(([id]) => sensors.rampTo(id, 0, 40));
        sensors.rampTo('nc-suoi-linh', 0, 40);
      },
    },
    {
      atS: 150,
      vi: 'Kết thúc sự cố ô nhiễm',
      en: 'Pollution incident over',
      run: () => [...sources.map(([id]) => id), 'nc-suoi-linh'].forEach((id) => sensors.settle(id)),
    },
  ];
};

const vesselZone: Script = ({ fleet }) => {
  const vessel = fleet.movers.find((m) => m.kind === 'vessel');
  return [
    {
      atS: 0,
      vi: `${vessel?.name ?? 'Tàu cá'} chuyển hướng ra khỏi vùng được phép`,
      en: `${vessel?.name ?? 'A vessel'} heads out of its permitted zone`,
      run: () => {
        if (vessel?.zone) vessel.escapeTo = { lat: vessel.zone.latMin - 0.05, lon: vessel.zone.lonMax + 0.04 };
      },
    },
    {
      atS: 70,
      vi: 'Tàu được yêu cầu quay lại vùng hoạt động',
      en: 'Vessel told to return to its zone',
      run: () => {
        if (vessel) vessel.escapeTo = vessel.zone ? zoneCentre(vessel.zone) : null;
      },
    },
    {
      atS: 110,
      vi: 'Tàu đã trở lại vùng được phép',
      en: 'Vessel back in its zone',
      run: () => {
        if (vessel) {
          vessel.escapeTo = null;
          if (vessel.zone && !inZone(vessel.location, vessel.zone)) vessel.location = { ...vessel.home };
          fleet.moveVessel(vessel, 0);
          fleet.publish(vessel, Date.now());
        }
      },
    },
  ];
};

const scripts: Record<IncidentName, Script> = { flood, fire, traffic, pollution, 'vessel-zone': vesselZone };

interface IncidentPlayerOptions extends IncidentDeps {
  timers: Timers;
  /** Script time multiplier: 0.1 = ten times faster. */
  timeScale: number;
  log: (line: string) => void;
  onStep?: (step: IncidentStep) => void;
}

/** Runs the scripts: each at most once at a time, step by step on the province's timers. */
export class IncidentPlayer {
  private readonly running = new Map<IncidentName, Promise<void>>();
  private readonly activeSet = new Set<IncidentName>();
  private scheduleTimer: NodeJS.Timeout | null = null;

  constructor(private readonly o: IncidentPlayerOptions) {}

  get active(): ReadonlySet<IncidentName> {
    return this.activeSet;
  }

  /** Starts the incident (or returns the run already under way); resolves once its last step has run. */
  trigger(incident: IncidentName): Promise<void> {
    if (!incidentNames.includes(incident)) return Promise.reject(new Error(`unknown incident "${String(incident)}"; one of ${incidentNames.join(', ')}`));
    const existing = this.running.get(incident);
    if (existing) return existing;
    const { timers, timeScale, log, onStep } = this.o;
    this.activeSet.add(incident);
    const steps = scripts[incident](this.o);
    const done = new Promise<void>((resolve) => {
      let left = steps.length;
      for (const step of steps) {
        timers.later(step.atS * 1000 * timeScale, () => {
          try {
            step.run();
          } catch (error) {
            log(`incident ${incident}: step failed: ${String(error)}`);
          }
          log(`[incident ${incident} +${step.atS}s] ${step.vi} — ${step.en}`);
          onStep?.({ incident, atS: step.atS, vi: step.vi, en: step.en });
          if (--left === 0) {
            this.activeSet.delete(incident);
            this.running.delete(incident);
            resolve();
          }
        });
      }
    });
    this.running.set(incident, done);
    return done;
  }

  /** Triggers the incidents in turn, one every everyMs (replacing an earlier schedule). */
  schedule(everyMs = 6 * 60_000): void {
    this.stopSchedule();
    let next = 0;
    const run = () => {
      const incident = incidentNames[next++ % incidentNames.length]!;
      void this.trigger(incident);
    };
    this.scheduleTimer = setInterval(run, everyMs);
    this.scheduleTimer.unref();
  }

  /** Ends the schedule; steps under way are the province's timers' to end. */
  stopSchedule(): void {
    if (this.scheduleTimer) clearInterval(this.scheduleTimer);
  }
}
