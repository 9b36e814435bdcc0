/**
 * Scenario runs over the contract: what the console and the wall see of the host's scenario engine
 * (electron/node/scenarios/scenario-engine.ts) — suggestions, runs with their procedure, the run
 * log — and the requests that act on them. Pure zod. It must not import contract.ts (which
 * imports this file), so the few building blocks it shares are declared here again; contract.ts
 * adds the layout preview (tiles) to the scenario summary.
 */
import { z } from 'zod';
import { fieldCommand } from './gateway-protocol.js';

const text = z.strictObject({ vi: z.string().min(1).max(500), en: z.string().min(1).max(500) });
const name = z.string().min(1).max(64);
const identifier = z.string().min(1).max(256);
const epochMs = z.int().min(0);

// ---------------------------------------------------------------------------------------------
// What a run is about

/** Where the incident is: the firing's location (or the one given at manual activation). */
export const scenarioIncident = z.strictObject({
  lon: z.number().min(-180).max(180),
  lat: z.number().min(-90).max(90),
  /** The commune's name as the field reports it, when known. */
  commune: z.string().min(1).max(256).optional(),
  /** The gateway event that fired, when an event rule fired. */
  eventId: identifier.optional(),
});
export type ScenarioIncident = z.infer<typeof scenarioIncident>;

// ---------------------------------------------------------------------------------------------
// The definitions, as the launcher lists them

export const scenarioStepSummary = z.strictObject({
  id: name,
  title: text,
  role: z.enum(['duty-operator', 'commander', 'technician', 'field-unit']),
  needsConfirmation: z.boolean(),
  automatic: z.boolean(),
  command: z
    .strictObject({ gateway: z.string().min(1).max(128), type: fieldCommand.shape.type, target: fieldCommand.shape.target, params: fieldCommand.shape.params })
    .nullable(),
});
export type ScenarioStepSummary = z.infer<typeof scenarioStepSummary>;

/** A scenario without its layout tiles (contract.ts adds them as `tiles`, the launcher's preview). */
export const scenarioSummaryFields = {
  name,
  title: text,
  level: z.enum(['periodic', 'ad-hoc', 'on-request']),
  category: z.string().min(1).max(64),
  activation: z.enum(['suggest', 'auto']),
  onClear: z.enum(['revert', 'stay-until-closed']),
  /** The trigger rule types, in file order ('manual', 'threshold', 'event', …). */
  triggers: z.array(z.string().min(1).max(32)),
  /** The preset the layout uses, or null for tiles of its own. */
  preset: name.nullable(),
  map: z.strictObject({ tileId: name.nullable(), focus: z.union([z.enum(['incident', 'fit-features']), z.strictObject({ area: identifier })]), zoom: z.number().nullable() }).nullable(),
  cameras: z.strictObject({ tileId: name, nearest: z.int(), withinKm: z.number() }).nullable(),
  procedure: z.array(scenarioStepSummary),
  escalation: z.array(z.strictObject({ level: z.int().min(1), title: text, notify: z.array(z.string()), afterMinutes: z.int().nullable() })),
  panels: z.strictObject({ indicators: z.array(name), queries: z.array(z.strictObject({ id: name, title: text })) }),
};

/** A scenario file the host could not load (it keeps the previous valid version, if any). */
export const scenarioFileError = z.strictObject({ file: z.string(), line: z.int().nullable(), field: z.string().nullable(), message: z.string() });
export type ScenarioFileError = z.infer<typeof scenarioFileError>;

// ---------------------------------------------------------------------------------------------
// Suggestions and runs

/** A firing the engine proposes to act on: the console's banner, activated with one click. */
export const scenarioSuggestion = z.strictObject({
  suggestionId: identifier,
  scenario: name,
  title: text,
  firedAt: epochMs,
  incident: scenarioIncident.nullable(),
  /** Sensor, object or event ids the firings are about. */
  subjects: z.array(identifier),
  detail: text,
});
export type ScenarioSuggestion = z.infer<typeof scenarioSuggestion>;

/**
 * active: on the wall; paused: on the wall, no automatic escalation or revert until resumed;
 * awaiting-close: the trigger cleared and the scenario stays until a person closes it;
 * cleared: the trigger cleared and the wall went back (onClear: revert) — over;
 * closed: a person closed it — over.
 */
export const runState = z.enum(['active', 'paused', 'awaiting-close', 'cleared', 'closed']);
export type RunState = z.infer<typeof runState>;
export const RUN_OVER: ReadonlySet<RunState> = new Set(['cleared', 'closed']);

export const stepCommandState = z.strictObject({
  /** The field command id (FieldCommand.id): exactly once to the gateway. */
  id: identifier,
  sentBy: z.string(),
  sentAt: epochMs,
  /** expired: not acknowledged within its time-to-live; the host stopped sending it. */
  state: z.enum(['sent', 'done', 'rejected', 'expired']),
  ackAt: epochMs.nullable(),
  detail: z.string().nullable(),
});

