/**
 * The simulated cameras' HLS server run in the test (or benchmark) process, for the ones that
 * stop, freeze and restart streams: it listens on a port of its own choosing (0), and the gateways
 * file written beside it makes a host's simulated province advertise exactly that address.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultDemoCameraDir, startCameraServer, type CameraServer } from '../../sim/cameras/camera-server.js';
import { demoCameras } from '../../sim/province/inventory.js';

export interface TestCameras {
  server: CameraServer;
  /** A gateways file: the simulated province on ephemeral ports, its cameras at `server`. */
  gatewaysFile: string;
}

export async function startTestCameras(dir: string): Promise<TestCameras> {
  const server = await startCameraServer({ port: 0, mediaDir: defaultDemoCameraDir(), cameras: demoCameras().map((c) => c.id) });
  const gatewaysFile = join(dir, 'gateways-test-cameras.yaml');
  writeFileSync(gatewaysFile, `bind: { updates: 'tcp://127.0.0.1:*', control: 'tcp://127.0.0.1:*' }\nsimulate: true\nsimulatedCameras: { serve: false, baseUrl: '${server.baseUrl}' }\n`);
  return { server, gatewaysFile };
}
