/**
 * Trigger rules: the conditions on live data that start a scenario (flood, fire, traffic,
 * pollution, IUU fishing, …). Pure module: scenario files embed these rules, the host's trigger
 * engine (electron/common/trigger-engine.ts) evaluates them, and the console can check them
 * before saving.
 *
 * Coordinates are WGS 84 [lon, lat]; durations are in the unit their name says. Every object is
 * strict, so a misspelt field is refused rather than silently ignored.
 */
import { z } from 'zod';

const identifier = z.string().min(1).max(256);
const token = z.string().min(1).max(64);
const epochMs = z.int().min(0);
const text = z.strictObject({ vi: z.string().min(1).max(500), en: z.string().min(1).max(500) });

// ---------------------------------------------------------------------------------------------
// Cron (5 fields: minute hour day-of-month month day-of-week)

interface CronFieldSpec {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
}

const CRON_FIELDS: readonly CronFieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] },
  // 7 is Sunday too, as in every cron.
  { name: 'day of week', min: 0, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
];

/** The values each field allows; day-of-week uses 0–6 (Sunday 0). */
export interface CronSchedule {
  minutes: ReadonlySet<number>;
  hours: ReadonlySet<number>;
  daysOfMonth: ReadonlySet<number>;
  months: ReadonlySet<number>;
  daysOfWeek: ReadonlySet<number>;
  /** Cron's rule: when both day fields are restricted (neither starts with '*'), a day matching either one matches. */
  dayOrMatch: boolean;
}

export type CronParse = { ok: true; schedule: CronSchedule } | { ok: false; message: string };

function parseCronValue(raw: string, spec: CronFieldSpec): number | undefined {
  if (/^\d+$/.test(raw)) return Number(raw);
  const index = spec.names?.indexOf(raw.toUpperCase()) ?? -1;
  return index < 0 ? undefined : index + spec.min;
}

function parseCronField(field: string, spec: CronFieldSpec): Set<number> | string {
  const values = new Set<number>();
  for (const part of field.split(',')) {
    const match = /^(\*|[A-Za-z0-9]+(?:-[A-Za-z0-9]+)?)(?:\/(\d+))?$/.exec(part);
    if (!match) return `${spec.name}: cannot read ${JSON.stringify(part)}`;
    const [, range, stepText] = match;
    const step = stepText === undefined ? 1 : Number(stepText);
    if (step < 1) return `${spec.name}: step must be at least 1`;
    let low = spec.min;
    let high = spec.max;
    if (range !== '*') {
      const [lowText, highText] = range!.split('-');
      const lowValue = parseCronValue(lowText!, spec);
      const highValue = highText === undefined ? (stepText === undefined ? lowValue : spec.max) : parseCronValue(highText, spec);
      if (lowValue === undefined || highValue === undefined) return `${spec.name}: cannot read ${JSON.stringify(part)}`;
      if (lowValue < spec.min || highValue > spec.max) return `${spec.name}: ${JSON.stringify(part)} is outside ${spec.min}–${spec.max}`;
      if (lowValue > highValue) return `${spec.name}: range ${JSON.stringify(part)} runs backwards`;
      low = lowValue;
      high = highValue;
    }
    for (let value = low; value <= high; value += step) values.add(value);
  }
  return values;
}

/** Parses a 5-field cron expression ("0 7 * * 1-5": 07:00 on weekdays); numbers, names (JAN, MON), '*', ranges, lists, steps. */
export function parseCron(expression: string): CronParse {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) return { ok: false, message: `a cron expression has 5 fields (minute hour day-of-month month day-of-week), not ${fields.length}` };
  const sets: Set<number>[] = [];
  for (const [i, spec] of CRON_FIELDS.entries()) {
    const parsed = parseCronField(fields[i]!, spec);
    if (typeof parsed === 'string') return { ok: false, message: parsed };
    sets.push(parsed);
  }
  const [minutes, hours, daysOfMonth, months, daysOfWeek] = sets as [Set<number>, Set<number>, Set<number>, Set<number>, Set<number>];
  if (daysOfWeek.delete(7)) daysOfWeek.add(0);
  return { ok: true, schedule: { minutes, hours, daysOfMonth, months, daysOfWeek, dayOrMatch: !fields[2]!.startsWith('*') && !fields[4]!.startsWith('*') } };
}

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Selectors

const selectorFields = {
  kinds: z.array(token).min(1).max(64).optional(),
  ids: z.array(identifier).min(1).max(10_000).optional(),
  /** Sensors only: moving objects carry no commune (use a geofence area for them). */
  communes: z.array(identifier).min(1).max(4000).optional(),
};

/**
 * Which sensors or moving objects a rule watches. Every given field must match (kinds AND ids AND
 * communes); an omitted field matches everything, so `{}` selects the whole layer.
 */
export const selector = z.strictObject({ layer: z.enum(['sensor', 'object']).optional(), ...selectorFields });
export type Selector = z.infer<typeof selector>;

const sensorSelector = z.strictObject({ layer: z.literal('sensor', { error: "this rule watches sensors: layer is 'sensor' or omitted" }).optional(), ...selectorFields });
const objectSelector = z
  .strictObject({ layer: z.literal('object', { error: "this rule watches moving objects: layer is 'object' or omitted" }).optional(), ...selectorFields })
  .refine((s) => s.communes === undefined, { message: 'moving objects carry no commune: select them by kinds or ids, or use a geofence area', path: ['communes'] });

// ---------------------------------------------------------------------------------------------
// Rules

const longitude = z.number().min(-180).max(180);
const latitude = z.number().min(-90).max(90);
/** A closed ring: [[lon, lat], …, first position again]. */
const ring = z
  .array(z.tuple([longitude, latitude]))
  .min(4, 'a polygon ring needs at least 4 positions (3 corners and the first again)')
  .refine((r) => r[0]![0] === r[r.length - 1]![0] && r[0]![1] === r[r.length - 1]![1], 'a polygon ring must be closed (last position = first)');

