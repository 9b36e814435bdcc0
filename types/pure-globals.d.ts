/**
 * The globals that both runtimes of a pure module give it, Node (>= 20) and a browser window, typed
 * for tsconfig.pure.json, which has neither lib DOM nor @types/node. A pure module (electron/common,
 * native-bridge's top level and tile-props) may use these and nothing else of either runtime; the
 * main tsconfig.json does not include this file (lib DOM and @types/node declare them there).
 */

interface Console {
  debug(...data: unknown[]): void;
  info(...data: unknown[]): void;
  log(...data: unknown[]): void;
  warn(...data: unknown[]): void;
  error(...data: unknown[]): void;
}
declare const console: Console;

/** A timer as setTimeout returns it: an object in Node, a number in a browser; only for clearTimeout. */
interface TimerHandle {
  readonly __timerHandle: 'TimerHandle';
}
declare function setTimeout(callback: () => void, ms?: number): TimerHandle;
declare function clearTimeout(timer: TimerHandle | undefined): void;

declare function structuredClone<T>(value: T): T;

declare class URL {
  constructor(url: string, base?: string | URL);
  readonly href: string;
  readonly origin: string;
  readonly protocol: string;
  readonly username: string;
  readonly password: string;
  readonly host: string;
  readonly hostname: string;
  readonly port: string;
  readonly pathname: string;
  readonly search: string;
  readonly hash: string;
  toString(): string;
}

declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  decode(input?: ArrayBufferView | ArrayBuffer): string;
}
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
