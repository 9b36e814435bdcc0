/**
 * The embedded simulated province as the host's launcher plugs it in (see electron/common/ports.ts
 * FieldSimulator): the demo gateways to allow-list, and starting them against the host's link.
 */
import type { FieldSimulator } from '../electron/common/ports.js';
import { demoGatewayDefinitions, startProvince, type ProvinceHandle } from './province.js';

export const embeddedProvince: FieldSimulator<ProvinceHandle> = {
  gateways: () => demoGatewayDefinitions().map(({ id, name }) => ({ id, name })),
  start: (connection) => startProvince(connection),
};
