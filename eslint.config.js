/**
 * Lint = typescript-eslint's recommended rules + the layering of DESIGN.md §2 as import rules, so
 * a file's path says where it may run:
 *   electron/electron-main/**, native-bridge/preload/**   the only code that imports 'electron'
 *   renderer/**                                           no Node built-ins, no Node-only packages,
 *                                                         no host code (../electron/…)
 *   pure modules (electron/common, contract, wall-geometry, tile-props)
 *                                                         no Node, no Electron, no DOM libraries
 * In flat config the last block matching a file sets a rule outright (options are not merged), so
 * each block lists every restriction that applies to its files.
 */
import { builtinModules } from 'node:module';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

const TS = ['**/*.ts', '**/*.tsx'];

const escapeRegex = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const nodeBuiltins = [...new Set(builtinModules.filter((m) => !m.startsWith('_')).flatMap((m) => (m.startsWith('node:') ? [m] : [m, `node:${m}`])))];

/** Each restriction: exact module names (paths) and/or regular expressions (patterns). */
const restrictions = {
  electron: {
    paths: [{ name: 'electron', message: "Only electron/electron-main/ and native-bridge/preload/ import 'electron' (DESIGN.md §2)." }],
    patterns: [{ regex: '^electron/', message: "Only electron/electron-main/ and native-bridge/preload/ import 'electron' (DESIGN.md §2)." }],
  },
  nodeBuiltins: {
    paths: nodeBuiltins.map((name) => ({ name, message: 'This code also runs in a browser window: no Node built-ins here (DESIGN.md §2).' })),
    // node:-only modules (node:test, node:sqlite, …) and future ones; the listed ones are reported once, above.
    patterns: [{ regex: `^node:(?!(?:${nodeBuiltins.map(escapeRegex).join('|')})$)`, message: 'This code also runs in a browser window: no Node built-ins here (DESIGN.md §2).' }],
  },
  nodeOnlyPackages: {
    paths: ['ws', 'better-sqlite3', 'zeromq', 'pngjs'].map((name) => ({ name, message: `${name} runs in Node only: keep it in electron/node/.` })),
    patterns: [],
  },
  hostCode: {
    paths: [],
    patterns: [
      {
        regex: '^(\\.\\./)+electron(/|$)',
        message: 'The renderer talks to the host only through native-bridge (the contract and a transport), never by importing host code.',
      },
    ],
  },
  hostServices: {
    paths: [],
    patterns: [
      {
        regex: '(^|/)(electron-main|node|chromium-host|preload)(/|$)|/transports/websocket-server(\\.js)?$',
        message: 'Pure modules import only other pure modules (electron/common, the contract, wall geometry, tile schemas).',
      },
    ],
  },
  domLibraries: {
    paths: [],
    patterns: [
      {
        regex: '^(react|react-dom|hls\\.js|@deck\\.gl/.*|@luma\\.gl/.*|maplibre-gl)(/.*)?$',
        message: 'Pure modules run in Node and in the browser: no DOM or UI libraries (React, hls.js, deck.gl).',
      },
    ],
  },
};

function restrict(...kinds) {
  return {
    'no-restricted-imports': [
      'error',
      {
        paths: kinds.flatMap((k) => restrictions[k].paths),
        patterns: kinds.flatMap((k) => restrictions[k].patterns),
      },
    ],
  };
}

const PURE = [
  'electron/common/**/*.{ts,tsx}',
  'native-bridge/contract.ts',
  'native-bridge/wall-geometry.ts',
  'native-bridge/gateway-protocol.ts',
  'native-bridge/gis-datasets.ts',
  'native-bridge/spatial-query.ts',
  'native-bridge/scenario-files.ts',
  'native-bridge/trigger-rules.ts',
  'native-bridge/reading-state.ts',
  'native-bridge/tile-props/**/*.ts',
];

export default defineConfig([
  // resources/demo-cameras holds MPEG-TS video segments (*.ts), not TypeScript.
  globalIgnores(['dist/', 'node_modules/', '.cache/', 'release/', '.data/', 'snapshots/', 'resources/demo-cameras/']),

  {
    files: TS,
    extends: [tseslint.configs.recommended],
    rules: {
      // `_`-prefixed names are deliberately unused (callback positions, destructuring).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
    },
  },

  // Layering. Default for every TS file: no 'electron'.
  { files: TS, rules: restrict('electron') },
  // The Electron shell: anything.
  { files: ['electron/electron-main/**/*.{ts,tsx}'], rules: { 'no-restricted-imports': 'off' } },
  // The sandboxed preload: 'electron' yes, Node no (a sandboxed preload cannot load it).
  { files: ['native-bridge/preload/**/*.{ts,tsx}'], rules: restrict('nodeBuiltins', 'nodeOnlyPackages') },
  // Renderer: browser only, and the host only through native-bridge.
  { files: ['renderer/**/*.{ts,tsx}'], rules: restrict('electron', 'nodeBuiltins', 'nodeOnlyPackages', 'hostCode') },
  // Pure modules: shared by host, renderer and tests.
  { files: PURE, rules: restrict('electron', 'nodeBuiltins', 'nodeOnlyPackages', 'hostCode', 'hostServices', 'domLibraries') },
]);
