/**
 * Evaluates trigger rules (native-bridge/trigger-rules.ts) on live data. Pure and deterministic:
 * the host feeds it sensors, readings, object positions and events as they arrive and calls
 * tick(now) on its own clock; tests replay recorded traces the same way.
 *
 * Edge-triggered: a rule fires once when its condition becomes true and reports one clear when it
 * stops being true. Threshold, rate and cluster rules are one condition per rule; geofence,
 * signal-lost and event rules are one condition per object, sensor or event, so two vessels
 * leaving a zone are two firings. Schedule rules fire on matching cron minutes and never clear;
 * manual rules never fire here.
 *
 * Readings older than a sensor's latest are dropped (a late packet must not undo a newer state).
 */
import { distanceM, EARTH_RADIUS_M, flattenPolygons, insidePolygons, type FlatPolygons } from '../../native-bridge/geo.js';
import { readingState } from '../../native-bridge/reading-state.js';
import type { PolygonCoordinates } from '../../native-bridge/spatial-query.js';
import {
  EVENT_CATEGORIES,
  parseCron,
  SEVERITIES,
  type CronSchedule,
  type Selector,
  type TriggerClear,
  type TriggerFiring,
  type TriggerRule,
} from '../../native-bridge/trigger-rules.js';

export interface TriggerEntry {
  id: string;
  rule: TriggerRule;
}

export interface LonLat {
  lon: number;
  lat: number;
}

export interface TriggerSensor {
  id: string;
  kind: string;
  commune: string;
  location: LonLat;
  thresholds: { warning?: number | undefined; critical?: number | undefined };
}

export interface TriggerEventItem {
  id: string;
  category: (typeof EVENT_CATEGORIES)[number];
  severity: (typeof SEVERITIES)[number];
  at: number;
  location?: LonLat | undefined;
  cleared: boolean;
  /** What the gateway calls it (people read this, never the id). */
  title?: { vi: string; en: string } | undefined;
}

/** A firing or clear, with the id of the entry whose rule it is (ruleIndex is the entry's position). */
export type Firing = TriggerFiring & { id: string };
export type Clear = TriggerClear & { id: string };

export interface TickResult {
  fired: Firing[];
  cleared: Clear[];
}

/** A rate rule clears when the change over its window falls under this share of `change`, so a steady rise right at the limit does not flap. */
export const RATE_CLEAR_FRACTION = 0.5;
/** Positions older than this do not count towards a cluster: a silent vessel is not known to be there (signal-lost rules report it). */
export const CLUSTER_POSITION_MAX_AGE_MS = 10 * 60_000;
/** Rate windows keep at most this many min/max buckets per sensor, however often it reports. */
export const RATE_BUCKETS = 240;
/** A tick after a long pause looks back at most this far for schedule minutes (one firing for the latest). */
export const SCHEDULE_LOOKBACK_MS = 24 * 60 * 60_000;

const MINUTE_MS = 60_000;
const METRES_PER_DEGREE_LAT = (Math.PI * EARTH_RADIUS_M) / 180;

// ---------------------------------------------------------------------------------------------
// Helpers

interface CompiledSelector {
  sensor(sensor: TriggerSensor): boolean;
  object(id: string, kind: string): boolean;
}

function compileSelector(selector: Selector): CompiledSelector {
  const kinds = selector.kinds && new Set(selector.kinds);
  const ids = selector.ids && new Set(selector.ids);
  const communes = selector.communes && new Set(selector.communes);
  const common = (id: string, kind: string) => (!kinds || kinds.has(kind)) && (!ids || ids.has(id));
  return {
    sensor: (s) => selector.layer !== 'object' && common(s.id, s.kind) && (!communes || communes.has(s.commune)),
    // Objects carry no commune, so a selector naming communes selects sensors only.
    object: (id, kind) => selector.layer !== 'sensor' && !communes && common(id, kind),
  };
}

/** "a, b, c +4": ids for a detail line, short enough for the alert feed. */
/** What people call a sensor, object or event by its id (its name in the live picture); undefined: not known. */
export type SubjectNames = (id: string) => string | undefined;

