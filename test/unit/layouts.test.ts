import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gatewaysConfig } from '../../native-bridge/contract.js';
import { LayoutFileError, loadPresetDir, loadWallFile, parseYamlFile } from '../../electron/node/layout-files.js';
import { demoPresetsDir, demoWallFile, projectRoot, tempDir } from '../support/fixtures.js';

describe('layout files', () => {
  it('every wall, preset and gateway file in layouts/ validates', () => {
    for (const name of readdirSync(join(projectRoot, 'layouts', 'walls'))) {
      const wall = loadWallFile(join(projectRoot, 'layouts', 'walls', name));
      const { presets, errors } = loadPresetDir(demoPresetsDir, wall);
      assert.deepEqual(errors.map((e) => e.message), []);
      assert.equal(presets.length, readdirSync(demoPresetsDir).filter((f) => f.endsWith('.yaml')).length);
    }
    for (const name of readdirSync(join(projectRoot, 'layouts', 'gateways'))) parseYamlFile(join(projectRoot, 'layouts', 'gateways', name), gatewaysConfig);
  });

  it('a gateways file may point the simulated cameras at another server, by an http(s) URL only', () => {
    const bind = { updates: 'tcp://127.0.0.1:*', control: 'tcp://127.0.0.1:*' };
    const parsed = gatewaysConfig.parse({ bind, simulate: true, simulatedCameras: { baseUrl: 'http://127.0.0.1:41234' } });
    assert.deepEqual(parsed.simulatedCameras, { serve: false, port: 0, baseUrl: 'http://127.0.0.1:41234' });
    for (const baseUrl of ['file:///etc/passwd', 'javascript:alert(1)', 'not a url', `http://h/${'x'.repeat(2000)}`]) {
      assert.equal(gatewaysConfig.safeParse({ bind, simulatedCameras: { baseUrl } }).success, false, baseUrl.slice(0, 40));
    }
    for (const name of ['gateways-sim.yaml', 'gateways-none.yaml']) parseYamlFile(join(projectRoot, 'test', 'support', name), gatewaysConfig);
  });

  it('names the file, line and field of a broken preset, and skips only that file', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'good.yaml'), 'name: good\ntitle: { vi: Tốt, en: Good }\ntiles: []\n');
    writeFileSync(
      join(dir, 'bad.yaml'),
      ['name: bad', 'title: { vi: Hỏng, en: Broken }', 'tiles:', '  - id: n1', '    kind: note', '    rect: { x: 0, y: 0, w: 0, h: 2 }', '    props: { markdown: hi }', ''].join('\n'),
    );
    const { presets, errors } = loadPresetDir(dir, loadWallFile(demoWallFile));
    assert.deepEqual(presets.map((p) => p.name), ['good']);
    assert.equal(errors.length, 1);
    const [error] = errors as [LayoutFileError];
    assert.equal(error.file, join(dir, 'bad.yaml'));
    assert.equal(error.line, 6);
    assert.equal(error.field, 'tiles[0].rect.w');
  });

  it('reports YAML syntax errors with their line', () => {
    const dir = tempDir();
    const file = join(dir, 'wall.yaml');
    writeFileSync(file, 'id: w\nrows: [1, 2\n');
    assert.throws(() => loadWallFile(file), (e: unknown) => e instanceof LayoutFileError && e.line !== null && e.message.startsWith(file));
  });
});
