/** The Chromium host's entry (from launch/start.ts): runs it until SIGINT/SIGTERM, printing where its console is. */
import { startChromiumHost } from '../electron/node/chromium-host/host.js';
import { rendererDist } from '../electron/node/project-paths.js';
import { parseHostArgs, USAGE } from '../electron/node/runtime-options.js';
import { chromiumHostOptions } from './compose.js';

export async function runChromiumHost(argv: string[]): Promise<void> {
  let options;
  try {
    options = parseHostArgs(argv);
  } catch (error) {
    console.error(`ioc-wall: ${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  const host = await startChromiumHost(chromiumHostOptions(options, rendererDist));
  const info = host.runtime();
  const lines = [
    `ioc-wall: wall "${host.core.wall.id}" (${host.core.wall.rows}×${host.core.wall.columns}) is running on the Chromium host.`,
    `  console:  ${info.consoleUrl}`,
    `  windows:  ${options.windows === 'none' ? 'not opened (--windows none); open the URLs below on display PCs' : `${info.windows.length} Chromium ${options.windows} windows`}`,
    ...info.windows.filter((w) => w.windowId !== 'console').map((w) => `    ${w.windowId}: ${w.url}`),
    `  database: ${info.databaseFile}`,
  ];
  if (options.windows === 'headless') lines.push('  No display found (DISPLAY/WAYLAND_DISPLAY unset): the wall runs in headless Chromium. See it with: npm run snapshot');
  console.log(lines.join('\n'));
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await host.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

