/** A gateways file naming one gateway that never connects: its field commands wait in the outbox. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as zmq from 'zeromq';

export const OFFLINE_GATEWAY = 'gw-test';

export function offlineGatewayFile(dir: string): string {
  const file = join(dir, 'gateways.yaml');
  const { publicKey } = zmq.curveKeyPair();
  const lines = ["bind: { updates: 'tcp://127.0.0.1:*', control: 'tcp://127.0.0.1:*' }", 'simulate: false', 'gateways:', `  - { id: ${OFFLINE_GATEWAY}, name: Cổng thử nghiệm, publicKey: '${publicKey}' }`, ''];
  writeFileSync(file, lines.join('\n'));
  return file;
}
