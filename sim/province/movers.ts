/**
 * The running province's moving objects: fire trucks on straight-line trips, and fishing vessels
 * wandering in their permitted zones (leaving one raises an event; coming back clears it).
 */
import type { GeoPoint } from '../../native-bridge/gateway-protocol.js';
import { demoMovers, type MoverState, type Zone } from './inventory.js';
import { clamp, round } from './models.js';
import type { Dice, EventDesk, Gateways } from './shared.js';

const KM_PER_DEG = 111.32;

export const inZone = (pt: GeoPoint, z: Zone): boolean => pt.lat >= z.latMin && pt.lat <= z.latMax && pt.lon >= z.lonMin && pt.lon <= z.lonMax;
export const zoneCentre = (z: Zone): GeoPoint => ({ lat: (z.latMin + z.latMax) / 2, lon: (z.lonMin + z.lonMax) / 2 });

const headingTo = (from: GeoPoint, to: GeoPoint): number => {
  const dy = to.lat - from.lat;
  const dx = (to.lon - from.lon) * Math.cos((from.lat * Math.PI) / 180);
  return ((Math.atan2(dx, dy) * 180) / Math.PI + 360) % 360;
};

interface MoverFleetOptions {
  gateways: Gateways;
  events: EventDesk;
  dice: Dice;
  /** Incident script time multiplier: trips last travelS × timeScale. */
  timeScale: number;
}

/** The fire trucks and fishing vessels, moved on every tick and published on their own period. */
export class MoverFleet {
  readonly movers: MoverState[] = demoMovers();

  constructor(private readonly o: MoverFleetOptions) {}

  /** Publishes every mover of a running gateway where it starts (in the state before the gateways start). */
  install(now: number): void {
    for (const m of this.movers) {
      if (!this.o.gateways.get(m.gateway)) continue;
      m.nextAt = now + this.o.dice.random() * 2000;
      this.publish(m, now);
    }
  }

  /** Moves every mover of a running gateway (dtMs since the last tick) and publishes those that are due. */
  tick(now: number, dtMs: number): void {
    for (const m of this.movers) {
      if (!this.o.gateways.get(m.gateway)) continue;
      if (m.kind === 'vessel') this.moveVessel(m, dtMs);
      else this.moveTruck(m, now);
      if (now < m.nextAt) continue;
      const moving = m.kind === 'vessel' || m.trip;
      // A truck on a trip reports at least five times on the way.
      m.nextAt = now + Math.min(this.o.dice.jitter(moving ? 3000 : 30_000), m.trip ? m.trip.durationMs / 5 : Infinity);
      this.publish(m, now);
    }
  }

  publish(m: MoverState, now: number): void {
    this.o.gateways.get(m.gateway)?.set({ type: 'object', id: m.id, kind: m.kind, name: m.name, at: now, location: { lat: round(m.location.lat, 6), lon: round(m.location.lon, 6) }, headingDeg: round(((m.headingDeg % 360) + 360) % 360, 0), speedKmh: round(m.speedKmh, 1) });
  }

  /** Sends a truck in a straight line to `to`, arriving after travelS of script time. */
  startTrip(m: MoverState, to: GeoPoint, travelS: number): void {
    m.trip = { from: { ...m.location }, to: { ...to }, startAt: Date.now(), durationMs: travelS * 1000 * this.o.timeScale };
    m.nextAt = 0;
  }

  moveVessel(m: MoverState, dtMs: number): void {
    const zone = m.zone!;
    const { dice, events, timeScale } = this.o;
    if (m.escapeTo) {
      m.headingDeg = headingTo(m.location, m.escapeTo);
      m.speedKmh = 14;
    } else {
      m.headingDeg = (m.headingDeg + dice.noise() * 25 + 360) % 360;
      m.speedKmh = clamp(m.speedKmh + dice.noise(), 3, 12);
      if (!inZone(m.location, zone)) m.headingDeg = headingTo(m.location, zoneCentre(zone));
    }
    // Demo speed-up: vessels move 20× faster than their speed so the map shows motion (and with the
    // incident script's time scale while one is heading out).
    const km = (m.speedKmh * dtMs * (m.escapeTo ? 45 / timeScale : 20)) / 3_600_000;
    const rad = (m.headingDeg * Math.PI) / 180;
    m.location = { lat: m.location.lat + (km * Math.cos(rad)) / KM_PER_DEG, lon: m.location.lon + (km * Math.sin(rad)) / (KM_PER_DEG * Math.cos((m.location.lat * Math.PI) / 180)) };
    if (!m.escapeTo && !inZone(m.location, zone)) {
      // Turn back at the border.
      m.location = { lat: clamp(m.location.lat, zone.latMin, zone.latMax), lon: clamp(m.location.lon, zone.lonMin, zone.lonMax) };
      m.headingDeg = (m.headingDeg + 180) % 360;
    }
    const outside = !inZone(m.location, zone);
    if (outside && !m.outside) {
      const id = events.newId(m.id);
      m.outside = { eventId: id };
      events.raise('gw-thuy-san', {
        id,
        severity: 'warning',
        category: 'vessel',
        title: { vi: `Tàu rời vùng hoạt động được phép: ${m.name}`, en: `Vessel left its permitted zone: ${m.name}` },
        location: { lat: round(m.location.lat, 6), lon: round(m.location.lon, 6) },
      });
    } else if (!outside && m.outside) {
      events.clear('gw-thuy-san', m.outside.eventId);
      m.outside = null;
    }
  }

  private moveTruck(m: MoverState, now: number): void {
    if (!m.trip) {
      m.speedKmh = 0;
      return;
    }
    const x = clamp((now - m.trip.startAt) / m.trip.durationMs, 0, 1);
    m.location = { lat: m.trip.from.lat + (m.trip.to.lat - m.trip.from.lat) * x, lon: m.trip.from.lon + (m.trip.to.lon - m.trip.from.lon) * x };
    m.headingDeg = headingTo(m.trip.from, m.trip.to);
    m.speedKmh = x >= 1 ? 0 : 40 + this.o.dice.noise() * 5;
    if (x >= 1) {
      m.trip = null;
      m.nextAt = 0; // publish the arrival now
    }
  }
}
