/**
 * The layering of docs/architecture.md as one ESLint rule, `layers/imports`: a file's layer comes from its
 * path, an import's target from where the import points, and the table below says which layers
 * and which kinds of package each layer may import.
 *
 * Targets:
 *   relative ('./', '../') and absolute specifiers  resolved against the importing file, then
 *                                                   classified by the same path table (the .js
 *                                                   suffix of a .ts file does not matter: layers
 *                                                   are folders, and the extension is dropped)
 *   'node:…' and Node's built-in module names        the 'node-builtin' package kind
 *   any other bare specifier                         by package name ('@scope/name' or 'name'),
 *                                                   looked up in `packageKinds`
 * A target outside every layer (layouts/, resources/, a root config file) and a package of no
 * listed kind (zod, immer, …) are allowed everywhere.
 *
 * Why a local rule and not a plugin: eslint-plugin-boundaries 7 and eslint-plugin-import-x's
 * no-restricted-paths both classify a local import by the file a resolver finds. Here that needs a
 * second package (eslint-import-resolver-typescript) to map './x.js' to x.ts, an import whose
 * file does not exist (yet: launch/ is being written) is silently allowed, and import-x covers
 * neither Node built-ins nor packages by name. dependency-cruiser is no ESLint rule, so it would
 * be a second lint command. The layer of a path is a prefix match, so this file stays small and
 * needs no dependency.
 */
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root: the folder above eslint-rules/. */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const builtins = new Set(builtinModules);

/** Kinds of package a layer may be kept from. `names`: package names, or '@scope/*' for a scope. */
export const packageKinds = {
  'node-builtin': { label: 'a Node built-in', names: [], samples: ['node:fs', 'fs', 'node:test'] },
  'node-only': { label: 'a Node-only package', names: ['ws', 'better-sqlite3-multiple-ciphers', 'zeromq', 'pngjs'], samples: ['ws', 'better-sqlite3-multiple-ciphers'] },
  electron: {
    label: "Electron's API",
    names: ['electron'],
    samples: ['electron'],
    why: "only electron/electron-main/ (and the sandboxed preload) import 'electron': the rest of the host also runs under plain Node, in the Chromium host",
  },
  'dom-ui': {
    label: 'a DOM/UI library',
    names: ['react', 'react-dom', 'react-i18next', 'react-markdown', 'hls.js', 'uplot', 'maplibre-gl', '@deck.gl/*', '@luma.gl/*'],
    samples: ['react', '@deck.gl/core', 'hls.js'],
  },
};

const PURE = ['electron/common', 'native-bridge'];
const BRIDGE = ['native-bridge', 'native-bridge/transports', 'native-bridge/transports/websocket-server', 'native-bridge/preload'];
const NO_NODE = ['node-builtin', 'node-only'];

/**
 * The layers, most specific first (a path is in the first layer one of whose patterns it matches).
 * Patterns: 'dir/**' = anything under dir, 'dir/*' = a file directly in dir, else one file (no
 * extension). `may`: the layers it may import besides itself (null = any); `bans`: package kinds
 * it may not import; `why`: why this layer is restricted (reported for all its refusals);
 * `keepOut`: why others may not import this layer (reported where the importer has no `why`).
 */
export const layers = [
  {
    id: 'electron/common',
    patterns: ['electron/common/**'],
    may: PURE,
    bans: [...NO_NODE, 'electron', 'dom-ui'],
    why: 'pure modules run in Node and in the browser, so they import only other pure modules (electron/common, native-bridge schemas and tile-props)',
  },
  {
    id: 'native-bridge',
    patterns: ['native-bridge/*', 'native-bridge/tile-props/**'],
    may: PURE,
    bans: [...NO_NODE, 'electron', 'dom-ui'],
    why: 'pure modules run in Node and in the browser, so they import only other pure modules (electron/common, native-bridge schemas and tile-props)',
  },
  {
    id: 'native-bridge/transports/websocket-server',
    patterns: ['native-bridge/transports/websocket-server'],
    may: [...PURE, 'native-bridge/transports'],
    bans: ['electron'],
    keepOut: 'the WebSocket server is the Node end of a transport, for the host only',
  },
  {
    id: 'native-bridge/gateway-auth',
    patterns: ['native-bridge/gateway-auth/**'],
    may: PURE,
    bans: ['electron', 'dom-ui'],
    why: 'the gateway message MAC is Node code shared by the host and the simulated gateways: it imports only pure modules',
    keepOut: 'the gateway message MAC is Node code, for the host and the simulated gateways only',
  },
  {
    id: 'native-bridge/transports',
    patterns: ['native-bridge/transports/**'],
    may: PURE,
    bans: [...NO_NODE, 'electron'],
    why: 'the transports other than websocket-server run in the browser and import only pure modules',
  },
  {
    id: 'native-bridge/preload',
    patterns: ['native-bridge/preload/**'],
    may: [...PURE, 'native-bridge/transports'],
    bans: NO_NODE,
    why: "a sandboxed preload cannot load Node; it only exposes the bridge ('electron', the contract, transport types)",
    keepOut: "the preload is bundled for the sandboxed window and imports 'electron'",
  },
  {
    id: 'renderer',
    patterns: ['renderer/**'],
    may: ['native-bridge', 'native-bridge/transports'],
    bans: [...NO_NODE, 'electron'],
    why: 'the renderer runs in a browser window and reaches the host only through native-bridge (the contract and a transport)',
    keepOut: 'the renderer is the browser bundle: hosts and tools reach it only through native-bridge',
  },
  {
    id: 'electron/node',
    patterns: ['electron/node/**'],
    may: [...PURE, 'native-bridge/transports', 'native-bridge/transports/websocket-server', 'native-bridge/gateway-auth'],
    bans: ['electron'],
    keepOut: 'electron/node is the host core: the simulator reaches it over the gateway protocol, other sides over native-bridge',
  },
  {
    id: 'electron/electron-main',
    patterns: ['electron/electron-main/**'],
    may: [...PURE, 'native-bridge/transports', 'native-bridge/transports/websocket-server', 'native-bridge/preload', 'electron/node'],
    bans: [],
    keepOut: 'the Electron shell is one of two hosts: the code it runs must also run under plain Node, in the Chromium host',
  },
  {
    id: 'launch',
    patterns: ['launch/**'],
    may: [...BRIDGE, 'electron/common', 'electron/node', 'electron/electron-main', 'sim'],
    bans: ['electron'],
    keepOut: 'launch/ starts the hosts and plugs the simulator in: nothing imports it back',
  },
  {
    id: 'sim',
    patterns: ['sim/**'],
    may: [...BRIDGE, 'native-bridge/gateway-auth', 'electron/common'],
    bans: ['electron'],
    keepOut: 'the simulator is plugged in by launch/',
  },
  { id: 'test', patterns: ['test/**'], may: null, bans: [], keepOut: 'tests import the code under test, never the other way round' },
  { id: 'bench', patterns: ['bench/**'], may: null, bans: [], keepOut: 'benchmarks import the code they measure, never the other way round' },
  { id: 'scripts', patterns: ['scripts/**'], may: null, bans: [], keepOut: 'scripts/ are build and release tools, not app code' },
];

