/**
 * The layer rule bites: ESLint's own API lints one-line imports from virtual files inside the
 * project (nothing is written), so each refusal of eslint-rules/layers.js is seen through the real
 * config. The cases come from the layer table: every layer imports a file of every layer and one
 * package of every kind, and exactly the pairs the table refuses are reported.
 */
import assert from 'node:assert/strict';
import { posix } from 'node:path';
import { describe, it } from 'node:test';
import { ESLint } from 'eslint';
import { layerOf, layers, packageKinds, projectRoot, shown, type Layer } from '../../eslint-rules/layers.js';

const RULE = 'layers/imports';
const eslint = new ESLint({ cwd: projectRoot });

/** A file a pattern matches: 'sim/**' → sim/probe.ts, 'native-bridge/*' → native-bridge/probe.ts. */
const sampleOf = (pattern: string) => `${pattern.replace(/\/\*\*$|\/\*$/, '/probe')}.ts`;
const samples = layers.flatMap((layer) => layer.patterns.map((pattern) => ({ layer, file: sampleOf(pattern) })));

/** How `importer` names `target` (a .ts file) in an import: relative, with the .js suffix. */
function specifier(importer: string, target: string): string {
  const relative = posix.relative(posix.dirname(importer), target.replace(/\.ts$/, '.js'));
  return relative.startsWith('.') ? relative : `./${relative}`;
}

type Probe = { specifier: string; refusedAs: string | null };

/** Lints one virtual file importing every probe, one per line; returns each line's layer messages. */
async function lintImports(file: string, probes: Probe[]): Promise<Map<number, string[]>> {
  const code = probes.map((p) => `import '${p.specifier}';`).join('\n');
  const [result] = await eslint.lintText(code, { filePath: posix.join(projectRoot, file) });
  assert.ok(result, `no lint result for ${file}`);
  const byLine = new Map<number, string[]>();
  for (const message of result.messages) {
    assert.equal(message.ruleId, RULE, `${file}: unexpected ${message.ruleId ?? 'parse error'}: ${message.message}`);
    byLine.set(message.line, [...(byLine.get(message.line) ?? []), message.message]);
  }
  return byLine;
}

function assertProbes(file: string, probes: Probe[], byLine: Map<number, string[]>): void {
  probes.forEach((probe, index) => {
    const messages = byLine.get(index + 1) ?? [];
    const what = `${file}: import '${probe.specifier}'`;
    if (probe.refusedAs === null) assert.deepEqual(messages, [], `${what} should be allowed`);
    else {
      assert.equal(messages.length, 1, `${what} should be refused (${probe.refusedAs})`);
      assert.ok(messages[0]!.startsWith(probe.refusedAs), `${what}: "${messages[0]}" should start with "${probe.refusedAs}"`);
      assert.match(messages[0]!, /: \S.{10,}$/, `${what}: the message says why`);
    }
  });
}

const may = (from: Layer, to: Layer) => from === to || from.may === null || from.may.includes(to.id);

describe('lint: layer imports', () => {
  it('every pattern of the table classifies its own sample (no layer is shadowed by an earlier one)', () => {
    for (const { layer, file } of samples) assert.equal(layerOf(file)?.id, layer.id, file);
  });

  for (const { layer: from, file } of samples) {
    it(`${file}: imports of the layers and package kinds the table refuses are errors, the rest are not`, async () => {
      const probes: Probe[] = [
        ...samples.map(({ layer: to, file: target }) => ({
          specifier: specifier(file, target),
          refusedAs: may(from, to) ? null : `${from.id} may not import ${shown(to)}: `,
        })),
        ...Object.entries(packageKinds).flatMap(([kind, { label, samples: specifiers }]) =>
          specifiers.map((s) => ({ specifier: s, refusedAs: from.bans.includes(kind) ? `${from.id} may not import '${s}' (${label}): ` : null })),
        ),
        { specifier: 'zod', refusedAs: null },
        { specifier: specifier(file, 'layouts/walls/demo-2x2.yaml'), refusedAs: null },
      ];
      assertProbes(file, probes, await lintImports(file, probes));
    });
  }

  it('says which layer rule and why, in the words of the layer table', async () => {
    // importer → { specifier → the refusal's start, or null where it is allowed }
    const cases: Record<string, Record<string, string | null>> = {
      'electron/node/field/probe.ts': { '../../../sim/province.js': 'electron/node may not import sim/: the simulator is plugged in by launch/' },
      'electron/node/probe.ts': { electron: "electron/node may not import 'electron' (Electron's API): only electron/electron-main/" },
      'renderer/probe.ts': {
        '../electron/common/ports.js': 'renderer may not import electron/common/: the renderer runs in a browser window',
        'node:fs': "renderer may not import 'node:fs' (a Node built-in): the renderer runs in a browser window",
        '../native-bridge/transports/websocket-server.js': 'renderer may not import native-bridge/transports/websocket-server: ',
      },
      'native-bridge/tile-props/probe.ts': { react: "native-bridge may not import 'react' (a DOM/UI library): pure modules" },
      'native-bridge/probe.ts': { '../renderer/tiles/registry.js': 'native-bridge may not import renderer/: pure modules' },
      'electron/electron-main/probe.ts': { electron: null },
      'native-bridge/preload/probe.ts': { electron: null },
      'sim/probe.ts': { '../electron/common/ports.js': null },
      'launch/probe.ts': { '../sim/province.js': null, '../test/support/fixtures.js': 'launch may not import test/: tests import the code under test' },
      'test/probe.ts': { '../sim/province.js': null },
      'probe.config.ts': { './sim/province.js': null },
    };
    for (const [file, imports] of Object.entries(cases)) {
      const probes = Object.entries(imports).map(([spec, refusedAs]) => ({ specifier: spec, refusedAs }));
      assertProbes(file, probes, await lintImports(file, probes));
    }
  });

  it('checks every form of import: type-only, re-exports, dynamic import(), import types and require', async () => {
    const file = 'electron/node/probe.ts';
    const code = [
      "import type { Province } from '../../sim/province.js';",
      "export * from '../../sim/province.js';",
      "export { startProvince } from '../../sim/province.js';",
      "export const later = () => import('../../sim/province.js');",
      "export type P = import('../../sim/province.js').Province;",
      "import sim = require('../../sim/province.js');",
      "import 'ws/lib/websocket.js';",
      "import '../common/ports.js?raw';",
    ].join('\n');
    const [result] = await eslint.lintText(code, { filePath: posix.join(projectRoot, file) });
    const refused = result!.messages.filter((m) => m.ruleId === RULE).map((m) => m.line);
    assert.deepEqual(refused, [1, 2, 3, 4, 5, 6]);
  });
});
