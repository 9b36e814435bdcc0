/**
 * Starts a worker thread from a module beside the caller: `<name>.ts` when running from source
 * under tsx, `<name>.js` beside the bundle otherwise (the build emits it there).
 *
 * Why not `new Worker(tsUrl, { execArgv: ['--import', 'tsx'] })`: with tsx 4.23 on Node 20 the
 * loader registers only on the main thread. Instead the worker evaluates a two-line bootstrap that
 * imports the entry through tsx's API; the worker's own relative imports then resolve as .ts too.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

/** `callerUrl`: the caller's import.meta.url; `name`: the worker module's name without extension. */
export function startSiblingWorker(callerUrl: string, name: string, workerData: unknown, what: string): Worker {
  if (/\.[cm]?ts$/.test(new URL(callerUrl).pathname)) {
    const entry = new URL(`./${name}.ts`, callerUrl).href;
    const tsxApi = import.meta.resolve('tsx/esm/api');
    const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => tsx.tsImport(${JSON.stringify(entry)}, ${JSON.stringify(callerUrl)}));`;
    return new Worker(bootstrap, { eval: true, workerData, execArgv: [] });
  }
  const entry = new URL(`./${name}.js`, callerUrl);
  if (!existsSync(fileURLToPath(entry))) {
    throw new Error(`${what}: worker entry ${fileURLToPath(entry)} is missing; the build must emit ${name}.ts next to ${fileURLToPath(callerUrl)}`);
  }
  return new Worker(entry, { workerData });
}