/** The first five subjects by name (a firing's text is read by people; its `subjects` keep the ids). */
function listNames(ids: readonly string[], names: SubjectNames): string {
  const shown = ids.slice(0, 5).map((id) => names(id) ?? id).join(', ');
  return ids.length > 5 ? `${shown} +${ids.length - 5}` : shown;
}

const SEVERITY_TEXT: Record<(typeof SEVERITIES)[number], { vi: string; en: string }> = {
  info: { vi: 'thông tin', en: 'info' },
  warning: { vi: 'cảnh báo', en: 'warning' },
  critical: { vi: 'nguy hiểm', en: 'critical' },
};

function formatMinutes(ms: number): { vi: string; en: string } {
  const minutes = Math.round((ms / MINUTE_MS) * 10) / 10;
  return { vi: `${minutes} phút`, en: `${minutes} min` };
}

function latest(times: readonly (number | undefined)[]): number | undefined {
  let result: number | undefined;
  for (const time of times) if (time !== undefined && (result === undefined || time > result)) result = time;
  return result;
}

/** Fixed-capacity FIFO: the oldest entry is overwritten when full. */
class RingBuffer<T> {
  private readonly items: (T | undefined)[];
  private start = 0;
  private count = 0;

  constructor(capacity: number) {
    this.items = new Array<T | undefined>(capacity);
  }

  get size(): number {
    return this.count;
  }

  push(item: T): void {
    const capacity = this.items.length;
    this.items[(this.start + this.count) % capacity] = item;
    if (this.count < capacity) this.count++;
    else this.start = (this.start + 1) % capacity;
  }

  /** i = 0 is the oldest. */
  at(i: number): T {
    return this.items[(this.start + i) % this.items.length] as T;
  }

  newest(): T | undefined {
    return this.count === 0 ? undefined : this.at(this.count - 1);
  }

  dropOldest(): void {
    this.items[this.start] = undefined;
    this.start = (this.start + 1) % this.items.length;
    this.count--;
  }
}

interface Sink {
  fired: Firing[];
  cleared: Clear[];
}

/** The open firings of one rule, by condition key (the rule itself, or one subject). */
class Episodes {
  private readonly open = new Map<string, { at: number; subjects: string[] }>();

  constructor(
    private readonly id: string,
    private readonly ruleIndex: number,
    private readonly sink: Sink,
    private readonly names: SubjectNames,
  ) {}

  /** A subject as people call it. */
  name(id: string): string {
    return this.names(id) ?? id;
  }

  /** Up to five subjects as people call them. */
  list(ids: readonly string[]): string {
    return listNames(ids, this.names);
  }

  isOpen(key: string): boolean {
    return this.open.has(key);
  }

  fire(key: string, firing: Omit<TriggerFiring, 'ruleIndex'>): void {
    if (this.open.has(key)) return;
    this.open.set(key, { at: firing.at, subjects: firing.subjects });
    this.sink.fired.push({ id: this.id, ruleIndex: this.ruleIndex, ...firing });
  }

  /** A firing that is over as soon as it happens (a schedule's minute): nothing stays open, no clear follows. */
  momentary(firing: Omit<TriggerFiring, 'ruleIndex'>): void {
    this.sink.fired.push({ id: this.id, ruleIndex: this.ruleIndex, ...firing });
  }

  clear(key: string, at: number): void {
    const episode = this.open.get(key);
    if (!episode) return;
    this.open.delete(key);
    this.sink.cleared.push({ id: this.id, ruleIndex: this.ruleIndex, at: Math.max(at, episode.at), subjects: episode.subjects });
  }
}

const RULE_KEY = 'rule';

// ---------------------------------------------------------------------------------------------
// One evaluator per rule type

