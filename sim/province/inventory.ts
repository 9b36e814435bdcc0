/**
 * DEMO DATA — what the demo province "Tỉnh Đồng Nai (dữ liệu mô phỏng)" is made of: its communes,
 * gateways, sensors, cameras, moving objects, sirens and junctions (no readings: sim/province/
 * runtime.ts runs them).
 *
 * Everything here is SYNTHETIC: commune names, places, coordinates, sensors, thresholds, vessels
 * and registrations are made up for the demo and the tests. Names are real-sounding so the wall
 * looks like a real one, and every commune, gateway and item name says "(mô phỏng)" / is listed as
 * demo. Nothing here is an official boundary, station, alarm level or registration. Coordinates are
 * WGS 84, roughly around Biên Hòa, Trảng Bom, Long Thành and Nhơn Trạch. Đồng Nai has no sea coast
 * of its own; the fisheries gateway's vessels move on the Thị Vải / Gò Gia river-mouth waters south
 * of Nhơn Trạch — fine for a demo.
 */
import type { FieldCommand, GeoPoint, SensorKind } from '../../native-bridge/gateway-protocol.js';
import { aqiModel, fireAlarmModel, levelModel, lightModel, rainModel, trafficModel, waterQualityModel, type ValueModel } from './models.js';

// ------------------------------------------------------------------ the province (DEMO)

export const DEMO_PROVINCE = {
  id: 'demo-dong-nai',
  name: 'Tỉnh Đồng Nai (dữ liệu mô phỏng)',
  nameEn: 'Đồng Nai province (simulated data)',
  demo: true,
  center: { lat: 10.9, lon: 106.93 },
} as const;

export interface DemoCommune {
  id: string;
  /** Vietnamese name, marked "(mô phỏng)". */
  name: string;
  demo: true;
  center: GeoPoint;
}

const commune = (id: string, name: string, lat: number, lon: number): DemoCommune => ({ id, name: `${name} (mô phỏng)`, demo: true, center: { lat, lon } });

/** Synthetic communes/wards (two-level local government: no districts). */
export const demoCommunes: readonly DemoCommune[] = [
  commune('phuong-tran-bien', 'Phường Trấn Biên', 10.951, 106.823),
  commune('phuong-tam-hiep', 'Phường Tam Hiệp', 10.938, 106.862),
  commune('phuong-long-binh', 'Phường Long Bình', 10.946, 106.889),
  commune('phuong-ho-nai', 'Phường Hố Nai', 10.972, 106.905),
  commune('xa-trang-bom', 'Xã Trảng Bom', 10.951, 107.006),
  commune('xa-bau-ham', 'Xã Bàu Hàm', 10.992, 107.095),
  commune('xa-tri-an', 'Xã Trị An', 11.098, 106.975),
  commune('xa-long-thanh', 'Xã Long Thành', 10.786, 106.951),
  commune('xa-nhon-trach', 'Xã Nhơn Trạch', 10.719, 106.893),
];
export const communeById = Object.fromEntries(demoCommunes.map((c) => [c.id, c])) as Record<string, DemoCommune>;
const communeName = (id: string): string => communeById[id]!.name;

// ------------------------------------------------------------------ gateways

export const provinceGatewayIds = ['gw-thuy-van', 'gw-moi-truong', 'gw-giao-thong', 'gw-pccc', 'gw-chieu-sang', 'gw-thuy-san', 'gw-cong-dan'] as const;
export type ProvinceGatewayId = (typeof provinceGatewayIds)[number];

export interface DemoGatewayDefinition {
  id: ProvinceGatewayId;
  /** Vietnamese name (what the wall shows). */
  name: string;
  nameEn: string;
  demo: true;
}

