/**
 * A TCP port that was free on 127.0.0.1 a moment ago. Only for the pair tests: a pair's wall file
 * names both nodes' window and peer-link ports before either node starts, so they cannot listen on
 * port 0 and report back. Everything else listens on 0 and reads the bound port.
 */
export { freeLoopbackPort as reservedPort } from '../../electron/node/pair/loopback-port.js';