abstract class RuleEvaluator {
  constructor(protected readonly episodes: Episodes) {}
  sensorRegistered(_sensor: TriggerSensor): void {}
  reading(_sensor: TriggerSensor, _value: number, _at: number): void {}
  objectPosition(_id: string, _kind: string, _position: LonLat, _at: number): void {}
  event(_item: TriggerEventItem): void {}
  tick(_now: number): void {}
}

type ThresholdRule = Extract<TriggerRule, { type: 'threshold' }>;

class ThresholdEvaluator extends RuleEvaluator {
  private readonly selects: CompiledSelector;
  /** Selected sensors: since when the latest readings have been in the level, and when each last left it. */
  private readonly members = new Map<string, { sensor: TriggerSensor; inLevelSince?: number; leftAt?: number }>();

  constructor(
    episodes: Episodes,
    private readonly rule: ThresholdRule,
  ) {
    super(episodes);
    this.selects = compileSelector(rule.sensors);
  }

  override sensorRegistered(sensor: TriggerSensor): void {
    if (!this.selects.sensor(sensor)) this.members.delete(sensor.id);
    else this.members.set(sensor.id, { ...this.members.get(sensor.id), sensor });
  }

  private inLevel(value: number, sensor: TriggerSensor): boolean {
    const { level } = this.rule;
    if (level === 'warning') return readingState(value, sensor.thresholds) !== 'normal';
    if (level === 'critical') return readingState(value, sensor.thresholds) === 'critical';
    return (level.above !== undefined && value >= level.above) || (level.below !== undefined && value <= level.below);
  }

  override reading(sensor: TriggerSensor, value: number, at: number): void {
    const member = this.members.get(sensor.id);
    if (!member) return;
    if (this.inLevel(value, sensor)) member.inLevelSince ??= at;
    else if (member.inLevelSince !== undefined) {
      member.inLevelSince = undefined;
      member.leftAt = at;
    }
  }

  override tick(now: number): void {
    const forMs = this.rule.forSeconds * 1000;
    if (!this.episodes.isOpen(RULE_KEY)) {
      const held = [...this.members.values()]
        .filter((m): m is typeof m & { inLevelSince: number } => m.inLevelSince !== undefined && m.inLevelSince + forMs <= now)
        .sort((a, b) => a.inLevelSince - b.inLevelSince);
      if (held.length < this.rule.minCount) return;
      const subjects = held.map((m) => m.sensor.id);
      const level = this.levelText();
      const duration = forMs > 0 ? formatMinutes(forMs) : undefined;
      this.episodes.fire(RULE_KEY, {
        at: held[this.rule.minCount - 1]!.inLevelSince + forMs,
        subjects,
        location: held[0]!.sensor.location,
        detail: {
          vi: `${subjects.length} cảm biến ở mức ${level.vi}${duration ? ` trong ${duration.vi}` : ''}: ${this.episodes.list(subjects)}`,
          en: `${subjects.length} sensor(s) at ${level.en}${duration ? ` for ${duration.en}` : ''}: ${this.episodes.list(subjects)}`,
        },
      });
      return;
    }
    // Hysteresis: the firing holds until every selected sensor is out of the level.
    const members = [...this.members.values()];
    if (members.some((m) => m.inLevelSince !== undefined)) return;
    this.episodes.clear(RULE_KEY, latest(members.map((m) => m.leftAt)) ?? now);
  }

  private levelText(): { vi: string; en: string } {
    const { level } = this.rule;
    if (level === 'warning') return { vi: 'cảnh báo', en: 'warning level' };
    if (level === 'critical') return { vi: 'nguy hiểm', en: 'critical level' };
    const parts = [...(level.above !== undefined ? [`≥ ${level.above}`] : []), ...(level.below !== undefined ? [`≤ ${level.below}`] : [])];
    return { vi: parts.join(' hoặc '), en: parts.join(' or ') };
  }
}

type RateRule = Extract<TriggerRule, { type: 'rate' }>;

/** Readings folded into time buckets (a window's worth at most), keeping each bucket's extremes. */
interface RateBucket {
  start: number;
  min: number;
  max: number;
}

