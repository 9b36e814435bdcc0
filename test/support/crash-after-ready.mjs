// Loaded into every process of a supervised host test with NODE_OPTIONS=--import: in the host
// (the one with an IPC channel to its supervisor) it throws one uncaught error right after the
// host reports ready, the first time only (the marker file remembers).
import { existsSync, writeFileSync } from 'node:fs';

const marker = process.env.IOC_WALL_TEST_CRASH_MARKER;
if (marker && process.send && !existsSync(marker)) {
  const send = process.send.bind(process);
  process.send = (message, ...rest) => {
    const sent = send(message, ...rest);
    if (message && message.type === 'ready') {
      writeFileSync(marker, '');
      setTimeout(() => {
        throw new Error('injected crash for the supervisor test');
      }, 100);
    }
    return sent;
  };
}
