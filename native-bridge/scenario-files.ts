/**
 * Scenarios (kịch bản điều hành, layouts/scenarios/*.yaml) and indicators (bộ chỉ số,
 * layouts/indicators/*.yaml) as data. Pure module: the host loads the files with these schemas
 * (electron/node/scenarios/scenario-files.ts), and the console can check an edit before saving.
 */
import { z } from 'zod';
import { choroplethMeasure, mapLayerIds } from './tile-props/map.js';
import { localizedText, slug, tile, tileLayoutIssues, type Preset, type Tile, type WallDefinition } from './contract.js';
import { eventItem, fieldCommand, movingObjectItem, sensorKind } from './gateway-protocol.js';
import { spatialQuery } from './spatial-query.js';
import { triggerRule } from './trigger-rules.js';

type Issue = { path: (string | number)[]; message: string };

/**
 * A z.union whose errors come from the one option the value picked (`pick` returns its index, or
 * -1 for none), so they name that option's fields: a plain z.union only says "Invalid input".
 */
function pickedUnion<const T extends readonly [z.ZodType, ...z.ZodType[]]>(options: T, pick: (value: unknown) => number, noneMessage: string) {
  return z
    .unknown()
    .superRefine((value, context) => {
      const option = options[pick(value)];
      if (!option) return context.addIssue({ code: 'custom', message: noneMessage });
      const result = option.safeParse(value);
      for (const issue of result.error?.issues ?? []) context.addIssue({ code: 'custom', path: issue.path, message: issue.message });
    })
    .pipe(z.union(options));
}

/** The index of the first key list whose keys the value (an object) carries one of. */
const byKeys =
  (...keys: (readonly string[])[]) =>
  (value: unknown): number =>
    typeof value === 'object' && value !== null ? keys.findIndex((names) => names.some((name) => name in value)) : -1;

const unique = <T>(values: readonly T[], at: (index: number) => (string | number)[], what: string): Issue[] => {
  const seen = new Set<T>();
  return values.flatMap((value, index) => {
    const twice = seen.has(value);
    seen.add(value);
    return twice ? [{ path: at(index), message: `${what} ${JSON.stringify(value)} is used twice` }] : [];
  });
};

// ---------------------------------------------------------------------------------------------
// Scenarios

/** Interaction levels of the province plans: periodic (định kỳ), ad hoc (đột xuất), on request (theo yêu cầu). */
export const scenarioLevel = z.enum(['periodic', 'ad-hoc', 'on-request']);

/** The scenarios the seeds name, by sector or theme. */
export const scenarioCategory = z.enum([
  'flood',
  'fire-rescue',
  'traffic',
  'traffic-safety',
  'pollution',
  'iuu-fishing',
  'event-festival',
  'night-market',
  'epidemic',
  'smart-lighting',
  'briefing',
  'civil-defense',
  'disaster-rescue',
  'key-projects',
  'urban-order',
  'construction-order',
  'transport-assets',
  'land',
  'mining',
  'tourism',
  'enterprises',
  'socio-economic',
  'other',
]);

export const scenarioRole = z.enum(['duty-operator', 'commander', 'technician', 'field-unit']);
export type ScenarioRole = z.infer<typeof scenarioRole>;

/** Either a preset of layouts/presets by name, or tiles of its own. */
export const scenarioLayout = pickedUnion(
  [z.strictObject({ preset: slug }), z.strictObject({ tiles: z.array(tile).min(1).max(256) })],
  byKeys(['preset'], ['tiles']),
  'layout is {preset: <name>} or {tiles: [...]}',
);

export const scenarioMap = z.strictObject({
  /** The map tile of the layout to drive; absent = its first map tile. */
  tileId: slug.optional(),
  /** 'fit-features': zoom to everything the scenario's panels and triggers are about. */
  focus: z.union([z.enum(['incident', 'fit-features']), z.strictObject({ area: z.string().min(1).max(256) })], {
    error: "focus is 'incident', 'fit-features' or {area: <commune id>}",
  }),
  zoom: z.number().min(0).max(20).optional(),
  layers: z.array(z.enum(mapLayerIds)).min(1).max(mapLayerIds.length).optional(),
  choropleth: choroplethMeasure.optional(),
});

