/**
 * `npm start -- --pair`: a primary/backup pair on this one machine, for a newcomer to try a
 * failover (docs/failover.md, Trying it on one machine). Two nodes, `ioc-a` (primary) and `ioc-b`
 * (backup), each with its own data folder under `<data-dir>/pair/`, its key pair made there on the
 * first run (keys/host-curve.json, 0600: the secret half never leaves it). From the two *public*
 * keys it writes the pair's wall file (`<data-dir>/pair/<wall>-pair.yaml`) and a gateways file on
 * ephemeral ports, then runs each node as `npm start` does (under its supervisor, which restarts a
 * killed host: it comes back as the standby). Each node runs the embedded simulated province. The
 * primary opens the wall windows (it becomes active once it hears the backup); the backup serves
 * its console URL only. Ctrl-C stops both.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { stringify } from 'yaml';
import { gatewaysConfig, type PairConfig, type PairNode } from '../native-bridge/contract.js';
import { hostKeyFile, loadOrCreateKeyPair } from '../electron/node/gateway/keys.js';
import { loadWallFile, parseYamlFile } from '../electron/node/layout-files.js';
import { freeLoopbackPort } from '../electron/node/pair/loopback-port.js';
import { writePairWallFile } from '../electron/node/pair/pair-wall-file.js';
import { parseHostArgs } from '../electron/node/runtime-options.js';
import { ensurePrivateDataDir } from '../electron/node/sqlite-files.js';

/** What the launcher decides for each node itself: giving them would break the pair it wires. */
const OWN_FLAGS = ['--node', '--port', '--listen', '--tls-cert', '--tls-key', '--host-name', '--restore-backup'];

const NODE_IDS = { primary: 'ioc-a', backup: 'ioc-b' } as const;

interface DemoNode {
  side: 'primary' | 'backup';
  id: string;
  dataDir: string;
  port: number;
  peerPort: number;
}

/** The gateways file both nodes use: the chosen one on ephemeral ports, so two nodes on one machine do not collide. */
function writePairGateways(gatewaysFile: string, outFile: string): void {
  const config = parseYamlFile(gatewaysFile, gatewaysConfig);
  const onePerNode = { ...config, bind: { updates: 'tcp://127.0.0.1:*', control: 'tcp://127.0.0.1:*' }, simulatedCameras: { ...config.simulatedCameras, port: 0 } };
  writeFileSync(outFile, `# Written by npm start -- --pair from ${gatewaysFile}: the same gateways on ephemeral ports.\n${stringify(gatewaysConfig.parse(onePerNode))}`);
}

/** Prefixes each line a node prints with its id, and calls `onLine` with it. */
function relay(child: ChildProcess, id: string, onLine: (line: string) => void): void {
  for (const [stream, out] of [
    [child.stdout, process.stdout],
    [child.stderr, process.stderr],
  ] as const) {
    if (!stream) continue;
    createInterface({ input: stream }).on('line', (line) => {
      out.write(`[${id}] ${line}\n`);
      onLine(line);
    });
  }
}

export async function runPairDemo(argv: string[]): Promise<void> {
  const given = argv.filter((a) => a !== '--pair');
  const own = given.find((a) => OWN_FLAGS.includes(a.split('=')[0]!));
  if (own) throw new Error(`${own.split('=')[0]} cannot be given with --pair: the launcher sets it for each node (use two \`npm start -- --node …\` for your own set-up, docs/failover.md)`);
  const options = parseHostArgs(given.filter((a) => a !== '--chromium' && a !== '--no-supervisor'));
  const wall = loadWallFile(options.wallFile);
  if (wall.pair) throw new Error(`${options.wallFile} already names a pair: --pair wires one from a standalone wall file (default layouts/walls/demo.yaml)`);
  const root = join(options.dataDir, 'pair');
  ensurePrivateDataDir(root);

  const nodes: DemoNode[] = [];
  for (const side of ['primary', 'backup'] as const) {
    const dataDir = join(root, NODE_IDS[side]);
    ensurePrivateDataDir(dataDir);
    nodes.push({ side, id: NODE_IDS[side], dataDir, port: await freeLoopbackPort(), peerPort: await freeLoopbackPort() });
  }
  const pairNode = (node: DemoNode): PairNode => ({
    id: node.id,
    address: `http://127.0.0.1:${node.port}`,
    peerLink: `tcp://127.0.0.1:${node.peerPort}`,
    // made on the first run, then the same on every run: only its public half goes into the wall file
    publicKey: loadOrCreateKeyPair(hostKeyFile(node.dataDir)).publicKey,
  });
  const pair: PairConfig = { primary: pairNode(nodes[0]!), backup: pairNode(nodes[1]!) };
  const wallFile = join(root, `${wall.id}-pair.yaml`);
  writePairWallFile(options.wallFile, pair, wallFile);
  const gatewaysFile = join(root, 'gateways.yaml');
  writePairGateways(options.gatewaysFile, gatewaysFile);

  const shared = ['--chromium', '--wall', wallFile, '--gateways', gatewaysFile, '--presets', options.presetsDir, '--scenarios', options.scenariosDir];
  if (options.basemapFile) shared.push('--basemap', options.basemapFile);
  for (const dir of options.importDirs ?? []) shared.push('--import-dir', dir);
  if (given.includes('--no-supervisor')) shared.push('--no-supervisor');

  console.log(`ioc-wall: --pair: wall "${wall.id}" on two nodes of this machine; the pair's wall file is ${wallFile}`);
  const children = new Map<string, ChildProcess>();
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await Promise.all(
      [...children.values()].map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      ),
    );
    process.exit(code);
  };

  const ready = new Set<string>();
  for (const node of nodes) {
    // the primary opens the wall windows: it drives the wall as soon as it hears the backup
    const windows = node.side === 'primary' ? options.windows : 'none';
    const args = [...process.execArgv, process.argv[1]!, ...shared, '--node', node.id, '--port', String(node.port), '--data-dir', node.dataDir, '--windows', windows];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    children.set(node.id, child);
    relay(child, node.id, (line) => {
      if (!line.includes('console:')) return;
      const runtime = join(node.dataDir, `runtime-${wall.id}.json`);
      const info = existsSync(runtime) ? (JSON.parse(readFileSync(runtime, 'utf8')) as { pid?: number; consoleUrl?: string }) : {};
      const role = node.side === 'primary' ? 'máy chủ chính / primary' : 'máy chủ dự phòng / backup';
      console.log(`ioc-wall: --pair: ${node.id} (${role}) is up, host pid ${info.pid ?? '?'}, console ${info.consoleUrl ?? '?'}`);
      ready.add(node.id);
      if (ready.size === nodes.length) {
        console.log(
          [
            'ioc-wall: --pair: both nodes are up; ioc-a drives the wall once it hears ioc-b. To try a failover:',
            '  - kill -9 the active host (its pid above): the first window or console that loses it asks ioc-b, which takes over 2–3 s later;',
            '    the supervisor starts the killed host again and it comes back as the standby;',
            '  - or, signed in as a technician, press "Chuyển sang máy dự phòng" in the console\'s pair panel, then "Khôi phục máy chính" on the other node.',
          ].join('\n'),
        );
      }
    });
    child.on('exit', (code, signal) => {
      if (stopping) return;
      console.error(`ioc-wall: --pair: node ${node.id} stopped (${signal ?? `exit code ${code}`}); stopping the other one`);
      void stopAll(code === 0 ? 0 : 1);
    });
  }
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));
}
