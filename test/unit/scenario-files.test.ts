import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadPresetDir, loadWallFile, type LayoutFileError } from '../../electron/node/layout-files.js';
import { loadIndicatorDir, loadScenarioDir, reloadScenarioDir } from '../../electron/node/scenarios/scenario-files.js';
import { indicatorStatus, type Indicator, type Scenario, type ScenarioReferences } from '../../native-bridge/scenario-files.js';
import { demoCommandTargets } from '../../sim/province.js';
import { demoPresetsDir, demoWallFile, projectRoot, tempDir } from '../support/fixtures.js';

const scenariosDir = join(projectRoot, 'layouts', 'scenarios');
const indicatorsDir = join(projectRoot, 'layouts', 'indicators');
const yamlCount = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.yaml')).length;

function demoReferences(): ScenarioReferences {
  const wall = loadWallFile(demoWallFile);
  const { presets, errors } = loadPresetDir(demoPresetsDir, wall);
  assert.deepEqual(errors, []);
  const { indicators } = loadIndicatorDir(indicatorsDir);
  return { wall, presets, indicatorIds: new Set(indicators.map((i) => i.id)) };
}

/** A valid scenario file, one line per entry, so a test can break line n and expect line n in the error. */
const minimalScenario = (name: string) => [
  `name: ${name}`,
  'title: { vi: Kịch bản thử, en: Test scenario }',
  'level: ad-hoc',
  'category: flood',
  'triggers:',
  '  - type: manual',
  'activation: suggest',
  'layout: { preset: overview }',
  'procedure:',
  '  - id: first',
  '    title: { vi: Bước một, en: Step one }',
  '    role: duty-operator',
  'onClear: revert',
];

function writeScenario(dir: string, name: string, lines: string[]): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

function onlyError(errors: LayoutFileError[]): LayoutFileError {
  assert.equal(errors.length, 1, errors.map((e) => e.message).join('\n'));
  return errors[0]!;
}

