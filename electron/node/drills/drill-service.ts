/**
 * Drills: the embedded simulated province plays one of its scripted incidents so the room can
 * train on the real wall. While it runs the node's status carries it (every window shows the
 * DIỄN TẬP band), every alert raised meanwhile is marked (AlertService.markDrill), and its start
 * and end are audited. It ends by itself when the incident's script has cleared; one at a time.
 */
import { ContractError, type Actor, type DrillIncident, type DrillState } from '../../../native-bridge/contract.js';
import { DRILL_INCIDENT_TITLES } from '../../../native-bridge/drills.js';
import type { AuditSink } from '../../common/ports.js';
import type { AlertService } from '../alert-service.js';

/** Plays a scripted incident, resolving once it has cleared (the simulator's playDrill). */
export type DrillPlayer = (incident: DrillIncident) => Promise<void>;

export interface DrillServiceOptions {
  alerts: Pick<AlertService, 'raise' | 'markDrill'>;
  audit: AuditSink;
  /** The drill started or ended: the node's status changed. */
  changed: () => void;
  log: (line: string) => void;
  clock?: () => number;
}

export class DrillService {
  private player: DrillPlayer | null = null;
  private current: DrillState | null = null;

  constructor(private readonly options: DrillServiceOptions) {}

  attach(player: DrillPlayer | null): void {
    this.player = player;
  }

  state(): DrillState | null {
    return this.current;
  }

  start(incident: DrillIncident, actor: Actor): DrillState {
    const play = this.player;
    if (!play) throw new ContractError('not-found', 'drills play the embedded simulated province, and this host takes real gateways: nothing can be simulated on it', 'incident');
    const running = this.current;
    if (running) {
      throw new ContractError('conflict', `a drill is already under way (${DRILL_INCIDENT_TITLES[running.incident].en}, started by ${running.startedBy.name}); it ends by itself when its incident clears`, 'incident');
    }
    const title = DRILL_INCIDENT_TITLES[incident];
    const drill: DrillState = { incident, startedAt: (this.options.clock ?? Date.now)(), startedBy: { id: actor.id, name: actor.name ?? actor.id } };
    this.current = drill;
    this.options.audit.record({ action: 'drill.start', actor, target: incident, details: { title: title.vi } });
    this.options.alerts.raise('info', 'drill', {
      vi: `Bắt đầu diễn tập "${title.vi}" do ${drill.startedBy.name} khởi động: các cảnh báo đến khi kết thúc là giả định`,
      en: `Drill "${title.en}" started by ${drill.startedBy.name}: alerts until it ends are simulated`,
    });
    this.options.alerts.markDrill(true);
    this.options.changed();
    play(incident)
      .catch((error: unknown) => this.options.log(`ioc-wall: drill ${incident} failed: ${String(error)}`))
      .finally(() => this.end(drill));
    return drill;
  }

  private end(drill: DrillState): void {
    if (this.current !== drill) return;
    const title = DRILL_INCIDENT_TITLES[drill.incident];
    this.current = null;
    this.options.alerts.markDrill(false);
    this.options.alerts.raise('info', 'drill', { vi: `Kết thúc diễn tập "${title.vi}"`, en: `Drill "${title.en}" ended` });
    this.options.audit.record({ action: 'drill.end', actor: null, target: drill.incident, details: { startedAt: drill.startedAt, startedBy: drill.startedBy.id } });
    this.options.changed();
  }
}
