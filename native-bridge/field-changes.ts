/**
 * What changed in the host's live field picture, item by item: LiveState publishes these to the
 * host's rules (spatial index, scenario triggers, indicators), which read the rest from LiveState
 * instead of keeping mirrors. Windows get coalesced live batches instead (contract `live.batch`).
 * Items are already validated (once, by the gateway hub).
 */
import type { LiveCamera, LiveEvent, LiveObject, LiveReport, LiveSensor } from './contract.js';

export type FieldChange =
  | { kind: 'sensor'; sensor: LiveSensor }
  | { kind: 'sensor-removed'; id: string }
  /** A newer reading; `previous` is the value it replaces (undefined for a sensor's first). */
  | { kind: 'reading'; id: string; value: number; at: number; previous: number | undefined }
  | { kind: 'camera'; camera: LiveCamera }
  | { kind: 'camera-removed'; id: string }
  | { kind: 'event'; event: LiveEvent }
  /** Carries the event as it was last known: one removed while still standing counts as cleared now. */
  | { kind: 'event-removed'; event: LiveEvent }
  | { kind: 'object'; object: LiveObject }
  | { kind: 'object-removed'; id: string }
  | { kind: 'report'; report: LiveReport }
  | { kind: 'report-removed'; id: string };

export type FieldChangeListener = (changes: readonly FieldChange[]) => void;