describe('built-in scenario and indicator files', () => {
  it('every indicator file validates', () => {
    const { indicators, errors } = loadIndicatorDir(indicatorsDir);
    assert.deepEqual(errors.map((e) => e.message), []);
    assert.ok(indicators.length >= 5);
    for (const def of indicators) assert.match(def.title.vi, /[àáảãạăâđèéêìíòóôơùúưỳýạ-ỹ]/i, `${def.id}: a Vietnamese title has diacritics`);
  });

  it('every scenario validates, its preset exists, its inline layout fits the demo wall and its indicators exist', () => {
    const { scenarios, errors } = loadScenarioDir(scenariosDir, demoReferences());
    assert.deepEqual(errors.map((e) => e.message), []);
    assert.equal(scenarios.length, yamlCount(scenariosDir));
    const names = scenarios.map((s) => s.name);
    for (const name of ['flood', 'fire-rescue', 'traffic', 'pollution-industrial-park', 'iuu-fishing', 'event-festival', 'epidemic', 'smart-lighting-faults', 'monday-briefing']) {
      assert.ok(names.includes(name), `layouts/scenarios/${name}.yaml`);
    }
  });

  it('step commands name a gateway, type and target the demo province accepts; areas exist in the demo communes', () => {
    const targets = new Set(demoCommandTargets().map((t) => `${t.gateway} ${t.type} ${t.target}`));
    const geojson = JSON.parse(readFileSync(join(projectRoot, 'resources', 'gis', 'demo-communes.geojson'), 'utf8')) as { features: { properties: { id: string } }[] };
    const areaIds = new Set(geojson.features.map((f) => f.properties.id));
    const { scenarios } = loadScenarioDir(scenariosDir);
    for (const scenario of scenarios) {
      for (const step of scenario.procedure) {
        if (step.command) assert.ok(targets.has(`${step.command.gateway} ${step.command.type} ${step.command.target}`), `${scenario.name}/${step.id}: ${JSON.stringify(step.command)}`);
      }
      const focus = scenario.map?.focus;
      if (typeof focus === 'object') assert.ok(areaIds.has(focus.area), `${scenario.name}: map.focus.area ${focus.area}`);
      for (const { id, query } of scenario.panels.queries) {
        if (query.shape.type === 'area') assert.ok(areaIds.has(query.shape.areaId), `${scenario.name}/${id}: ${query.shape.areaId}`);
      }
    }
  });

  it('the demo scenarios carry what the demo runs: 9 cameras in a 3×3 grid for floods, a confirmed resident warning, a schedule for the briefing', () => {
    const byName = new Map(loadScenarioDir(scenariosDir).scenarios.map((s) => [s.name, s]));
    const flood = byName.get('flood')!;
    assert.deepEqual(flood.cameras, { tileId: 'flood-cameras', nearest: 9, withinKm: 5 });
    const warning = flood.procedure.find((s) => s.command?.type === 'resident-warning');
    assert.equal(warning?.needsConfirmation, true);
    assert.ok(byName.get('fire-rescue')!.procedure.some((s) => s.command?.type === 'siren'));
    assert.ok(byName.get('traffic')!.procedure.some((s) => s.command?.type === 'traffic-signal-plan'));
    assert.deepEqual(byName.get('traffic')!.triggers[0], { type: 'threshold', sensors: { kinds: ['traffic'] }, level: { below: 15 }, forSeconds: 30, minCount: 2 });
    assert.ok(byName.get('pollution-industrial-park')!.procedure.some((s) => s.automatic && s.records === 'violation-log'));
    assert.deepEqual(
      byName.get('iuu-fishing')!.triggers.map((t) => (t.type === 'geofence' ? `${t.type}:${t.on}` : t.type)),
      ['signal-lost', 'cluster', 'geofence:leave', 'geofence:leave'],
    );
    assert.deepEqual(byName.get('monday-briefing')!.triggers, [{ type: 'schedule', cron: '0 8 * * 1', timezone: 'Asia/Ho_Chi_Minh' }]);
  });
});