export const GATEWAY_NAMES: Record<ProvinceGatewayId, [string, string]> = {
  'gw-thuy-van': ['Cổng thủy văn – mưa, mực nước (mô phỏng)', 'Hydrology gateway – rain, water level (simulated)'],
  'gw-moi-truong': ['Cổng quan trắc môi trường (mô phỏng)', 'Environment monitoring gateway (simulated)'],
  'gw-giao-thong': ['Cổng giao thông – tốc độ, camera, đèn tín hiệu (mô phỏng)', 'Traffic gateway – speeds, cameras, signals (simulated)'],
  'gw-pccc': ['Cổng PCCC & CNCH (mô phỏng)', 'Fire & rescue gateway (simulated)'],
  'gw-chieu-sang': ['Cổng chiếu sáng đô thị (mô phỏng)', 'Urban lighting gateway (simulated)'],
  'gw-thuy-san': ['Cổng giám sát tàu cá (mô phỏng)', 'Fishing vessel monitoring gateway (simulated)'],
  'gw-cong-dan': ['Cổng phản ánh hiện trường & cảnh báo người dân (mô phỏng)', 'Citizen reports & resident warnings gateway (simulated)'],
};

export function demoGatewayDefinitions(): DemoGatewayDefinition[] {
  return provinceGatewayIds.map((id) => ({ id, name: GATEWAY_NAMES[id][0], nameEn: GATEWAY_NAMES[id][1], demo: true }));
}

// ------------------------------------------------------------------ registry

export type Alarm = { direction: 'above' | 'below'; warning: number; critical: number };

export interface SensorDef {
  gateway: ProvinceGatewayId;
  id: string;
  kind: SensorKind;
  name: string;
  commune: string;
  location: GeoPoint;
  unit: string;
  /** 'above' alarms are published as the sensor's thresholds; 'below' ones (speeds) only drive events. */
  alarm?: Alarm;
  periodMs: number;
  /** Headline value and extras at time t, before incident overlays. */
  model: ValueModel;
  /** Fixed per-sensor parameters. */
  base: number;
  amp: number;
}

export const p = (lat: number, lon: number): GeoPoint => ({ lat, lon });

