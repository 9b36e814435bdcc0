/** A scenario run as it stood at a moment, rebuilt from its append-only log lines up to then. */
import type { RunLogEntry, RunState } from '../../../native-bridge/contract.js';
import type { ReplayRun } from '../../../native-bridge/replay.js';
import type { RunDocument } from '../scenarios/run-store.js';

type ReplayStep = ReplayRun['steps'][number];

/** `nameOf` turns an account id into the person's name (null for the system or an unknown account). */
export function runAsOf(doc: RunDocument, log: readonly RunLogEntry[], nameOf: (id: string) => string | null): ReplayRun {
  const { run } = doc;
  // the run remembers the names of those who acted on it, as they were then
  const person = (id: string): string | null => run.people?.[id] ?? nameOf(id);
  const steps = new Map<string, ReplayStep>(run.steps.map((s) => [s.stepId, { stepId: s.stepId, state: 'pending', doneBy: null, confirmedBy: null }]));
  let state: RunState = 'active';
  let beforePause: RunState = 'active';
  for (const line of log) {
    const step = line.stepId === null ? undefined : steps.get(line.stepId);
    switch (line.kind) {
      case 'step-done':
        if (step) Object.assign(step, { state: line.data?.needsConfirmation === true ? 'awaiting-confirmation' : 'done', doneBy: person(line.actor), confirmedBy: null });
        break;
      case 'step-confirmed':
        if (step) Object.assign(step, { state: 'done', confirmedBy: person(line.actor) });
        break;
      case 'step-reopened':
        if (step) Object.assign(step, { state: 'pending', doneBy: null, confirmedBy: null });
        break;
      case 'paused':
        beforePause = state;
        state = 'paused';
        break;
      case 'resumed':
        state = beforePause;
        break;
      case 'awaiting-close':
        state = 'awaiting-close';
        break;
      default:
        break;
    }
  }
  return { runId: run.runId, scenario: run.scenario, title: run.title, state, activatedAt: run.activatedAt, activatedBy: person(run.activatedBy), steps: [...steps.values()] };
}