describe('broken scenario files', () => {
  const broken = (lines: string[], references?: ScenarioReferences) => {
    const dir = tempDir();
    writeScenario(dir, 'good', minimalScenario('good'));
    const file = writeScenario(dir, 'bad', lines);
    const { scenarios, errors } = loadScenarioDir(dir, references);
    assert.deepEqual(scenarios.map((s) => s.name), ['good'], 'the broken file is skipped, the others load');
    const error = onlyError(errors);
    assert.equal(error.file, file);
    assert.ok(error.message.startsWith(`${file}:${error.line}: `), error.message);
    return error;
  };

  it('a YAML syntax error names the file and line', () => {
    const lines = minimalScenario('bad');
    lines[5] = '  - [type: manual';
    const error = broken(lines);
    assert.ok(error.line !== null && error.line >= 6, `line ${error.line}`);
    assert.equal(error.field, null);
  });

  it('an unknown field is named with its line', () => {
    const lines = minimalScenario('bad');
    lines.splice(12, 0, '    sirenVolume: 11');
    const error = broken(lines);
    assert.equal(error.line, 10);
    assert.equal(error.field, 'procedure[0]');
    assert.match(error.message, /sirenVolume/);
  });

  it('a bad trigger type names triggers[i].type and its line', () => {
    const lines = minimalScenario('bad');
    lines.splice(6, 0, '  - type: earthquake', '    magnitude: 5');
    const error = broken(lines);
    assert.equal(error.field, 'triggers[1].type');
    assert.equal(error.line, 7);
    assert.match(error.message, /'manual'/);
  });

  it('a step without a role names procedure[i].role at the step', () => {
    const lines = minimalScenario('bad');
    lines.splice(12, 0, '  - id: second', '    title: { vi: Bước hai, en: Step two }');
    const error = broken(lines);
    assert.equal(error.field, 'procedure[1].role');
    assert.equal(error.line, 13);
  });

  it('cross-field rules: unique step ids, confirmed public warnings, a file name matching the name', () => {
    const twice = minimalScenario('bad');
    twice.splice(12, 0, '  - id: first', '    title: { vi: Lặp lại, en: Again }', '    role: commander');
    assert.equal(broken(twice).field, 'procedure[1].id');

    const unconfirmed = minimalScenario('bad');
    unconfirmed.splice(12, 0, '    command: { gateway: gw-thuy-van, type: siren, target: coi-tam-hiep }');
    const error = broken(unconfirmed);
    assert.equal(error.field, 'procedure[0].needsConfirmation');
    assert.equal(error.line, 10);

    assert.equal(broken(minimalScenario('other')).field, 'name');
  });

  it('an inline layout: cameras.tileId must name a camera grid big enough, tiles must fit the wall', () => {
    const inline = (tiles: string[], extra: string[]) => {
      const lines = minimalScenario('bad');
      return [...lines.slice(0, 7), 'layout:', '  tiles:', ...tiles, ...extra, ...lines.slice(8)];
    };
    const grid = ['    - id: grid', '      kind: camera-grid', '      rect: { x: 0, y: 0, w: 12, h: 12 }', '      props: { layout: 2x2 }'];
    const note = ['    - id: note', '      kind: note', '      rect: { x: 12, y: 0, w: 12, h: 12 }', '      props: { markdown: hi }'];
    assert.equal(broken(inline([...grid, ...note], ['cameras: { tileId: note, nearest: 4, withinKm: 5 }'])).field, 'cameras.tileId');
    assert.equal(broken(inline([...grid, ...note], ['cameras: { tileId: grid, nearest: 9, withinKm: 5 }'])).field, 'cameras.nearest');
    assert.equal(broken(inline([...grid, ...note], ['map: { focus: incident }'])).field, 'map');

    const offWall = [...grid, '    - id: wide', '      kind: note', '      rect: { x: 12, y: 0, w: 13, h: 12 }', '      props: { markdown: hi }'];
    const error = broken(inline(offWall, []), demoReferences());
    assert.equal(error.field, 'layout.tiles[1].rect');
    assert.equal(error.line, 16);
  });

  it('a preset that does not exist and an unknown indicator are named', () => {
    const lines = minimalScenario('bad');
    lines[7] = 'layout: { preset: no-such-preset }';
    assert.equal(broken(lines, demoReferences()).field, 'layout.preset');
    const panels = minimalScenario('bad');
    panels.splice(8, 0, 'panels:', '  indicators: [average-aqi, no-such-indicator]');
    const error = broken(panels, demoReferences());
    assert.equal(error.field, 'panels.indicators[1]');
    assert.equal(error.line, 10);
  });
});

describe('reloading scenarios', () => {
  it('keeps the previous valid version of a file that is now broken, drops a deleted file, takes a fixed one', () => {
    const dir = tempDir();
    const alpha = writeScenario(dir, 'alpha', minimalScenario('alpha'));
    const betaFile = writeScenario(dir, 'beta', minimalScenario('beta'));
    const first = loadScenarioDir(dir);
    assert.deepEqual(first.errors, []);

    writeFileSync(alpha, readFileSync(alpha, 'utf8').replace('role: duty-operator', 'role: janitor'));
    rmSync(betaFile);
    const second = reloadScenarioDir(dir, first.scenarios);
    assert.equal(onlyError(second.errors).field, 'procedure[0].role');
    assert.deepEqual(second.scenarios, [first.scenarios[0]], 'alpha kept as it was, beta gone');

    writeFileSync(alpha, readFileSync(alpha, 'utf8').replace('role: janitor', 'role: commander'));
    const third = reloadScenarioDir(dir, second.scenarios);
    assert.deepEqual(third.errors, []);
    assert.equal(third.scenarios[0]!.procedure[0]!.role, 'commander');
  });

  it('a file broken on first load has no previous version to keep', () => {
    const dir = tempDir();
    writeScenario(dir, 'alpha', ['name: alpha', 'level: sometimes']);
    const previous = { ...loadScenarioDir(scenariosDir).scenarios[0]!, name: 'alpha' } satisfies Scenario;
    assert.deepEqual(reloadScenarioDir(dir, []).scenarios, []);
    assert.deepEqual(reloadScenarioDir(dir, [previous]).scenarios, [previous]);
  });
});

