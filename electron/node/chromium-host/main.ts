/** Entry point of the Chromium host alone (no Electron check): `node dist/host/main.js` or via tsx. */
import { runChromiumHost } from './run.js';

runChromiumHost(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`ioc-wall: ${(error as Error).message}`);
  process.exit(1);
});
