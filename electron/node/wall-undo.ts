/**
 * Undo and redo of a person's own wall edits. An undo is a new revision (apply-layout of the tiles
 * as they were before the edit), journalled, audited and sent to the windows like any command. It
 * applies only while the edit is still the wall's latest change: once anyone else changes the wall
 * (another person, a scenario), undoing would silently drop their change, so the history is
 * forgotten. One history at a time, then, belonging to whoever edited last; bounded.
 */
import { ContractError, type Actor, type WallState } from '../../native-bridge/contract.js';
import type { AcceptedEvent, WallController } from './wall-controller.js';

/** Undo steps kept for the person who edited last. */
export const UNDO_LIMIT = 100;

type Layout = Pick<WallState, 'tiles' | 'activePreset'>;

interface Step {
  /** The layout the step restores. */
  to: Layout;
  /** The layout the step replaces (what its opposite restores). */
  from: Layout;
  /** The person's own edit the step goes back on (or forward to), for the journal and the answer. */
  edit: number;
}

export interface UndoResult {
  revision: number;
  acceptedAt: number;
}

const layoutOf = (state: WallState): Layout => ({ tiles: state.tiles, activePreset: state.activePreset });

export class WallUndo {
  private owner: string | null = null;
  /** The revision of the owner's latest change: the history holds only while it is the wall's. */
  private head = 0;
  private undoSteps: Step[] = [];
  private redoSteps: Step[] = [];
  /** Set while this class runs its own command, so the event it causes is not taken for an edit. */
  private running = false;
  private readonly unsubscribe: () => void;

  constructor(private readonly controller: WallController) {
    this.unsubscribe = controller.onAccepted((event) => this.accepted(event));
  }

  dispose(): void {
    this.unsubscribe();
  }

  undo(actor: Actor, requestId?: string): UndoResult {
    return this.step(actor, 'undo', requestId);
  }

  redo(actor: Actor, requestId?: string): UndoResult {
    return this.step(actor, 'redo', requestId);
  }

  private accepted(event: AcceptedEvent): void {
    if (this.running) return;
    const person = event.actor.role !== 'system' && event.actor.role !== 'display';
    // saving a preset changes no tile: nothing to undo, and it keeps the person's history
    if (!person || this.owner !== event.actor.id) this.forget(person ? event.actor.id : null);
    this.head = event.revision;
    if (!person || event.command.type === 'save-preset') return;
    this.undoSteps.push({ to: layoutOf(event.before), from: layoutOf(event.after), edit: event.revision });
    if (this.undoSteps.length > UNDO_LIMIT) this.undoSteps.shift();
    this.redoSteps = [];
  }

  private forget(owner: string | null): void {
    this.owner = owner;
    this.undoSteps = [];
    this.redoSteps = [];
  }

  private step(actor: Actor, direction: 'undo' | 'redo', requestId: string | undefined): UndoResult {
    // a retried request answers what its first attempt got (the history has moved on since)
    const earlier = requestId === undefined ? undefined : this.controller.answered(requestId);
    if (earlier) return earlier;
    const steps = direction === 'undo' ? this.undoSteps : this.redoSteps;
    const step = this.owner === actor.id ? steps.at(-1) : undefined;
    if (!step) throw new ContractError('not-found', direction === 'undo' ? 'nothing to undo: no wall edit of yours is the latest change' : 'nothing to redo');
    if (this.head !== this.controller.currentRevision) {
      // a change this history did not see (none should exist: every command passes onAccepted)
      this.forget(null);
      throw new ContractError('conflict', `the wall changed after your edit (revision ${this.head}, now ${this.controller.currentRevision}): nothing to ${direction}`);
    }
    const label = `${direction} of revision ${step.edit}`;
    this.running = true;
    let result: UndoResult;
    try {
      result = this.controller.execute({ type: 'apply-layout', tiles: step.to.tiles, preset: step.to.activePreset, label }, actor, requestId);
    } finally {
      this.running = false;
    }
    steps.pop();
    this.head = result.revision;
    (direction === 'undo' ? this.redoSteps : this.undoSteps).push({ to: step.from, from: step.to, edit: step.edit });
    return result;
  }
}