interface RateMember {
  sensor: TriggerSensor;
  buckets: RingBuffer<RateBucket>;
  latest?: number;
  exceedingSince?: number;
  belowAt?: number;
}

class RateEvaluator extends RuleEvaluator {
  private readonly selects: CompiledSelector;
  private readonly windowMs: number;
  private readonly bucketMs: number;
  private readonly members = new Map<string, RateMember>();

  constructor(
    episodes: Episodes,
    private readonly rule: RateRule,
  ) {
    super(episodes);
    this.selects = compileSelector(rule.sensors);
    this.windowMs = rule.perMinutes * MINUTE_MS;
    this.bucketMs = this.windowMs / RATE_BUCKETS;
  }

  override sensorRegistered(sensor: TriggerSensor): void {
    if (!this.selects.sensor(sensor)) this.members.delete(sensor.id);
    else {
      const member = this.members.get(sensor.id);
      if (member) member.sensor = sensor;
      else this.members.set(sensor.id, { sensor, buckets: new RingBuffer(RATE_BUCKETS + 1) });
    }
  }

  override reading(sensor: TriggerSensor, value: number, at: number): void {
    const member = this.members.get(sensor.id);
    if (!member) return;
    const newest = member.buckets.newest();
    if (newest && at - newest.start < this.bucketMs) {
      newest.min = Math.min(newest.min, value);
      newest.max = Math.max(newest.max, value);
    } else member.buckets.push({ start: at, min: value, max: value });
    member.latest = value;
    this.evaluate(member, at);
  }

  override tick(now: number): void {
    for (const member of this.members.values()) this.evaluate(member, now);
    const exceeding = [...this.members.values()].filter((m): m is typeof m & { exceedingSince: number } => m.exceedingSince !== undefined);
    if (exceeding.length > 0) {
      exceeding.sort((a, b) => a.exceedingSince - b.exceedingSince);
      const subjects = exceeding.map((m) => m.sensor.id);
      const rises = this.rule.direction === 'rise';
      const window = formatMinutes(this.windowMs);
      this.episodes.fire(RULE_KEY, {
        at: exceeding[0]!.exceedingSince,
        subjects,
        location: exceeding[0]!.sensor.location,
        detail: {
          vi: `${rises ? 'Tăng' : 'Giảm'} nhanh (≥ ${this.rule.change} trong ${window.vi}): ${this.episodes.list(subjects)}`,
          en: `Fast ${rises ? 'rise' : 'fall'} (≥ ${this.rule.change} in ${window.en}): ${this.episodes.list(subjects)}`,
        },
      });
    } else if (this.episodes.isOpen(RULE_KEY)) {
      this.episodes.clear(RULE_KEY, latest([...this.members.values()].map((m) => m.belowAt)) ?? now);
    }
  }

  /** The change from the window's extreme to the latest value, with the window ending at `at`. */
  private evaluate(member: RateMember, at: number): void {
    const { buckets } = member;
    // The newest bucket stays: it holds the current value.
    while (buckets.size > 1 && buckets.at(0).start < at - this.windowMs) buckets.dropOldest();
    if (member.latest === undefined) return;
    let change = 0;
    for (let i = 0; i < buckets.size; i++) {
      const bucket = buckets.at(i);
      change = Math.max(change, this.rule.direction === 'rise' ? member.latest - bucket.min : bucket.max - member.latest);
    }
    if (member.exceedingSince === undefined && change >= this.rule.change) member.exceedingSince = at;
    else if (member.exceedingSince !== undefined && change < this.rule.change * RATE_CLEAR_FRACTION) {
      member.exceedingSince = undefined;
      member.belowAt = at;
    }
  }
}

type GeofenceRule = Extract<TriggerRule, { type: 'geofence' }>;

class GeofenceEvaluator extends RuleEvaluator {
  private readonly selects: CompiledSelector;
  private readonly area: FlatPolygons;
  /** Per object: inside the area at its latest position, and that position's time. */
  private readonly objects = new Map<string, { inside: boolean; at: number }>();