export const stepState = z.strictObject({
  stepId: name,
  /** awaiting-confirmation: done by one person, waiting for a second one's scenarios.confirm. */
  state: z.enum(['pending', 'awaiting-confirmation', 'done']),
  doneBy: z.string().nullable(),
  doneAt: epochMs.nullable(),
  confirmedBy: z.string().nullable(),
  confirmedAt: epochMs.nullable(),
  note: z.string().nullable(),
  command: stepCommandState.nullable(),
});
export type StepState = z.infer<typeof stepState>;

export const scenarioRun = z.strictObject({
  runId: identifier,
  scenario: name,
  title: text,
  state: runState,
  incident: scenarioIncident.nullable(),
  subjects: z.array(identifier),
  /** What fired it (null for a manual activation). */
  trigger: text.nullable(),
  activatedAt: epochMs,
  activatedBy: z.string(),
  /** The wall revision that applied the scenario's layout. */
  revision: z.int().min(0),
  /** 0 = not escalated. */
  escalationLevel: z.int().min(0),
  /** Who is in charge now (after a handover), null = whoever activated it. */
  handedTo: z.string().nullable(),
  pausedAt: epochMs.nullable(),
  clearedAt: epochMs.nullable(),
  closedAt: epochMs.nullable(),
  closedBy: z.string().nullable(),
  steps: z.array(stepState),
  /**
   * The trigger cleared while procedure steps were still open (onClear: revert): the wall goes
   * back at this time unless a commander keeps it (scenarios.keep) or the trigger fires again.
   * null: no countdown.
   */
  revertAt: epochMs.nullable().default(null),
  /** The full names of the accounts that acted on this run, as they were then (account id → name): people read names, never ids. */
  people: z.record(z.string(), z.string().max(128)).default({}),
});
export type ScenarioRun = z.infer<typeof scenarioRun>;

/** The name to show for whoever did something on a run: the account's name, "system" for the host. */
export function runPersonName(run: Pick<ScenarioRun, 'people'>, id: string, system: string): string {
  if (id === 'system') return system;
  return run.people[id] ?? id;
}

export const runLogKind = z.enum([
  'activated',
  'figures',
  'trigger-fired',
  'trigger-cleared',
  'step-done',
  'step-reopened',
  'step-confirmed',
  'command-sent',
  'command-acknowledged',
  'command-rejected',
  'command-expired',
  'escalated',
  'paused',
  'resumed',
  'handed-over',
  'reverted',
  'revert-pending',
  'wall-kept',
  'awaiting-close',
  'closed',
  'resumed-after-restart',
]);
export type RunLogKind = z.infer<typeof runLogKind>;

/** One line of a run's log (persisted, append-only): who did what when. */
export const runLogEntry = z.strictObject({
  seq: z.int().min(1),
  runId: identifier,
  at: epochMs,
  kind: runLogKind,
  actor: z.string(),
  stepId: name.nullable(),
  detail: text.nullable(),
  data: z.record(z.string(), z.unknown()).nullable(),
});
export type RunLogEntry = z.infer<typeof runLogEntry>;

/** Runs still on the wall (any state not over) and the most recent ones over, newest first. */
export const scenariosPicture = z.strictObject({
  suggestions: z.array(scenarioSuggestion),
  runs: z.array(scenarioRun),
});
export type ScenariosPicture = z.infer<typeof scenariosPicture>;

// ---------------------------------------------------------------------------------------------
// Requests (display windows may read, never act)

/** The person acting is the connection's signed-in account: no request names one (a typed name proves nothing). */
const runRef = { runId: identifier };

export const scenarioRequests = {
  activate: z.strictObject({
    scenario: name,
    /** Where the incident is; absent = from the suggestion, or none (a manual, wall-wide activation). */
    incident: scenarioIncident.optional(),
    /** Activating a suggestion: takes its incident and subjects, and removes the banner. */
    suggestionId: identifier.optional(),
  }),
  step: z.strictObject({ ...runRef, stepId: name, done: z.boolean(), note: z.string().max(2000).optional() }),
  confirm: z.strictObject({ ...runRef, stepId: name, note: z.string().max(2000).optional() }),
  command: z.strictObject({ ...runRef, stepId: name }),
  escalate: z.strictObject({ ...runRef, level: z.int().min(1).max(9).optional(), note: z.string().max(2000).optional() }),
  pause: z.strictObject({ ...runRef, note: z.string().max(2000).optional() }),
  resume: z.strictObject({ ...runRef, note: z.string().max(2000).optional() }),
  handover: z.strictObject({ ...runRef, to: z.string().min(1).max(128), note: z.string().max(2000).optional() }),
  close: z.strictObject({ ...runRef, note: z.string().max(2000).optional() }),
  /** Keeps the scenario's wall after its trigger cleared with steps open: the run stays until closed. */
  keep: z.strictObject({ ...runRef, note: z.string().max(2000).optional() }),
  dismiss: z.strictObject({ suggestionId: identifier }),
  log: z.strictObject({ runId: identifier }),
  report: z.strictObject({ runId: identifier }),
} as const;

export type ScenarioRequest<K extends keyof typeof scenarioRequests> = z.output<(typeof scenarioRequests)[K]>;