export function demoSensors(): SensorDef[] {
  const out: SensorDef[] = [];
  const add = (gateway: ProvinceGatewayId, def: Omit<SensorDef, 'gateway'>) => out.push({ gateway, ...def });
  const rain = (id: string, name: string, communeId: string, at: GeoPoint) =>
    add('gw-thuy-van', { id, kind: 'rain', name, commune: communeName(communeId), location: at, unit: 'mm/h', alarm: { direction: 'above', warning: 30, critical: 50 }, periodMs: 5000, model: rainModel, base: 0, amp: 0 });
  rain('mua-bien-hoa', 'Trạm đo mưa Biên Hòa', 'phuong-tran-bien', p(10.957, 106.842));
  rain('mua-tam-hiep', 'Trạm đo mưa Tam Hiệp', 'phuong-tam-hiep', p(10.934, 106.857));
  rain('mua-long-binh', 'Trạm đo mưa Long Bình', 'phuong-long-binh', p(10.944, 106.893));
  rain('mua-trang-bom', 'Trạm đo mưa Trảng Bom', 'xa-trang-bom', p(10.953, 107.01));
  rain('mua-long-thanh', 'Trạm đo mưa Long Thành', 'xa-long-thanh', p(10.781, 106.952));
  rain('mua-tri-an', 'Trạm đo mưa Trị An', 'xa-tri-an', p(11.1, 106.98));
  const level = (id: string, name: string, communeId: string, at: GeoPoint, base: number, amp: number, warning: number, critical: number) =>
    add('gw-thuy-van', { id, kind: 'water-level', name, commune: communeName(communeId), location: at, unit: 'm', alarm: { direction: 'above', warning, critical }, periodMs: 5000, model: levelModel, base, amp });
  level('mn-dong-nai-bien-hoa', 'Trạm mực nước sông Đồng Nai – Biên Hòa', 'phuong-tran-bien', p(10.949, 106.815), 1.05, 0.45, 1.9, 2.3);
  level('mn-suoi-linh', 'Trạm mực nước suối Linh', 'phuong-tam-hiep', p(10.927, 106.87), 0.6, 0.2, 1.3, 1.7);
  level('mn-song-buong', 'Trạm mực nước sông Buông', 'xa-trang-bom', p(10.93, 107.0), 0.8, 0.15, 1.6, 2.0);
  level('mn-dong-nai-tri-an', 'Trạm mực nước sông Đồng Nai – hạ lưu Trị An', 'xa-tri-an', p(11.085, 106.99), 1.4, 0.25, 2.4, 2.9);
  level('mn-thi-vai', 'Trạm mực nước sông Thị Vải', 'xa-nhon-trach', p(10.66, 106.98), 1.2, 0.9, 2.6, 3.0);

  const air = (id: string, name: string, communeId: string, at: GeoPoint, base: number, amp: number) =>
    add('gw-moi-truong', { id, kind: 'air-quality', name, commune: communeName(communeId), location: at, unit: 'AQI', alarm: { direction: 'above', warning: 100, critical: 150 }, periodMs: 6000, model: aqiModel, base, amp });
  air('kk-kcn-bien-hoa-2', 'Trạm không khí KCN Biên Hòa 2', 'phuong-long-binh', p(10.929, 106.868), 58, 25);
  air('kk-kcn-amata', 'Trạm không khí KCN Amata', 'phuong-long-binh', p(10.951, 106.902), 55, 22);
  air('kk-cong-vien-bien-hung', 'Trạm không khí công viên Biên Hùng', 'phuong-tran-bien', p(10.948, 106.821), 40, 20);
  air('kk-trang-bom', 'Trạm không khí Trảng Bom', 'xa-trang-bom', p(10.949, 107.0), 38, 18);
  air('kk-kcn-nhon-trach', 'Trạm không khí KCN Nhơn Trạch', 'xa-nhon-trach', p(10.716, 106.91), 60, 20);
  air('kk-long-thanh', 'Trạm không khí Long Thành', 'xa-long-thanh', p(10.79, 106.946), 42, 18);
  const water = (id: string, name: string, communeId: string, at: GeoPoint, base: number) =>
    add('gw-moi-truong', { id, kind: 'water-quality', name, commune: communeName(communeId), location: at, unit: 'mg/L COD', alarm: { direction: 'above', warning: 15, critical: 30 }, periodMs: 10000, model: waterQualityModel, base, amp: 2.5 });
  water('nc-dong-nai-hoa-an', 'Trạm chất lượng nước sông Đồng Nai – Hóa An', 'phuong-tran-bien', p(10.94, 106.8), 8);
  water('nc-suoi-linh', 'Trạm chất lượng nước suối Linh', 'phuong-tam-hiep', p(10.925, 106.872), 9.5);
  water('nc-thi-vai', 'Trạm chất lượng nước sông Thị Vải', 'xa-nhon-trach', p(10.67, 106.975), 9);

  const road = (id: string, name: string, communeId: string, at: GeoPoint, freeFlow: number, capacity: number) =>
    add('gw-giao-thong', { id, kind: 'traffic', name, commune: communeName(communeId), location: at, unit: 'km/h', alarm: { direction: 'below', warning: 15, critical: 8 }, periodMs: 3000, model: trafficModel, base: freeFlow, amp: capacity });
  road('gt-ql1a-01', 'QL1A – đoạn Tân Phong–Tam Hiệp', 'phuong-tam-hiep', p(10.941, 106.846), 45, 3200);
  road('gt-ql1a-02', 'QL1A – đoạn Tam Hiệp–Amata', 'phuong-long-binh', p(10.947, 106.88), 50, 3400);
  road('gt-ql1a-03', 'QL1A – đoạn Amata–Hố Nai', 'phuong-ho-nai', p(10.965, 106.915), 55, 3300);
  road('gt-ql1a-04', 'QL1A – đoạn Hố Nai–Trảng Bom', 'xa-trang-bom', p(10.958, 106.975), 60, 3000);
  road('gt-ql51-01', 'QL51 – đoạn Vòng xoay Tam Hiệp–Long Bình Tân', 'phuong-tam-hiep', p(10.915, 106.87), 45, 2800);
  road('gt-ql51-02', 'QL51 – đoạn Long Bình Tân–An Phước', 'xa-long-thanh', p(10.86, 106.93), 60, 2600);
  road('gt-ql51-03', 'QL51 – đoạn An Phước–Long Thành', 'xa-long-thanh', p(10.8, 106.95), 60, 2400);
  road('gt-cao-toc-01', 'Cao tốc TP.HCM–Long Thành–Dầu Giây – nút Long Thành', 'xa-long-thanh', p(10.775, 106.96), 100, 4000);
  road('gt-cao-toc-02', 'Cao tốc TP.HCM–Long Thành–Dầu Giây – đoạn Bàu Cạn', 'xa-long-thanh', p(10.81, 107.04), 100, 3800);
  road('gt-vo-thi-sau', 'Đường Võ Thị Sáu', 'phuong-tran-bien', p(10.954, 106.829), 35, 1500);
  road('gt-dong-khoi', 'Đường Đồng Khởi', 'phuong-tam-hiep', p(10.96, 106.86), 40, 1800);
  road('gt-dt768', 'ĐT768 – đoạn Hiếu Liêm–Trị An', 'xa-tri-an', p(11.09, 106.96), 50, 900);
  road('gt-ql20-nhon-trach', 'ĐT25B – đoạn Nhơn Trạch', 'xa-nhon-trach', p(10.73, 106.89), 50, 1400);

  const alarm = (id: string, name: string, communeId: string, at: GeoPoint) =>
    add('gw-pccc', { id, kind: 'fire-alarm', name, commune: communeName(communeId), location: at, unit: '', periodMs: 15000, model: fireAlarmModel, base: 0, amp: 0 });
  alarm('bc-cho-bien-hoa', 'Báo cháy – Chợ trung tâm Biên Hòa', 'phuong-tran-bien', p(10.9565, 106.8435));
  alarm('bc-tttm-tam-hiep', 'Báo cháy – Trung tâm thương mại Tam Hiệp', 'phuong-tam-hiep', p(10.9372, 106.8598));
  alarm('bc-kho-amata', 'Báo cháy – Kho hàng KCN Amata', 'phuong-long-binh', p(10.9531, 106.9048));
  alarm('bc-det-bien-hoa-2', 'Báo cháy – Nhà máy dệt KCN Biên Hòa 2', 'phuong-long-binh', p(10.9275, 106.8702));
  alarm('bc-chung-cu-long-binh', 'Báo cháy – Chung cư Long Bình', 'phuong-long-binh', p(10.9442, 106.8871));
  alarm('bc-truong-trang-bom', 'Báo cháy – Trường THPT Trảng Bom', 'xa-trang-bom', p(10.9498, 107.0088));
  alarm('bc-cang-phuoc-an', 'Báo cháy – Kho cảng Phước An', 'xa-nhon-trach', p(10.651, 106.99));

  const light = (id: string, name: string, communeId: string, at: GeoPoint, powerW: number) =>
    add('gw-chieu-sang', { id, kind: 'smart-light', name, commune: communeName(communeId), location: at, unit: '', periodMs: 10000, model: lightModel, base: powerW, amp: 0 });
  for (let i = 0; i < 6; i++) light(`den-vts-${String(i + 1).padStart(2, '0')}`, `Đèn đường Võ Thị Sáu số ${i + 1}`, 'phuong-tran-bien', p(10.9525 + i * 0.0009, 106.8265 + i * 0.0011), 120);
  for (let i = 0; i < 4; i++) light(`den-bh-${String(i + 1).padStart(2, '0')}`, `Đèn công viên Biên Hùng số ${i + 1}`, 'phuong-tran-bien', p(10.9475 + i * 0.0004, 106.8202 + i * 0.0005), 60);
  for (let i = 0; i < 4; i++) light(`den-tb-${String(i + 1).padStart(2, '0')}`, `Đèn đường 29/4 Trảng Bom số ${i + 1}`, 'xa-trang-bom', p(10.9512, 107.0021 + i * 0.0013), 150);
  return out;
}