  constructor(
    episodes: Episodes,
    private readonly rule: GeofenceRule,
    polygon: PolygonCoordinates,
    /** The area as people call it ("khu vực Phường Tam Hiệp", a drawn area's name). */
    private readonly area_: { vi: string; en: string },
  ) {
    super(episodes);
    this.selects = compileSelector(rule.objects);
    this.area = flattenPolygons([polygon]);
  }

  override objectPosition(id: string, kind: string, position: LonLat, at: number): void {
    if (!this.selects.object(id, kind)) return;
    const previous = this.objects.get(id);
    if (previous && at < previous.at) return;
    const inside = insidePolygons(this.area, position.lon, position.lat);
    this.objects.set(id, { inside, at });
    const enters = this.rule.on === 'enter';
    // An object first seen inside is in the area whatever its past; leaving needs it seen inside first.
    const conditionHolds = enters ? inside : previous?.inside === true && !inside;
    const conditionEnds = enters ? !inside : inside;
    if (conditionHolds) {
      this.episodes.fire(id, {
        at,
        subjects: [id],
        location: position,
        detail: enters
          ? { vi: `${this.episodes.name(id)} đi vào ${this.area_.vi}`, en: `${this.episodes.name(id)} entered ${this.area_.en}` }
          : { vi: `${this.episodes.name(id)} rời khỏi ${this.area_.vi}`, en: `${this.episodes.name(id)} left ${this.area_.en}` },
      });
    } else if (conditionEnds) this.episodes.clear(id, at);
  }
}

type SignalLostRule = Extract<TriggerRule, { type: 'signal-lost' }>;

class SignalLostEvaluator extends RuleEvaluator {
  private readonly selects: CompiledSelector;
  /** Watched sensors and objects (by layer-prefixed key): last data time (undefined until the first tick) and place. */
  private readonly targets = new Map<string, { id: string; lastAt: number | undefined; location?: LonLat }>();

  constructor(
    episodes: Episodes,
    private readonly rule: SignalLostRule,
  ) {
    super(episodes);
    this.selects = compileSelector(rule.target);
  }

  override sensorRegistered(sensor: TriggerSensor): void {
    const key = `sensor/${sensor.id}`;
    if (!this.selects.sensor(sensor)) this.targets.delete(key);
    else if (!this.targets.has(key)) this.targets.set(key, { id: sensor.id, lastAt: undefined, location: sensor.location });
  }

  override reading(sensor: TriggerSensor, _value: number, at: number): void {
    this.heard(`sensor/${sensor.id}`, at);
  }

  override objectPosition(id: string, kind: string, position: LonLat, at: number): void {
    if (!this.selects.object(id, kind)) return;
    const key = `object/${id}`;
    const target = this.targets.get(key);
    if (!target) this.targets.set(key, { id, lastAt: at, location: position });
    else if (target.lastAt === undefined || at >= target.lastAt) target.location = position;
    this.heard(key, at);
  }

  private heard(key: string, at: number): void {
    const target = this.targets.get(key);
    if (!target) return;
    target.lastAt = Math.max(target.lastAt ?? at, at);
    this.episodes.clear(key, at);
  }

  override tick(now: number): void {
    const afterMs = this.rule.afterSeconds * 1000;
    for (const [key, target] of this.targets) {
      // A sensor never heard from is timed from when the engine first watched it.
      target.lastAt ??= now;
      if (now - target.lastAt < afterMs) continue;
      const silence = formatMinutes(afterMs);
      this.episodes.fire(key, {
        at: target.lastAt + afterMs,
        subjects: [target.id],
        ...(target.location ? { location: target.location } : {}),
        detail: { vi: `Mất tín hiệu ${this.episodes.name(target.id)} quá ${silence.vi}`, en: `No signal from ${this.episodes.name(target.id)} for ${silence.en}` },
      });
    }
  }
}

type ClusterRule = Extract<TriggerRule, { type: 'cluster' }>;

