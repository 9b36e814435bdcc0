/**
 * DEMO DATA — the demo province: "Tỉnh Đồng Nai (dữ liệu mô phỏng)".
 *
 * Everything in it is SYNTHETIC (see sim/province/inventory.ts). Seven gateways (sim/gateway.ts
 * each): hydrology, environment, traffic (+ cameras), fire & rescue, lighting, fisheries,
 * citizens (reports + resident warnings). Readings vary with the time of day (Asia/Ho_Chi_Minh),
 * tides, noise and slow trends; threshold crossings raise and clear events by themselves.
 * Scripted incidents (flood, fire, traffic, pollution, vessel-zone) unfold over 1–3 minutes and
 * clear afterwards, on trigger() or on a schedule.
 *
 * The parts live in sim/province/: inventory (what exists), models (how values move), sensors,
 * movers and reports (their running state), incidents (the scripts and their player), runtime
 * (startProvince). This file only re-exports the public names, so importers keep one path.
 */
export type { StateItem } from '../native-bridge/gateway-protocol.js';
export { incidentNames, type IncidentName, type IncidentStep } from './province/incidents.js';
export {
  DEMO_PROVINCE,
  demoCommandTargets,
  demoCommunes,
  demoGatewayDefinitions,
  demoInventory,
  demoSites,
  provinceGatewayIds,
  type DemoCommandTarget,
  type DemoCommune,
  type DemoGatewayDefinition,
  type ProvinceGatewayId,
} from './province/inventory.js';
export { localHour } from './province/models.js';
export { startProvince, type ProvinceHandle, type ProvinceOptions } from './province/runtime.js';