interface CameraDef {
  gateway: ProvinceGatewayId;
  id: string;
  name: string;
  commune: string;
  location: GeoPoint;
}

export function demoCameras(): CameraDef[] {
  const list: [ProvinceGatewayId, string, string, string, GeoPoint][] = [
    ['gw-giao-thong', 'cam-01', 'Camera vòng xoay Tam Hiệp', 'phuong-tam-hiep', p(10.9368, 106.8612)],
    ['gw-giao-thong', 'cam-02', 'Camera nút giao Amata', 'phuong-long-binh', p(10.9512, 106.8995)],
    ['gw-giao-thong', 'cam-03', 'Camera ngã tư Tân Phong', 'phuong-tran-bien', p(10.9653, 106.8401)],
    ['gw-giao-thong', 'cam-04', 'Camera QL1A – Hố Nai', 'phuong-ho-nai', p(10.9684, 106.9142)],
    ['gw-giao-thong', 'cam-05', 'Camera QL1A – cầu Sông Buông', 'xa-trang-bom', p(10.9555, 106.9905)],
    ['gw-giao-thong', 'cam-06', 'Camera ngã ba Trị An', 'xa-trang-bom', p(10.9571, 107.0102)],
    ['gw-giao-thong', 'cam-07', 'Camera QL51 – Long Bình Tân', 'phuong-tam-hiep', p(10.9102, 106.8745)],
    ['gw-giao-thong', 'cam-08', 'Camera QL51 – An Phước', 'xa-long-thanh', p(10.8495, 106.9371)],
    ['gw-giao-thong', 'cam-09', 'Camera nút giao cao tốc Long Thành', 'xa-long-thanh', p(10.7762, 106.9603)],
    ['gw-giao-thong', 'cam-10', 'Camera đường Võ Thị Sáu', 'phuong-tran-bien', p(10.9541, 106.8297)],
    ['gw-giao-thong', 'cam-11', 'Camera đường Đồng Khởi', 'phuong-tam-hiep', p(10.9601, 106.8589)],
    ['gw-giao-thong', 'cam-12', 'Camera cầu Hóa An', 'phuong-tran-bien', p(10.9402, 106.8035)],
    ['gw-giao-thong', 'cam-13', 'Camera ĐT768 – Trị An', 'xa-tri-an', p(11.0935, 106.9688)],
    ['gw-giao-thong', 'cam-14', 'Camera ĐT25B – Nhơn Trạch', 'xa-nhon-trach', p(10.7311, 106.8902)],
    ['gw-pccc', 'cam-15', 'Camera KCN Amata – cổng chính', 'phuong-long-binh', p(10.9528, 106.9033)],
    ['gw-moi-truong', 'cam-16', 'Camera xả thải KCN Biên Hòa 2', 'phuong-long-binh', p(10.9262, 106.8685)],
  ];
  return list.map(([gateway, id, name, communeId, location]) => ({ gateway, id, name, commune: communeName(communeId), location }));
}