class ClusterEvaluator extends RuleEvaluator {
  private readonly selects: CompiledSelector;
  private readonly positions = new Map<string, LonLat & { at: number }>();
  /** Pairs ("a\nb", a < b) within radiusM at the last tick, and since when they have been. */
  private togetherSince = new Map<string, number>();

  constructor(
    episodes: Episodes,
    private readonly rule: ClusterRule,
  ) {
    super(episodes);
    this.selects = compileSelector(rule.objects);
  }

  override objectPosition(id: string, kind: string, position: LonLat, at: number): void {
    if (!this.selects.object(id, kind)) return;
    const previous = this.positions.get(id);
    if (!previous || at >= previous.at) this.positions.set(id, { lon: position.lon, lat: position.lat, at });
  }

  override tick(now: number): void {
    for (const [id, position] of this.positions) if (now - position.at > CLUSTER_POSITION_MAX_AGE_MS) this.positions.delete(id);
    this.updatePairs();
    const group = this.findGroup(now);
    if (!group) {
      this.episodes.clear(RULE_KEY, now);
      return;
    }
    if (this.episodes.isOpen(RULE_KEY)) return;
    let since = -Infinity;
    for (const [i, a] of group.entries()) for (const b of group.slice(i + 1)) since = Math.max(since, this.togetherSince.get(pairKey(a, b))!);
    const members = group.map((id) => this.positions.get(id)!);
    const minutes = formatMinutes(this.rule.forMinutes * MINUTE_MS);
    this.episodes.fire(RULE_KEY, {
      at: since + this.rule.forMinutes * MINUTE_MS,
      subjects: group,
      location: { lon: members.reduce((sum, p) => sum + p.lon, 0) / members.length, lat: members.reduce((sum, p) => sum + p.lat, 0) / members.length },
      detail: {
        vi: `${group.length} đối tượng tụ tập trong bán kính ${this.rule.radiusM} m quá ${minutes.vi}: ${this.episodes.list(group)}`,
        en: `${group.length} objects within ${this.rule.radiusM} m of each other for ${minutes.en}: ${this.episodes.list(group)}`,
      },
    });
  }

  /** Sweep by latitude: only objects within radiusM in latitude are measured. */
  private updatePairs(): void {
    const sorted = [...this.positions.entries()].sort((a, b) => a[1].lat - b[1].lat);
    const latitudeSpan = this.rule.radiusM / METRES_PER_DEGREE_LAT;
    const next = new Map<string, number>();
    for (let i = 0; i < sorted.length; i++) {
      const [idA, a] = sorted[i]!;
      for (let j = i + 1; j < sorted.length && sorted[j]![1].lat - a.lat <= latitudeSpan; j++) {
        const [idB, b] = sorted[j]!;
        if (distanceM(a.lon, a.lat, b.lon, b.lat) > this.rule.radiusM) continue;
        const key = pairKey(idA, idB);
        next.set(key, this.togetherSince.get(key) ?? Math.max(a.at, b.at));
      }
    }
    this.togetherSince = next;
  }

  /**
   * The largest group (at least `count`) whose every pair has been together for forMinutes; while
   * the rule is firing, together at all is enough. Groups are grown greedily from each object,
   * nearest neighbours first: exact for compact gatherings, and it never reports a group that is not one.
   */
  private findGroup(now: number): string[] | undefined {
    const requiredMs = this.episodes.isOpen(RULE_KEY) ? 0 : this.rule.forMinutes * MINUTE_MS;
    const neighbours = new Map<string, Set<string>>();
    for (const [key, since] of this.togetherSince) {
      if (since + requiredMs > now) continue;
      const [a, b] = key.split('\n') as [string, string];
      (neighbours.get(a) ?? neighbours.set(a, new Set()).get(a)!).add(b);
      (neighbours.get(b) ?? neighbours.set(b, new Set()).get(b)!).add(a);
    }
    let best: string[] | undefined;
    for (const seed of [...neighbours.keys()].sort()) {
      const adjacent = neighbours.get(seed)!;
      if (adjacent.size + 1 < this.rule.count || (best && adjacent.size + 1 <= best.length)) continue;
      const origin = this.positions.get(seed)!;
      const fromOrigin = (id: string) => {
        const { lon, lat } = this.positions.get(id)!;
        return distanceM(origin.lon, origin.lat, lon, lat);
      };
      const candidates = [...adjacent].sort((a, b) => fromOrigin(a) - fromOrigin(b) || a.localeCompare(b));
      const group = [seed];
      for (const candidate of candidates) if (group.every((member) => neighbours.get(member)!.has(candidate))) group.push(candidate);
      if (group.length >= this.rule.count && (!best || group.length > best.length)) best = group;
    }
    return best?.sort();
  }
}

