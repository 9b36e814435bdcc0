/**
 * Wall replay: the requests and the parts of the answers that need nothing from contract.ts (which
 * imports this file and adds the wall state and alerts), and the bounds the host keeps. Pure zod.
 */
import { z } from 'zod';
import { runState } from './scenario-run.js';
import { sensorKind } from './gateway-protocol.js';

const text = z.strictObject({ vi: z.string().min(1).max(500), en: z.string().min(1).max(500) });
/** Epoch ms no earlier than 2000 and no later than 2100: anything else is not a moment of this wall. */
export const replayTime = z.int().min(946_684_800_000).max(4_102_444_800_000);

export const replayLimits = {
  /** A timeline covers at most 7 days: a scrubber over more shows nothing an operator could pick out. */
  maxTimelineMs: 7 * 86_400_000,
  /** Marks per timeline answer; past it the answer says truncated (the earliest are kept). */
  maxMarks: 2_000,
  /** Sensors whose values one replay.at answers (those its sensor tiles select). */
  maxSensors: 500,
  /** Alerts as of the moment (newest first), as many as an alert list tile can show. */
  maxAlerts: 200,
  /** Scenario runs on the wall at the moment. */
  maxRuns: 16,
  /** A checkpoint (the whole wall document) every this many revisions: rebuilding applies fewer patches than this. */
  checkpointEvery: 64,
} as const;

export const replayAtRequest = z.strictObject({ time: replayTime });
export const replayTimelineRequest = z
  .strictObject({ from: replayTime, to: replayTime })
  .refine((r) => r.to >= r.from, { message: 'to must not be before from', path: ['to'] })
  .refine((r) => r.to - r.from <= replayLimits.maxTimelineMs, { message: `a timeline covers at most ${replayLimits.maxTimelineMs / 86_400_000} days`, path: ['to'] });

/** A sensor as a tile showed it then: its last reading at or before the moment (null: none kept). */
export const replaySensor = z.strictObject({
  id: z.string(),
  name: z.string(),
  kind: sensorKind,
  commune: z.string(),
  unit: z.string(),
  value: z.number().nullable(),
  at: z.int().nullable(),
});
export type ReplaySensor = z.infer<typeof replaySensor>;

/** People by name (null: the system, or an account no longer known). */
const personName = z.string().max(128).nullable();

export const replayStep = z.strictObject({
  stepId: z.string(),
  state: z.enum(['pending', 'awaiting-confirmation', 'done']),
  doneBy: personName,
  confirmedBy: personName,
});
/** A scenario run on the wall at the moment, its steps as they stood then. */
export const replayRun = z.strictObject({
  runId: z.string(),
  scenario: z.string(),
  title: text,
  state: runState,
  activatedAt: z.int(),
  activatedBy: personName,
  steps: z.array(replayStep),
});
export type ReplayRun = z.infer<typeof replayRun>;

/**
 * One mark on the timeline. kind: what happened; what: the command, log or field command type, or
 * the alert's severity; actor: an account id (the console shows the name), 'system' or a window.
 */
export const replayMark = z.strictObject({
  at: z.int(),
  kind: z.enum(['command', 'scenario', 'alert', 'field-command']),
  what: z.string(),
  actor: z.string().nullable(),
  /** Who, by full name, as the host knows the account (null: no one, the system, or unknown). */
  actorName: personName,
  /** The alert's or scenario's title, the field command's target, the preset's name. */
  subject: z.union([text, z.string()]).nullable(),
  revision: z.int().nullable(),
  /** The scenario step a scenario mark is about. */
  step: z.string().nullable(),
});
export type ReplayMark = z.infer<typeof replayMark>;
export const replayTimelineResponse = z.strictObject({ from: z.int(), to: z.int(), marks: z.array(replayMark), truncated: z.boolean() });
export type ReplayTimeline = z.infer<typeof replayTimelineResponse>;