export interface Zone {
  latMin: number;
  latMax: number;
  lonMin: number;
  lonMax: number;
}

export interface MoverState {
  gateway: ProvinceGatewayId;
  id: string;
  kind: 'vessel' | 'fire-truck';
  name: string;
  location: GeoPoint;
  headingDeg: number;
  speedKmh: number;
  nextAt: number;
  /** Vessels: permitted zone; leaving it raises an event. */
  zone?: Zone;
  outside?: { eventId: string } | null;
  /** Trucks: a straight-line trip. */
  trip?: { from: GeoPoint; to: GeoPoint; startAt: number; durationMs: number } | null;
  home: GeoPoint;
  /** Vessel-zone incident: head for this point regardless of the zone. */
  escapeTo?: GeoPoint | null;
}

const FIRE_STATION = p(10.9552, 106.8349);

export function demoMovers(): MoverState[] {
  const truck = (n: number): MoverState => ({
    gateway: 'gw-pccc',
    id: `xe-cc-0${n}`,
    kind: 'fire-truck',
    name: `Xe chữa cháy số ${n} – Đội PCCC&CNCH Biên Hòa (mô phỏng)`,
    location: { ...FIRE_STATION },
    headingDeg: 0,
    speedKmh: 0,
    nextAt: 0,
    trip: null,
    home: { ...FIRE_STATION },
  });
  // Permitted zones on the Thị Vải / Gò Gia waters (synthetic).
  const zoneA: Zone = { latMin: 10.6, latMax: 10.66, lonMin: 106.94, lonMax: 107.0 };
  const zoneB: Zone = { latMin: 10.56, latMax: 10.62, lonMin: 106.88, lonMax: 106.95 };
  const vessel = (reg: string, zone: Zone, lat: number, lon: number): MoverState => ({
    gateway: 'gw-thuy-san',
    id: `tau-${reg.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`,
    kind: 'vessel',
    name: `Tàu cá ${reg} (mô phỏng)`,
    location: p(lat, lon),
    headingDeg: 90,
    speedKmh: 8,
    nextAt: 0,
    zone,
    outside: null,
    home: p(lat, lon),
  });
  return [
    truck(1),
    truck(2),
    truck(3),
    vessel('DNa-90123-TS', zoneA, 10.63, 106.97),
    vessel('DNa-90456-TS', zoneA, 10.62, 106.955),
    vessel('DNa-91002-TS', zoneA, 10.645, 106.985),
    vessel('DNa-91377-TS', zoneB, 10.59, 106.91),
    vessel('DNa-92210-TS', zoneB, 10.58, 106.93),
    vessel('DNa-92685-TS', zoneB, 10.605, 106.9),
  ];
}