/** The cameras nearest to the incident, put into a camera-grid tile of the layout. */
export const scenarioCameras = z.strictObject({
  tileId: slug,
  nearest: z.int().min(1).max(16),
  withinKm: z.number().positive().max(100),
});

/**
 * Spatial queries of a scenario: the shapes of spatial-query.ts, or shapes placed by the incident
 * that activated the scenario (its location is unknown when the file is written).
 */
export const scenarioQuery = spatialQuery.extend({
  shape: z.discriminatedUnion('type', [
    spatialQuery.shape.shape,
    z.strictObject({ type: z.literal('radius-around-incident'), radiusM: z.number().positive().max(100_000) }),
    /** The commune containing the incident. */
    z.strictObject({ type: z.literal('area-of-incident') }),
  ]),
});

export const scenarioPanels = z.strictObject({
  /** Indicator ids of layouts/indicators, shown grouped with their status. */
  indicators: z.array(slug).max(64).default([]),
  queries: z.array(z.strictObject({ id: slug, title: localizedText, query: scenarioQuery })).max(16).default([]),
});

/** A field command a step sends, as fieldCommand without the id and issuer the host adds when sending. */
export const stepCommand = z.strictObject({
  gateway: z.string().min(1).max(128),
  type: fieldCommand.shape.type,
  target: fieldCommand.shape.target,
  params: fieldCommand.shape.params.default({}),
});

/** Commands that reach residents: a second person confirms them. */
const PUBLIC_COMMANDS: ReadonlySet<string> = new Set(['siren', 'resident-warning']);

export const procedureStep = z.strictObject({
  id: slug,
  title: localizedText,
  role: scenarioRole,
  /** A second person confirms the step before it counts as done (or before its command is sent). */
  needsConfirmation: z.boolean().default(false),
  /** Done by the host when the scenario activates, with no one clicking. */
  automatic: z.boolean().default(false),
  /** What the step writes: an entry of the tamper-proof violation log (evidence), or the briefing report. */
  records: z.enum(['violation-log', 'briefing-report']).optional(),
  command: stepCommand.optional(),
});
export type ProcedureStep = z.infer<typeof procedureStep>;

export const escalationLevel = z.strictObject({
  level: z.int().min(1).max(9),
  title: localizedText,
  notify: z.array(scenarioRole).min(1),
  /** Escalate when the scenario is still open this long after activation; absent = by hand only. */
  afterMinutes: z.int().min(1).max(7 * 24 * 60).optional(),
});

export const scenarioDefinition = z
  .strictObject({
    name: slug,
    title: localizedText,
    level: scenarioLevel,
    category: scenarioCategory,
    triggers: z.array(triggerRule).min(1).max(32),
    /** suggest: a console banner with one-click activation; auto: activates by itself. */
    activation: z.enum(['suggest', 'auto']),
    layout: scenarioLayout,
    map: scenarioMap.optional(),
    cameras: scenarioCameras.optional(),
    panels: scenarioPanels.default({ indicators: [], queries: [] }),
    procedure: z.array(procedureStep).min(1, 'a scenario needs at least one procedure step').max(64),
    escalation: z.array(escalationLevel).max(9).default([]),
    /** revert: back to the previous layout when every trigger clears; stay-until-closed: a person closes it. */
    onClear: z.enum(['revert', 'stay-until-closed']),
    /**
     * onClear revert with procedure steps still open: how long the commander has to keep the
     * wall (scenarios.keep) before it goes back. 0: back at once, as when every step is done.
     */
    revertCountdownSeconds: z.int().min(0).max(3600).default(120),
  })
  .superRefine((scenario, context) => {
    const issues = [
      ...unique(scenario.procedure.map((s) => s.id), (i) => ['procedure', i, 'id'], 'step id'),
      ...unique(scenario.panels.indicators, (i) => ['panels', 'indicators', i], 'indicator'),
      ...unique(scenario.panels.queries.map((q) => q.id), (i) => ['panels', 'queries', i, 'id'], 'query id'),
      ...scenario.procedure.flatMap((step, i): Issue[] => {
        if (step.automatic && (step.needsConfirmation || step.command)) return [{ path: ['procedure', i, 'automatic'], message: 'an automatic step neither sends commands nor waits for a confirmation' }];
        if (step.command && PUBLIC_COMMANDS.has(step.command.type) && !step.needsConfirmation) {
          return [{ path: ['procedure', i, 'needsConfirmation'], message: `a ${step.command.type} command reaches residents: it needs a second person's confirmation` }];
        }
        return [];
      }),
      ...scenario.escalation.flatMap((e, i): Issue[] =>
        i > 0 && e.level <= scenario.escalation[i - 1]!.level ? [{ path: ['escalation', i, 'level'], message: 'escalation levels must increase' }] : [],
      ),
      ...('tiles' in scenario.layout ? scenarioTileIssues(scenario, scenario.layout.tiles) : []),
    ];
    for (const issue of issues) context.addIssue({ code: 'custom', ...issue });
  });