describe('broken indicator files', () => {
  const indicatorLines = (id: string) => [
    `- id: ${id}`,
    '  title: { vi: Chỉ số thử, en: Test indicator }',
    "  unit: '%'",
    '  target: 90',
    '  direction: higher-better',
    '  atRisk: { percent: 10 }',
    '  frequency: monthly',
    '  sector: test',
    '  adminLevel: province',
    '  source: { dataset: thu, field: gia-tri }',
  ];

  it('names the field of the source shape the file chose, with its line', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.yaml'), `${indicatorLines('good').join('\n')}\n`);
    const lines = [...indicatorLines('first'), ...indicatorLines('second')];
    lines[19] = '  source: { sensorKind: air-quality, aggregate: median }';
    writeFileSync(join(dir, 'b.yaml'), `${lines.join('\n')}\n`);
    const { indicators, errors } = loadIndicatorDir(dir);
    assert.deepEqual(indicators.map((i) => i.id), ['good']);
    const error = onlyError(errors);
    assert.equal(error.field, '[1].source.aggregate');
    assert.equal(error.line, 20);
  });

  it('refuses an id defined by another file, and a realtime indicator that does not read sensors', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.yaml'), `${indicatorLines('same').join('\n')}\n`);
    writeFileSync(join(dir, 'b.yaml'), `${indicatorLines('same').join('\n')}\n`);
    assert.equal(onlyError(loadIndicatorDir(dir).errors).field, '[0].id');
    writeFileSync(join(dir, 'b.yaml'), `${indicatorLines('live').join('\n').replace('monthly', 'realtime')}\n`);
    assert.equal(onlyError(loadIndicatorDir(dir).errors).field, '[0].frequency');
  });
});

describe('indicatorStatus', () => {
  const def = (direction: Indicator['direction'], target: number, atRisk: Indicator['atRisk']) => ({ direction, target, atRisk });

  it('higher is better: met at or above the target, at risk within the margin below it', () => {
    const speed = def('higher-better', 35, { percent: 20 }); // margin 7 km/h
    assert.equal(indicatorStatus(speed, 35), 'met');
    assert.equal(indicatorStatus(speed, 50), 'met');
    assert.equal(indicatorStatus(speed, 34.9), 'at-risk');
    assert.equal(indicatorStatus(speed, 28), 'at-risk');
    assert.equal(indicatorStatus(speed, 27.9), 'not-met');
  });

  it('lower is better: met at or below the target, at risk within the margin above it', () => {
    const aqi = def('lower-better', 50, { absolute: 50 });
    assert.equal(indicatorStatus(aqi, 12), 'met');
    assert.equal(indicatorStatus(aqi, 50), 'met');
    assert.equal(indicatorStatus(aqi, 100), 'at-risk');
    assert.equal(indicatorStatus(aqi, 101), 'not-met');
  });

  it('a zero target with a percent margin has no at-risk band; a missing value meets nothing', () => {
    const overdue = def('lower-better', 0, { percent: 50 });
    assert.equal(indicatorStatus(overdue, 0), 'met');
    assert.equal(indicatorStatus(overdue, 1), 'not-met');
    assert.equal(indicatorStatus(def('higher-better', 95, { absolute: 5 }), Number.NaN), 'not-met');
  });
});