function pairKey(a: string, b: string): string {
  return a < b ? `${a}\n${b}` : `${b}\n${a}`;
}

type EventRule = Extract<TriggerRule, { type: 'event' }>;

const CATEGORY_TEXT: Record<TriggerEventItem['category'], { vi: string; en: string }> = {
  flood: { vi: 'ngập lụt', en: 'flood' },
  fire: { vi: 'cháy nổ', en: 'fire' },
  traffic: { vi: 'giao thông', en: 'traffic' },
  pollution: { vi: 'ô nhiễm', en: 'pollution' },
  vessel: { vi: 'tàu cá', en: 'vessel' },
  device: { vi: 'thiết bị', en: 'device' },
  other: { vi: 'khác', en: 'other' },
};

class EventEvaluator extends RuleEvaluator {
  private readonly categories: ReadonlySet<string>;

  constructor(
    episodes: Episodes,
    private readonly rule: EventRule,
  ) {
    super(episodes);
    this.categories = new Set(rule.categories);
  }

  override event(item: TriggerEventItem): void {
    const matches = !item.cleared && this.categories.has(item.category) && SEVERITIES.indexOf(item.severity) >= SEVERITIES.indexOf(this.rule.minSeverity);
    if (!matches) {
      this.episodes.clear(item.id, item.at);
      return;
    }
    const category = CATEGORY_TEXT[item.category];
    this.episodes.fire(item.id, {
      at: item.at,
      subjects: [item.id],
      ...(item.location ? { location: item.location } : {}),
      detail: {
        vi: `Sự kiện ${category.vi} (${SEVERITY_TEXT[item.severity].vi}): ${item.title?.vi ?? this.episodes.name(item.id)}`,
        en: `${category.en} event (${SEVERITY_TEXT[item.severity].en}): ${item.title?.en ?? this.episodes.name(item.id)}`,
      },
    });
  }
}

type ScheduleRule = Extract<TriggerRule, { type: 'schedule' }>;

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

class ScheduleEvaluator extends RuleEvaluator {
  private readonly schedule: CronSchedule;
  private readonly format: Intl.DateTimeFormat;
  private lastTick: number | undefined;

