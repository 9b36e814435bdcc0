/**
 * Hostile layout, preset, scenario and indicator files: alias bombs, huge files, directories,
 * FIFOs, sockets and symlinks named *.yaml. Each is refused naming the file, the rest loads, and
 * the host keeps running (also when the file appears while it runs).
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { startCore } from '../../electron/node/core.js';
import { startIndicators } from '../../electron/node/indicators/indicator-service.js';
import { LayoutFileError, loadPresetDir, loadWallFile, MAX_LAYOUT_FILE_BYTES } from '../../electron/node/layout-files.js';
import { loadIndicatorDir, loadScenarioDir } from '../../electron/node/scenarios/scenario-files.js';
import { demoPresetsDir, demoWallFile, projectRoot, tempDir } from '../support/fixtures.js';
import { startFloodOnlyCore } from '../support/scenario-core.js';
import { until } from '../support/page-wait.js';

const scenariosDir = join(projectRoot, 'layouts', 'scenarios');

/** Billion laughs: nine levels of nine aliases, about 500 bytes expanding to 9^9 strings. */
function aliasBomb(): string {
  const lines = ['a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let level = 1; level <= 8; level++) lines.push(`a${level}: &a${level} [${Array(9).fill(`*a${level - 1}`).join(', ')}]`);
  return `${lines.join('\n')}\n`;
}

const goodPreset = 'name: good\ntitle: { vi: Tốt, en: Good }\ntiles: []\n';

function assertNamesFile(errors: readonly LayoutFileError[], file: string, reason: RegExp): void {
  const error = errors.find((e) => e.file === file);
  assert.ok(error, `an error for ${file} among: ${errors.map((e) => e.message).join(' | ')}`);
  assert.ok(error.message.startsWith(file), error.message);
  assert.match(error.message, reason);
}

/** A process that writes into the FIFO once someone opens it for reading: a loader that opens it would read a valid file. */
function fifoFeeder(fifo: string, text: string): void {
  const child = spawn('sh', ['-c', 'printf "%s" "$1" > "$2"', 'sh', text, fifo], { stdio: 'ignore' });
  after(() => {
    child.kill();
  });
}

async function listeningSocket(path: string): Promise<void> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(path, resolve));
  after(() => {
    server.close();
  });
}