const byId = new Map(layers.map((layer) => [layer.id, layer]));
for (const layer of layers) {
  for (const id of layer.may ?? []) if (!byId.has(id)) throw new Error(`eslint-rules/layers.js: ${layer.id} may import unknown layer ${id}`);
  for (const kind of layer.bans) if (!packageKinds[kind]) throw new Error(`eslint-rules/layers.js: ${layer.id} bans unknown package kind ${kind}`);
}

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const patternRegex = (pattern) =>
  new RegExp(`^${pattern.endsWith('/**') ? `${escape(pattern.slice(0, -3))}/.+` : pattern.endsWith('/*') ? `${escape(pattern.slice(0, -2))}/[^/]+` : escape(pattern)}$`);
const matchers = layers.flatMap((layer) => layer.patterns.map((pattern) => ({ layer, regex: patternRegex(pattern) })));

/** The layer of a file (absolute, or relative to the project root), or null outside every layer. */
export function layerOf(file) {
  const relative = path.relative(projectRoot, path.resolve(projectRoot, file)).split(path.sep).join('/');
  if (relative.startsWith('../') || path.isAbsolute(relative)) return null;
  const bare = relative.replace(/\.(d\.)?[cm]?[jt]sx?$/, '');
  return matchers.find(({ regex }) => regex.test(bare))?.layer ?? null;
}

/** What an import specifier in `importer` points at: { layer } or { packageName, kind } (either may be null). */
export function targetOf(specifier, importer) {
  const spec = specifier.replace(/[?#].*$/, '');
  if (spec.startsWith('.') || path.isAbsolute(spec)) return { layer: layerOf(path.resolve(path.dirname(importer), spec)) };
  const packageName = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
  if (spec.startsWith('node:') || builtins.has(packageName)) return { packageName, kind: 'node-builtin' };
  const kind = Object.keys(packageKinds).find((k) =>
    packageKinds[k].names.some((name) => (name.endsWith('/*') ? packageName.startsWith(name.slice(0, -1)) : packageName === name)),
  );
  return { packageName, kind: kind ?? null };
}

/** Why `importer` may not import `specifier`, or null when it may. */
export function refusal(importer, specifier) {
  const from = layerOf(importer);
  if (!from) return null;
  const target = targetOf(specifier, importer);
  if (target.kind !== undefined) {
    if (!target.kind || !from.bans.includes(target.kind)) return null;
    const kind = packageKinds[target.kind];
    return `${from.id} may not import '${specifier}' (${kind.label}): ${from.why ?? kind.why}`;
  }
  const to = target.layer;
  if (!to || to === from || from.may === null || from.may.includes(to.id)) return null;
  return `${from.id} may not import ${shown(to)}: ${from.why ?? to.keepOut}`;
}

/** A layer as a refusal names it: 'sim/' for a folder, 'native-bridge/transports/websocket-server' for one file. */
export function shown(layer) {
  return layer.patterns.some((p) => p.endsWith('/**')) ? `${layer.id}/` : layer.id;
}

/** The source literal of an import-like node, if it is a plain string. */
function sourceText(node) {
  if (!node) return null;
  if (node.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node.type === 'TemplateLiteral' && node.expressions.length === 0) return node.quasis[0].value.cooked;
  if (node.type === 'TSLiteralType') return sourceText(node.literal);
  return null;
}

const importsRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Imports follow the layering of docs/architecture.md (the layer of a file is its folder)' },
    schema: [],
    messages: { layer: '{{why}}' },
  },
  create(context) {
    const importer = context.filename;
    if (!layerOf(importer)) return {};
    const check = (node) => {
      const specifier = sourceText(node);
      if (specifier === null) return;
      const why = refusal(importer, specifier);
      if (why) context.report({ node, messageId: 'layer', data: { why } });
    };
    return {
      ImportDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source),
      TSImportType: (node) => check(node.source ?? node.argument),
      TSExternalModuleReference: (node) => check(node.expression),
      'CallExpression[callee.name="require"]': (node) => check(node.arguments[0]),
    };
  },
};

export default { meta: { name: 'layers' }, rules: { imports: importsRule } };