  constructor(
    episodes: Episodes,
    private readonly rule: ScheduleRule,
  ) {
    super(episodes);
    const parsed = parseCron(rule.cron);
    if (!parsed.ok) throw new Error(`cron ${JSON.stringify(rule.cron)}: ${parsed.message}`);
    this.schedule = parsed.schedule;
    this.format = new Intl.DateTimeFormat('en-US', { timeZone: rule.timezone, hourCycle: 'h23', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', weekday: 'short' });
  }

  /** Fires once for the latest matching minute start in (last tick, now]; the first tick only sets the clock. */
  override tick(now: number): void {
    const since = this.lastTick;
    this.lastTick = now;
    if (since === undefined || now <= since) return;
    const earliest = Math.max(since, now - SCHEDULE_LOOKBACK_MS);
    for (let minute = Math.floor(now / MINUTE_MS) * MINUTE_MS; minute > earliest; minute -= MINUTE_MS) {
      if (!this.matches(minute)) continue;
      this.episodes.momentary({ at: minute, subjects: [], detail: { vi: `Theo lịch ${this.rule.cron}`, en: `Scheduled ${this.rule.cron}` } });
      return;
    }
  }

  private matches(epochMs: number): boolean {
    const parts: Record<string, string> = {};
    for (const part of this.format.formatToParts(epochMs)) parts[part.type] = part.value;
    const { minutes, hours, daysOfMonth, months, daysOfWeek, dayOrMatch } = this.schedule;
    if (!minutes.has(Number(parts.minute)) || !hours.has(Number(parts.hour)) || !months.has(Number(parts.month))) return false;
    const dayOfMonth = daysOfMonth.has(Number(parts.day));
    const dayOfWeek = daysOfWeek.has(WEEKDAYS.indexOf(parts.weekday!));
    return dayOrMatch ? dayOfMonth || dayOfWeek : dayOfMonth && dayOfWeek;
  }
}

// ---------------------------------------------------------------------------------------------

export class TriggerEngine {
  private readonly evaluators: RuleEvaluator[];
  private readonly sensors = new Map<string, { sensor: TriggerSensor; lastAt?: number }>();
  private readonly sink: Sink = { fired: [], cleared: [] };

  /**
   * Throws when a geofence names an area not in `areas` (the caller loads areas first). `names`
   * gives the firings' texts people's names for their subjects.
   */
  constructor(entries: readonly TriggerEntry[], areas: ReadonlyMap<string, PolygonCoordinates> = new Map(), names: SubjectNames = () => undefined) {
    this.evaluators = entries.flatMap<RuleEvaluator>(({ id, rule }, ruleIndex) => {
      const episodes = new Episodes(id, ruleIndex, this.sink, names);
      switch (rule.type) {
        case 'manual':
          return [];
        case 'schedule':
          return [new ScheduleEvaluator(episodes, rule)];
        case 'threshold':
          return [new ThresholdEvaluator(episodes, rule)];
        case 'rate':
          return [new RateEvaluator(episodes, rule)];
        case 'geofence': {
          if ('polygon' in rule.area) {
            const drawn = rule.area.name ?? { vi: 'vùng khoanh trong kịch bản', en: "the scenario's drawn area" };
            return [new GeofenceEvaluator(episodes, rule, [rule.area.polygon], drawn)];
          }
          const polygon = areas.get(rule.area.areaId);
          if (!polygon) throw new Error(`trigger ${JSON.stringify(id)}: unknown area ${JSON.stringify(rule.area.areaId)}`);
          return [new GeofenceEvaluator(episodes, rule, polygon, { vi: `khu vực ${rule.area.areaId}`, en: rule.area.areaId })];
        }
        case 'signal-lost':
          return [new SignalLostEvaluator(episodes, rule)];
        case 'cluster':
          return [new ClusterEvaluator(episodes, rule)];
        case 'event':
          return [new EventEvaluator(episodes, rule)];
      }
    });
  }

  sensorRegistered(sensor: TriggerSensor): void {
    const known = this.sensors.get(sensor.id);
    this.sensors.set(sensor.id, { ...known, sensor });
    for (const evaluator of this.evaluators) evaluator.sensorRegistered(sensor);
  }

  /** Readings of unregistered sensors are ignored: rules select sensors by kind and commune. */
  reading(id: string, value: number, at: number): void {
    const known = this.sensors.get(id);
    if (!known || (known.lastAt !== undefined && at < known.lastAt)) return;
    known.lastAt = at;
    for (const evaluator of this.evaluators) evaluator.reading(known.sensor, value, at);
  }

  objectPosition(id: string, kind: string, lon: number, lat: number, at: number): void {
    for (const evaluator of this.evaluators) evaluator.objectPosition(id, kind, { lon, lat }, at);
  }

  event(item: TriggerEventItem): void {
    for (const evaluator of this.evaluators) evaluator.event(item);
  }

  /** Evaluates time-dependent conditions at `now` and returns everything fired or cleared since the last tick. */
  tick(now: number): TickResult {
    for (const evaluator of this.evaluators) evaluator.tick(now);
    return { fired: this.sink.fired.splice(0), cleared: this.sink.cleared.splice(0) };
  }
}