export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export const EVENT_CATEGORIES = ['flood', 'fire', 'traffic', 'pollution', 'vessel', 'device', 'other'] as const;

/** A band on the reading itself: above fires at value ≥ above, below at value ≤ below, both at either (outside the band). */
const valueLevel = z
  .strictObject({ above: z.number().optional(), below: z.number().optional() })
  .refine((l) => l.above !== undefined || l.below !== undefined, 'give above, below or both')
  .refine((l) => l.above === undefined || l.below === undefined || l.below < l.above, 'with both, below must be under above (the rule fires outside the band below…above)');

export const triggerRule = z.discriminatedUnion(
  'type',
  [
    /** Started by a person from the console. */
    z.strictObject({ type: z.literal('manual') }),
    /** Periodic scenarios (briefings, daily checks). */
    z.strictObject({
      type: z.literal('schedule'),
      cron: z.string().superRefine((cron, context) => {
        const parsed = parseCron(cron);
        if (!parsed.ok) context.addIssue({ code: 'custom', message: parsed.message });
      }),
      timezone: z
        .string()
        .superRefine((name, context) => {
          if (!isTimeZone(name)) context.addIssue({ code: 'custom', message: `unknown time zone ${JSON.stringify(name)} (an IANA name such as 'Asia/Ho_Chi_Minh')` });
        })
        .default('Asia/Ho_Chi_Minh'),
    }),
    /**
     * At least minCount selected sensors at or past the level for forSeconds. 'warning' and
     * 'critical' use each sensor's own thresholds (lower is worse when critical < warning).
     * Clears only when every selected sensor is back under the level.
     */
    z.strictObject({
      type: z.literal('threshold'),
      sensors: sensorSelector,
      level: z.union([z.enum(['warning', 'critical']), valueLevel], { error: "level is 'warning', 'critical' or {above?, below?}" }),
      forSeconds: z.number().min(0).default(0),
      minCount: z.int().min(1).default(1),
    }),
    /** A selected sensor's value rising (or falling) by at least `change` within perMinutes. */
    z.strictObject({
      type: z.literal('rate'),
      sensors: sensorSelector,
      change: z.number().positive(),
      perMinutes: z.number().positive().max(7 * 24 * 60),
      direction: z.enum(['rise', 'fall']),
    }),
    /** A selected moving object entering or leaving an area (an area of the map by id, or a polygon drawn here). */
    z.strictObject({
      type: z.literal('geofence'),
      objects: objectSelector,
      area: z.union([z.strictObject({ areaId: identifier }), z.strictObject({ polygon: ring, name: z.strictObject({ vi: z.string().min(1).max(120), en: z.string().min(1).max(120) }).optional() })], {
        error: 'area is {areaId} or {polygon: [[lon, lat], …], name?: {vi, en}}',
      }),
      on: z.enum(['enter', 'leave']),
    }),
    /** No reading (sensors) or position (objects) for afterSeconds. */
    z.strictObject({
      type: z.literal('signal-lost'),
      target: selector,
      afterSeconds: z.number().positive(),
    }),
    /** At least `count` selected objects within radiusM of each other for forMinutes (vessels gathering: IUU fishing). */
    z.strictObject({
      type: z.literal('cluster'),
      objects: objectSelector,
      count: z.int().min(2),
      radiusM: z.number().positive().max(100_000),
      forMinutes: z.number().min(0),
    }),
    /** An incident event from a gateway. */
    z.strictObject({
      type: z.literal('event'),
      categories: z.array(z.enum(EVENT_CATEGORIES)).min(1),
      minSeverity: z.enum(SEVERITIES).default('warning'),
    }),
  ],
  { error: (issue) => (issue.code === 'invalid_union' ? "type is one of 'manual', 'schedule', 'threshold', 'rate', 'geofence', 'signal-lost', 'cluster', 'event'" : undefined) },
);
/** A rule after validation (defaults applied). */
export type TriggerRule = z.output<typeof triggerRule>;
/** A rule as written (defaults optional). */
export type TriggerRuleInput = z.input<typeof triggerRule>;
export type TriggerRuleType = TriggerRule['type'];

// ---------------------------------------------------------------------------------------------
// What the engine reports

/**
 * A rule's condition became true. `at` is when the data says it became true (e.g. the reading
 * that crossed plus forSeconds), which can be a little before the tick that noticed it.
 */
export const triggerFiring = z.strictObject({
  /** The rule's position in the list the engine was built from. */
  ruleIndex: z.int().min(0),
  at: epochMs,
  /** Sensor, object or event ids the firing is about (empty for a schedule). */
  subjects: z.array(identifier),
  location: z.strictObject({ lon: longitude, lat: latitude }).optional(),
  detail: text,
});
export type TriggerFiring = z.infer<typeof triggerFiring>;

/** The condition of an earlier firing (same ruleIndex and subjects) is no longer true. */
export const triggerClear = z.strictObject({
  ruleIndex: z.int().min(0),
  at: epochMs,
  subjects: z.array(identifier),
});
export type TriggerClear = z.infer<typeof triggerClear>;

/** "sensors.layer: …" or "forSecond: unknown field": the first issue, naming the field (under `root`, e.g. "triggers.2"). */
export function describeTriggerIssue(error: z.ZodError, root?: string): string {
  const issue = error.issues[0]!;
  const path = [...(root ? [root] : []), ...issue.path.map(String)];
  if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => `${[...path, key].join('.')}: unknown field`).join('; ');
  return `${path.join('.') || '(value)'}: ${issue.message}`;
}
