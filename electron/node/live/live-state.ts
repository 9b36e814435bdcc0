/**
 * The live field picture the windows see: sensor registry, latest reading per sensor and gateway
 * link health. Changes are coalesced (latest value per sensor wins) and flushed to windows as
 * columnar batches at most every `flushMs`, each with a sequence number so a window that missed
 * one resyncs with a snapshot.
 */
import type { GatewayLink, LiveBatch, LiveCamera, LiveSensor, LiveSnapshot, ReadingColumns } from '../../../native-bridge/contract.js';
import type { ItemChange } from '../gateway/gateway-hub.js';

const emptyColumns = (): ReadingColumns => ({ id: [], value: [], at: [] });

export class LiveState {
  private readonly sensors = new Map<string, LiveSensor>();
  private readonly cameras = new Map<string, LiveCamera>();
  private readonly latest = new Map<string, { value: number; at: number }>();
  private readonly links = new Map<string, GatewayLink>();
  private seq = 0;
  private pendingReadings = new Map<string, { value: number; at: number }>();
  private sensorsChanged = false;
  private camerasChanged = false;
  private linksChanged = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly listeners = new Set<(batch: LiveBatch) => void>();

  constructor(private readonly flushMs = 100) {}

  onBatch(listener: (batch: LiveBatch) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Applies a gateway's changes; with replacedAll the gateway's previous items are dropped first. */
  apply(gatewayId: string, changes: readonly ItemChange[], replacedAll = false): void {
    if (replacedAll) {
      for (const [id, sensor] of this.sensors) {
        if (sensor.gateway === gatewayId) {
          this.sensors.delete(id);
          this.latest.delete(id);
          this.sensorsChanged = true;
        }
      }
      for (const [id, camera] of this.cameras) {
        if (camera.gateway === gatewayId) {
          this.cameras.delete(id);
          this.camerasChanged = true;
        }
      }
    }
    for (const { op, item } of changes) {
      if (item.type === 'sensor') {
        if (op === 'delete') {
          this.sensors.delete(item.id);
          this.latest.delete(item.id);
        } else {
          const { type: _type, ...rest } = item;
          this.sensors.set(item.id, { ...rest, gateway: gatewayId });
        }
        this.sensorsChanged = true;
      } else if (item.type === 'camera') {
        if (op === 'delete') this.cameras.delete(item.id);
        else {
          const { type: _type, ...rest } = item;
          this.cameras.set(item.id, { ...rest, gateway: gatewayId });
        }
        this.camerasChanged = true;
      } else if (item.type === 'reading' && op === 'set') {
        const previous = this.latest.get(item.id);
        if (previous && previous.at > item.at) continue; // out-of-order reading: keep the newer one
        const value = { value: item.value, at: item.at };
        this.latest.set(item.id, value);
        this.pendingReadings.set(item.id, value);
      }
    }
    this.schedule();
  }

  setLink(link: GatewayLink): void {
    this.links.set(link.gateway, link);
    this.linksChanged = true;
    this.schedule();
  }

  linkList(): GatewayLink[] {
    return [...this.links.values()];
  }

  snapshot(): LiveSnapshot {
    const readings = emptyColumns();
    for (const [id, { value, at }] of this.latest) {
      readings.id.push(id);
      readings.value.push(value);
      readings.at.push(at);
    }
    return { seq: this.seq, sensors: [...this.sensors.values()], cameras: this.cameraList(), readings, links: this.linkList() };
  }

  cameraList(): LiveCamera[] {
    return [...this.cameras.values()];
  }

  /** Sends what is pending now (the timer calls this; tests and shutdown may too). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pendingReadings.size === 0 && !this.sensorsChanged && !this.camerasChanged && !this.linksChanged) return;
    const readings = emptyColumns();
    for (const [id, { value, at }] of this.pendingReadings) {
      readings.id.push(id);
      readings.value.push(value);
      readings.at.push(at);
    }
    const batch: LiveBatch = { seq: this.seq + 1, baseSeq: this.seq, readings };
    if (this.sensorsChanged) batch.sensors = [...this.sensors.values()];
    if (this.camerasChanged) batch.cameras = this.cameraList();
    if (this.linksChanged) batch.links = this.linkList();
    this.seq = batch.seq;
    this.pendingReadings = new Map();
    this.sensorsChanged = false;
    this.camerasChanged = false;
    this.linksChanged = false;
    this.listeners.forEach((l) => l(batch));
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => this.flush(), this.flushMs);
    this.timer.unref?.();
  }
}
