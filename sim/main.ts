/**
 * `npm run sim -- --config sim.yaml [--incident flood] [--schedule [minutes]]`: runs the demo
 * province's gateways (DEMO DATA, sim/province.ts) against a wall host. See usage() below.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import * as zmq from 'zeromq';
import { z } from 'zod';
import type { CurveKeyPair } from './gateway.js';
import { DEMO_PROVINCE, demoGatewayDefinitions, incidentNames, provinceGatewayIds, startProvince, type IncidentName } from './province.js';

const USAGE = `Usage: npm run sim -- --config <sim.yaml> [options]

Runs the DEMO province "${DEMO_PROVINCE.name}" — ${provinceGatewayIds.length} simulated edge
gateways speaking docs/gateway-protocol.md (ZeroMQ + CURVE) to a wall host.

Options:
  --config <file>        YAML configuration (required), see below
  --incident <name>      trigger an incident at start (repeatable): ${incidentNames.join(', ')}
  --schedule [minutes]   run the incidents one after another, one every N minutes (default 6)
  --rate <x>             publishing rate multiplier (default 1, or the config's rateScale)
  --incident-speed <x>   incident script speed multiplier (2 = twice as fast)
  --cameras-port <n>     serve the cameras' DEMO footage as live HLS on this port (0 = any free
                         port); the cameras' URLs then point at it unless cameraBaseUrl is set
  --init-keys            create the gateway keys file if missing, print the public keys, exit
  --help                 this text

Configuration (YAML; relative paths are relative to the config file):
  endpoints:
    updates: tcp://127.0.0.1:5601      # the host's SUB socket (gateways' PUB connects)
    control: tcp://127.0.0.1:5602      # the host's ROUTER socket (gateways' DEALER connects)
  hostPublicKey: "<40-char Z85>"       # or hostPublicKeyFile: <JSON with "publicKey">
  gatewayKeysFile: sim-gateway-keys.json   # {"gw-id": {"publicKey","secretKey"}}; --init-keys creates it
  standby:                             # optional: more hosts, each with endpoints + hostPublicKey
    - endpoints: { updates: tcp://10.0.0.2:5601, control: tcp://10.0.0.2:5602 }
      hostPublicKey: "<40-char Z85>"
  rateScale: 1
  cameraBaseUrl: http://127.0.0.1:8090  # where the wall finds the cameras' HLS (default: the camera server)
  camerasPort: 8090                    # optional: serve the DEMO camera streams (= --cameras-port)
  camerasHost: 127.0.0.1               # optional: the camera server's interface (0.0.0.0 = all)
  seed: 1
  only: [gw-thuy-van, gw-pccc]         # optional subset of gateways

The host's ZAP allow-list must hold every gateway's public key (--init-keys prints them).
`;

const z85Key = z.string().regex(/^[0-9a-zA-Z.\-:+=^!/*?&<>()[\]{}@%$#]{40}$/, 'a 40-character Z85 key');
const endpointsSchema = z.strictObject({ updates: z.string().min(1), control: z.string().min(1) });
const configSchema = z.strictObject({
  endpoints: endpointsSchema,
  hostPublicKey: z85Key.optional(),
  hostPublicKeyFile: z.string().optional(),
  gatewayKeysFile: z.string().min(1),
  standby: z.array(z.strictObject({ endpoints: endpointsSchema, hostPublicKey: z85Key })).optional(),
  rateScale: z.number().positive().max(1000).optional(),
  incidentSpeed: z.number().positive().max(1000).optional(),
  cameraBaseUrl: z.string().optional(),
  camerasPort: z.int().min(0).max(65535).optional(),
  camerasHost: z.string().min(1).optional(),
  seed: z.int().optional(),
  only: z.array(z.enum(provinceGatewayIds)).optional(),
});
const keysFileSchema = z.record(z.string(), z.strictObject({ publicKey: z85Key, secretKey: z85Key }));

const stamp = (): string => new Date().toLocaleString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', hour12: false });
const say = (line: string): void => console.log(`${stamp()}  ${line}`);

function fail(message: string): never {
  console.error(`sim: ${message}`);
  process.exit(2);
}

function loadKeys(file: string, create: boolean): Record<string, CurveKeyPair> {
  if (!existsSync(file)) {
    if (!create) fail(`gateway keys file ${file} does not exist (run with --init-keys to create it)`);
    const keys = Object.fromEntries(
      provinceGatewayIds.map((id) => {
        const pair = zmq.curveKeyPair();
        return [id, { publicKey: pair.publicKey, secretKey: pair.secretKey }];
      }),
    );
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
    console.log(`sim: created ${file}`);
    return keys;
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    fail(`${file}: not JSON (${String(error)})`);
  }
  const parsed = keysFileSchema.safeParse(json);
  if (!parsed.success) fail(`${file}: ${parsed.error.issues[0]!.path.join('.')}: ${parsed.error.issues[0]!.message}`);
  return parsed.data;
}

async function main(): Promise<void> {
  let args: ReturnType<typeof parse>;
  function parse() {
    return parseArgs({
      allowPositionals: true,
      options: {
        config: { type: 'string' },
        incident: { type: 'string', multiple: true },
        schedule: { type: 'boolean' },
        rate: { type: 'string' },
        'incident-speed': { type: 'string' },
        'cameras-port': { type: 'string' },
        'init-keys': { type: 'boolean' },
        help: { type: 'boolean' },
      },
    });
  }
  try {
    args = parse();
  } catch (error) {
    console.error(`sim: ${(error as Error).message}\n`);
    console.error(USAGE);
    process.exit(2);
  }
  const { values, positionals } = args;
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (!values.config) {
    console.error('sim: --config is required\n');
    console.error(USAGE);
    process.exit(2);
  }
  // `--schedule 10`: parseArgs leaves the number as a positional.
  const scheduleMinutes = values.schedule ? Number(positionals[0] ?? 6) : null;
  if (scheduleMinutes !== null && !(scheduleMinutes > 0)) fail('--schedule takes a positive number of minutes');
  const incidents = (values.incident ?? []) as string[];
  for (const name of incidents) if (!(incidentNames as readonly string[]).includes(name)) fail(`unknown incident "${name}"; one of ${incidentNames.join(', ')}`);

  const configFile = resolve(values.config);
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(configFile, 'utf8'));
  } catch (error) {
    fail(`${configFile}: ${(error as Error).message}`);
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) fail(`${configFile}: ${parsed.error.issues[0]!.path.join('.') || '(file)'}: ${parsed.error.issues[0]!.message}`);
  const config = parsed.data;
  const base = dirname(configFile);
  const keysFile = resolve(base, config.gatewayKeysFile);
  const gatewayKeys = loadKeys(keysFile, Boolean(values['init-keys']));
  if (values['init-keys']) {
    // Printed as the `gateways:` list of a host gateways file (layouts/gateways/*.yaml), ready to paste.
    console.log('# Allow-list for the wall host (paste under "gateways:" in its gateways file, with simulate: false):');
    console.log('gateways:');
    for (const def of demoGatewayDefinitions()) {
      const key = gatewayKeys[def.id]?.publicKey;
      if (key) console.log(`  - { id: ${def.id}, name: '${def.name}', publicKey: '${key}' }`);
    }
    return;
  }
  let hostPublicKey = config.hostPublicKey;
  if (!hostPublicKey && config.hostPublicKeyFile) {
    const file = resolve(base, config.hostPublicKeyFile);
    try {
      hostPublicKey = z85Key.parse((JSON.parse(readFileSync(file, 'utf8')) as { publicKey?: unknown }).publicKey);
    } catch (error) {
      fail(`${file}: cannot read a "publicKey" (${(error as Error).message})`);
    }
  }
  if (!hostPublicKey) fail(`${configFile}: hostPublicKey or hostPublicKeyFile is required`);

  const rateScale = values.rate !== undefined ? Number(values.rate) : (config.rateScale ?? 1);
  if (!(rateScale > 0)) fail('--rate must be a positive number');
  const speed = values['incident-speed'] !== undefined ? Number(values['incident-speed']) : (config.incidentSpeed ?? 1);
  if (!(speed > 0)) fail('--incident-speed must be a positive number');

  const camerasPortText = values['cameras-port'];
  const camerasPort = camerasPortText !== undefined ? Number(camerasPortText) : config.camerasPort;
  if (camerasPort !== undefined && !(Number.isInteger(camerasPort) && camerasPort >= 0 && camerasPort <= 65535)) fail('--cameras-port must be a port number (0–65535)');

  const province = await startProvince({
    endpoints: config.endpoints,
    hostPublicKey,
    gatewayKeys,
    extraHosts: config.standby,
    rateScale,
    incidentTimeScale: 1 / speed,
    cameraBaseUrl: config.cameraBaseUrl,
    cameraServer: camerasPort !== undefined ? { port: camerasPort, host: config.camerasHost } : false,
    seed: config.seed,
    only: config.only,
    log: say,
  });
  say(`${DEMO_PROVINCE.name}: ${province.gateways.length} gateways → ${config.endpoints.updates} / ${config.endpoints.control} (DEMO DATA)`);
  for (const gw of province.gateways) say(`  ${gw.id} epoch ${gw.epoch}, ${gw.state.size} items`);
  if (province.cameraServer) say(`${province.cameraServer.cameras.length} DEMO cameras (synthetic footage) as live HLS at ${province.cameraServer.baseUrl}/cameras/{id}/index.m3u8`);

  for (const name of incidents) void province.trigger(name as IncidentName).then(() => say(`incident ${name} cleared`));
  if (scheduleMinutes !== null) {
    province.schedule(scheduleMinutes * 60_000);
    say(`incidents scheduled every ${scheduleMinutes} min: ${incidentNames.join(' → ')}`);
  }

  // Keep the process alive (the province's timers are unref'd) and stop cleanly on a signal.
  const keepAlive = setInterval(() => {}, 60_000);
  const shutdown = async (signal: string) => {
    say(`${signal}: stopping`);
    clearInterval(keepAlive);
    await province.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

await main();