describe('layout file limits', () => {
  it('skips an alias bomb, an oversized file, a directory, a FIFO, a socket and a symlink out of the folder, naming each file', async () => {
    const dir = tempDir();
    const outside = tempDir();
    writeFileSync(join(dir, 'good.yaml'), goodPreset);
    writeFileSync(join(dir, 'bomb.yaml'), aliasBomb());
    writeFileSync(join(dir, 'big.yaml'), `name: big\n#${'x'.repeat(MAX_LAYOUT_FILE_BYTES)}\n`);
    mkdirSync(join(dir, 'folder.yaml'));
    const fifo = join(dir, 'fifo.yaml');
    assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
    fifoFeeder(fifo, goodPreset.replaceAll('good', 'fifo'));
    await listeningSocket(join(dir, 'socket.yaml'));
    writeFileSync(join(outside, 'escape.yaml'), goodPreset.replaceAll('good', 'escape'));
    symlinkSync(join(outside, 'escape.yaml'), join(dir, 'escape.yaml'));
    // a link that stays in the folder is an ordinary way to share a file
    mkdirSync(join(dir, 'shared'));
    writeFileSync(join(dir, 'shared', 'linked.yaml'), goodPreset.replaceAll('good', 'linked'));
    symlinkSync(join('shared', 'linked.yaml'), join(dir, 'linked.yaml'));

    const { presets, errors } = loadPresetDir(dir, loadWallFile(demoWallFile));
    assert.deepEqual(presets.map((p) => p.name).sort(), ['good', 'linked']);
    assertNamesFile(errors, join(dir, 'bomb.yaml'), /aliases expand too far/);
    assertNamesFile(errors, join(dir, 'big.yaml'), new RegExp(`larger than ${MAX_LAYOUT_FILE_BYTES} bytes`));
    assertNamesFile(errors, join(dir, 'folder.yaml'), /not a regular file/);
    assertNamesFile(errors, fifo, /not a regular file/);
    assertNamesFile(errors, join(dir, 'socket.yaml'), /not a regular file/);
    assertNamesFile(errors, join(dir, 'escape.yaml'), /outside/);
    assert.equal(errors.length, 6, errors.map((e) => e.message).join('\n'));
  });

  it('names the file of an alias bomb among scenarios and indicators, and of a wall file', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'bomb.yaml'), aliasBomb());
    assertNamesFile(loadScenarioDir(dir).errors, join(dir, 'bomb.yaml'), /aliases expand too far/);
    assertNamesFile(loadIndicatorDir(dir).errors, join(dir, 'bomb.yaml'), /aliases expand too far/);
    assert.throws(
      () => loadWallFile(join(dir, 'bomb.yaml')),
      (e: unknown) => e instanceof LayoutFileError && e.message.startsWith(join(dir, 'bomb.yaml')),
    );
    assert.throws(() => loadWallFile(dir), (e: unknown) => e instanceof LayoutFileError && e.file === dir && /not a regular file/.test(e.message));
  });

  it('starts with an alias bomb and a directory among the presets and indicators, and says which files it skipped', async () => {
    const presetsDir = tempDir();
    copyFileSync(join(demoPresetsDir, 'overview.yaml'), join(presetsDir, 'overview.yaml'));
    writeFileSync(join(presetsDir, 'bomb.yaml'), aliasBomb());
    mkdirSync(join(presetsDir, 'x.yaml'));
    const core = await startCore({ wallFile: demoWallFile, presetsDir, dataDir: tempDir(), host: 'chromium' });
    try {
      const titles = core.alerts.list().map((a) => a.title);
      for (const name of ['bomb.yaml', 'x.yaml']) {
        assert.ok(titles.some((t) => t.vi.includes(join(presetsDir, name)) && t.en.includes(join(presetsDir, name))), `an alert naming ${name}`);
      }
      const indicatorsDir = tempDir();
      writeFileSync(join(indicatorsDir, 'bomb.yaml'), aliasBomb());
      mkdirSync(join(indicatorsDir, 'x.yaml'));
      const lines: string[] = [];
      const indicators = startIndicators({ dir: indicatorsDir, db: core.db, live: core.live, alerts: core.alerts, log: (line) => lines.push(line) });
      indicators.close();
      for (const name of ['bomb.yaml', 'x.yaml']) {
        assert.ok(core.alerts.list().some((a) => a.title.en.includes(join(indicatorsDir, name))), `an alert naming indicator file ${name}`);
      }
    } finally {
      await core.close();
    }
  });

  it('keeps running when an alias bomb, an oversized file and a directory appear in the scenarios folder', { timeout: 30_000 }, async () => {
    const { core, engine, close, dir } = await startFloodOnlyCore();
    try {
      writeFileSync(join(dir, 'bomb.yaml'), aliasBomb());
      writeFileSync(join(dir, 'big.yaml'), `#${'x'.repeat(MAX_LAYOUT_FILE_BYTES)}\n`);
      mkdirSync(join(dir, 'x.yaml'));
      const errors = await until(() => (engine.list().errors.length === 3 ? engine.list().errors : false), 'the reload after the files appeared');
      assert.deepEqual(errors.map((e) => e.file).sort(), ['big.yaml', 'bomb.yaml', 'x.yaml'].map((name) => join(dir, name)));
      assert.deepEqual(engine.list().scenarios.map((s) => s.name), ['flood']);
      assert.ok(core.alerts.list().some((a) => a.title.vi.includes(join(dir, 'bomb.yaml'))));
      // still serving: an edit after the attack is loaded
      writeFileSync(join(dir, 'flood.yaml'), readFileSync(join(scenariosDir, 'flood.yaml'), 'utf8').replace('vi: Cảnh báo, ứng phó ngập lụt', 'vi: Ngập lụt (sửa)'));
      await until(() => engine.list().scenarios[0]?.title.vi === 'Ngập lụt (sửa)', 'the edit after the attack');
    } finally {
      await close();
    }
  });
});