export const SIRENS: Record<string, { name: string; commune: string; location: GeoPoint }> = {
  'coi-bien-hoa': { name: 'Còi cảnh báo lũ – bến Bửu Long', commune: communeName('phuong-tran-bien'), location: p(10.9563, 106.8102) },
  'coi-tam-hiep': { name: 'Còi cảnh báo ngập – suối Linh', commune: communeName('phuong-tam-hiep'), location: p(10.9281, 106.8693) },
  'coi-trang-bom': { name: 'Còi cảnh báo lũ – sông Buông', commune: communeName('xa-trang-bom'), location: p(10.9312, 106.9987) },
};
export const JUNCTIONS: Record<string, { name: string; location: GeoPoint }> = {
  'nut-tam-hiep': { name: 'Nút giao vòng xoay Tam Hiệp', location: p(10.9368, 106.8612) },
  'nut-amata': { name: 'Nút giao Amata', location: p(10.9512, 106.8995) },
  'nut-tan-phong': { name: 'Ngã tư Tân Phong', location: p(10.9653, 106.8401) },
  'nut-long-thanh': { name: 'Nút giao QL51 – Long Thành', location: p(10.7905, 106.9488) },
};

export interface DemoCommandTarget {
  gateway: ProvinceGatewayId;
  type: FieldCommand['type'];
  target: string;
  name: string;
}

/** Which gateway accepts which command for which target (the console's pick list). */
export function demoCommandTargets(): DemoCommandTarget[] {
  return [
    ...Object.entries(SIRENS).map(([target, s]) => ({ gateway: 'gw-thuy-van' as const, type: 'siren' as const, target, name: s.name })),
    ...Object.entries(JUNCTIONS).map(([target, j]) => ({ gateway: 'gw-giao-thong' as const, type: 'traffic-signal-plan' as const, target, name: j.name })),
    ...demoCommunes.map((c) => ({ gateway: 'gw-cong-dan' as const, type: 'resident-warning' as const, target: c.id, name: c.name })),
  ];
}

/** Every sensor, camera and moving object of the demo province, for docs and layouts (no readings). */
export function demoInventory(): { sensors: number; cameras: number; objects: number; byGateway: Record<ProvinceGatewayId, number> } {
  const byGateway = Object.fromEntries(provinceGatewayIds.map((id) => [id, 0])) as Record<ProvinceGatewayId, number>;
  const s = demoSensors();
  const c = demoCameras();
  const m = demoMovers();
  for (const x of [...s, ...c, ...m]) byGateway[x.gateway]++;
  return { sensors: s.length, cameras: c.length, objects: m.length, byGateway };
}

/** Where every sensor, camera, moving object (its start), siren and junction of the demo province is: the demo base map is drawn around them. */
export function demoSites(): { id: string; kind: string; name: string; location: GeoPoint }[] {
  return [
    ...demoSensors().map((s) => ({ id: s.id, kind: s.kind, name: s.name, location: s.location })),
    ...demoCameras().map((c) => ({ id: c.id, kind: 'camera', name: c.name, location: c.location })),
    ...demoMovers().map((m) => ({ id: m.id, kind: m.kind, name: m.name, location: m.home })),
    ...Object.entries(SIRENS).map(([id, s]) => ({ id, kind: 'siren', name: s.name, location: s.location })),
    ...Object.entries(JUNCTIONS).map(([id, j]) => ({ id, kind: 'junction', name: j.name, location: j.location })),
  ];
}