/** A scenario after validation (defaults applied). */
export type Scenario = z.output<typeof scenarioDefinition>;
export type ScenarioInput = z.input<typeof scenarioDefinition>;

function cameraGridCells(props: Extract<Tile, { kind: 'camera-grid' }>['props']): number {
  if (props.layout === 'custom') return props.columns * props.rows;
  const side = Number(props.layout[0]);
  return side * side;
}

/** The map and camera tiles a scenario drives must exist in its layout, with the right kind and size. */
function scenarioTileIssues(scenario: Pick<Scenario, 'map' | 'cameras'>, tiles: readonly Tile[]): Issue[] {
  const issues: Issue[] = [];
  if (scenario.map) {
    const maps = tiles.filter((t) => t.kind === 'map');
    if (scenario.map.tileId === undefined) {
      if (maps.length === 0) issues.push({ path: ['map'], message: 'the layout has no map tile to drive' });
    } else if (!maps.some((t) => t.id === scenario.map!.tileId)) {
      issues.push({ path: ['map', 'tileId'], message: `the layout has no map tile "${scenario.map.tileId}"` });
    }
  }
  if (scenario.cameras) {
    const { tileId, nearest } = scenario.cameras;
    const grid = tiles.find((t): t is Extract<Tile, { kind: 'camera-grid' }> => t.kind === 'camera-grid' && t.id === tileId);
    if (!grid) issues.push({ path: ['cameras', 'tileId'], message: `the layout has no camera-grid tile "${tileId}"` });
    else if (cameraGridCells(grid.props) < nearest) {
      issues.push({ path: ['cameras', 'nearest'], message: `${nearest} cameras do not fit the ${cameraGridCells(grid.props)} cells of tile "${tileId}"` });
    }
  }
  return issues;
}

/** What a scenario refers to outside its own file. */
export interface ScenarioReferences {
  wall: WallDefinition;
  presets: readonly Preset[];
  /** Absent = indicator ids are not checked. */
  indicatorIds?: ReadonlySet<string>;
}

/** The layout's preset exists, its tiles fit the wall, and the panels' indicators exist. */
export function scenarioReferenceIssues(scenario: Scenario, references: ScenarioReferences): Issue[] {
  const issues: Issue[] = [];
  if ('preset' in scenario.layout) {
    const { preset: name } = scenario.layout;
    const preset = references.presets.find((p) => p.name === name);
    if (!preset) issues.push({ path: ['layout', 'preset'], message: `there is no preset "${name}" (layouts/presets)` });
    else for (const issue of scenarioTileIssues(scenario, preset.tiles)) issues.push(issue);
  } else {
    for (const issue of tileLayoutIssues(references.wall, scenario.layout.tiles)) issues.push({ ...issue, path: ['layout', 'tiles', ...issue.path] });
  }
  const { indicatorIds } = references;
  if (indicatorIds) {
    scenario.panels.indicators.forEach((id, i) => {
      if (!indicatorIds.has(id)) issues.push({ path: ['panels', 'indicators', i], message: `there is no indicator "${id}" (layouts/indicators)` });
    });
  }
  return issues;
}

// ---------------------------------------------------------------------------------------------
// Indicators

export const indicatorFrequency = z.enum(['realtime', 'daily', 'weekly', 'monthly', 'quarterly', 'yearly']);

/**
 * Where an indicator's value comes from: live sensors, a count of the live picture's events or
 * moving objects, a field of an imported dataset, or a table of imported values.
 */
export const indicatorSource = pickedUnion(
  [
    /** Over the sensors of the kind: count-in-alarm counts those at or past their warning threshold, percent-normal is the share of the others. */
    z.strictObject({ sensorKind, aggregate: z.enum(['mean', 'max', 'min', 'count-in-alarm', 'percent-normal']) }),
    /** Events not cleared (of one category), or moving objects (of one kind), in the live picture now. */
    z.discriminatedUnion('count', [
      z.strictObject({ count: z.literal('open-events'), category: eventItem.shape.category.optional() }),
      z.strictObject({ count: z.literal('objects'), kind: movingObjectItem.shape.kind.optional() }),
    ]),
    z.strictObject({
      dataset: z.string().min(1).max(64),
      field: z.string().min(1).max(128),
      /** How the features' values make the province figure: sum for counts, mean for rates and shares. */
      aggregate: z.enum(['sum', 'mean', 'min', 'max']).default('sum'),
      /** The feature property naming its commune (id or name), for the per-commune figures. */
      communeField: z.string().min(1).max(128).default('commune'),
    }),
    z.strictObject({
      table: z
        .array(
          z.strictObject({
            /** "2025", "2025-Q3", "2025-09", "2025-09-15" or "2025-W37". */
            period: z.string().regex(/^\d{4}(-(Q[1-4]|W\d{2}|\d{2}(-\d{2})?))?$/, 'a period is yyyy, yyyy-Qn, yyyy-Www, yyyy-mm or yyyy-mm-dd'),
            value: z.number(),
            /** A commune id; absent = the whole province. */
            area: z.string().min(1).max(256).optional(),
          }),
        )
        .min(1),
    }),
  ],
  byKeys(['sensorKind'], ['count'], ['dataset', 'field'], ['table']),
  'source is {sensorKind, aggregate}, {count}, {dataset, field} or {table: [...]}',
);

export const indicatorDefinition = z
  .strictObject({
    id: slug,
    title: localizedText,
    unit: z.string().max(32),
    target: z.number(),
    direction: z.enum(['higher-better', 'lower-better']),
    /** How far on the wrong side of the target still counts as at risk rather than not met: a percent of the target, or in the unit. */
    atRisk: pickedUnion(
      [z.strictObject({ percent: z.number().min(0).max(100) }), z.strictObject({ absolute: z.number().min(0) })],
      byKeys(['percent'], ['absolute']),
      'atRisk is {percent} or {absolute}',
    ),
    frequency: indicatorFrequency,
    /** The group the wall shows the indicator in (environment, transport, …). */
    sector: slug,
    adminLevel: z.enum(['province', 'commune']),
    source: indicatorSource,
  })
  .refine((def) => def.frequency !== 'realtime' || 'sensorKind' in def.source || 'count' in def.source, {
    path: ['frequency'],
    message: 'a realtime indicator reads the live picture: its source is {sensorKind, aggregate} or {count}',
  });
export type Indicator = z.output<typeof indicatorDefinition>;

/** An indicator file holds one indicator or a list of them. */
export const indicatorFile = pickedUnion(
  [
    z.array(indicatorDefinition).min(1).superRefine((defs, context) => {
      for (const issue of unique(defs.map((d) => d.id), (i) => [i, 'id'], 'indicator id')) context.addIssue({ code: 'custom', ...issue });
    }),
    indicatorDefinition,
  ],
  (value) => (Array.isArray(value) ? 0 : typeof value === 'object' && value !== null ? 1 : -1),
  'an indicator file holds an indicator or a list of indicators',
);

export type IndicatorStatus = 'met' | 'at-risk' | 'not-met';

/** Met on the right side of the target (inclusive); at risk within the atRisk margin past it; a value that is not a number meets nothing. */
export function indicatorStatus(def: Pick<Indicator, 'target' | 'direction' | 'atRisk'>, value: number): IndicatorStatus {
  if (!Number.isFinite(value)) return 'not-met';
  const margin = 'percent' in def.atRisk ? (Math.abs(def.target) * def.atRisk.percent) / 100 : def.atRisk.absolute;
  const shortfall = def.direction === 'higher-better' ? def.target - value : value - def.target;
  if (shortfall <= 0) return 'met';
  return shortfall <= margin ? 'at-risk' : 'not-met';
}
