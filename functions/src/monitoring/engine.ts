/**
 * The monitoring engine (MON-1 aggregates, MON-3 alarms, MUN-3/4/5): folds a batch of parsed telemetry of one
 * device into its state, closes time buckets, and finds alarm transitions. Pure: no clock, no I/O; the ingest
 * handler reads the state, calls `foldTelemetry`, writes the state back (over the version it read, ADR 008) and turns
 * events into alarm records and cases.
 *
 * Why it is built this way:
 * - Queues deliver at least once and out of order, so a message is applied only if its `seq` is above the
 *   state's `lastSeq`; a redelivered batch changes nothing and emits nothing. A device that restarts counts from
 *   0 again: a lower seq with a timestamp later than any applied begins its new count.
 * - A sensor under water reports above the threshold every few seconds; alarms are transitions (raise, level,
 *   clear) kept in per-rule memory, so a herd of readings yields one raise.
 * - Durations (`forSeconds`) and rates are measured on device timestamps: a batch delayed in a queue must not
 *   look like a long or a sudden condition. Offline is measured on the platform clock: a silent device has no
 *   timestamps.
 * - The level of a raised alarm only rises; it clears when no level's condition holds (for `clearForSeconds`).
 *   A lower level after a higher one would hide how bad it got from the people disposing of it.
 */
import {
  alarmLevelRank,
  type AlarmEvent,
  type AlarmLevel,
  type AlarmRule,
} from '../../../contracts/src/alarms';
import type {
  Device,
  DeviceState,
  MetricAggregate,
  ReadingValue,
  RuleMemory,
  RunningBucket,
  TelemetryAggregate,
  TelemetryMessage,
} from '../../../contracts/src/devices';

/** The device fields the engine needs. */
export type MonitoredDevice = Pick<Device, 'tenant' | 'id' | 'kind'>;

/** Options of one fold. */
export interface FoldOptions {
  /** Aggregate bucket length; must divide a day (60, 300, 900, 3600 …) so buckets align to the clock. */
  bucketSeconds: number;
  /** Platform time the batch arrived (ISO); becomes the state's `receivedAt` when anything is applied. */
  receivedAt: string;
}

/** What one fold produced. */
export interface FoldResult {
  /** The new state (the input state is never mutated); undefined only when there was none and nothing applied. */
  state: DeviceState | undefined;
  /** Buckets closed by a message of a later bucket, oldest first. */
  closedBuckets: TelemetryAggregate[];
  /** Messages applied. */
  accepted: number;
  /** Messages at or below the last applied seq and no newer than the newest applied, or repeated: ignored. */
  duplicates: number;
  /** Applied messages that began a device's new count after a restart (a lower seq, a later time). */
  restarts: number;
  /** Applied messages whose device time falls before the running bucket (a clock set back): not aggregated. */
  late: number;
  /** Alarm transitions, in the order they happened. */
  events: AlarmEvent[];
}

const ms = (iso: string): number => Date.parse(iso);
const secondsBetween = (fromIso: string, toMs: number): number => (toMs - ms(fromIso)) / 1000;

function assertBucketSeconds(bucketSeconds: number): void {
  if (!Number.isInteger(bucketSeconds) || bucketSeconds <= 0 || 86_400 % bucketSeconds !== 0) {
    throw new RangeError(`bucketSeconds must be a positive integer that divides a day, got ${bucketSeconds}`);
  }
}

/** The UTC start of the bucket a device time falls in. */
export function bucketStartOf(ts: string, bucketSeconds: number): string {
  const size = bucketSeconds * 1000;
  return new Date(Math.floor(ms(ts) / size) * size).toISOString();
}

function addToBucket(bucket: RunningBucket, readings: Record<string, ReadingValue>): void {
  for (const [metric, value] of Object.entries(readings)) {
    const agg: MetricAggregate | undefined = bucket.metrics[metric];
    if (typeof value === 'number') {
      if (agg?.type === 'number') {
        agg.count += 1;
        agg.sum += value;
        agg.min = Math.min(agg.min, value);
        agg.max = Math.max(agg.max, value);
      } else {
        bucket.metrics[metric] = { type: 'number', count: 1, sum: value, min: value, max: value };
      }
    } else if (agg?.type === 'boolean') {
      agg.count += 1;
      agg.trueCount += value ? 1 : 0;
    } else {
      bucket.metrics[metric] = { type: 'boolean', count: 1, trueCount: value ? 1 : 0 };
    }
  }
}

function closeBucket(state: DeviceState, bucket: RunningBucket): TelemetryAggregate | undefined {
  // A bucket that only saw heartbeats has nothing to chart.
  if (Object.keys(bucket.metrics).length === 0) return undefined;
  return { tenant: state.tenant, deviceId: state.deviceId, kind: state.kind, bucketStart: bucket.bucketStart, bucketSeconds: bucket.bucketSeconds, metrics: bucket.metrics };
}

// ---------------------------------------------------------------------------------------------------------
// Rule evaluation, one message at a time

type Emit = (type: AlarmEvent['type'], rule: AlarmRule, level: AlarmLevel, value: ReadingValue, at: string) => void;

const isAbove = (a: AlarmLevel, b: AlarmLevel): boolean => alarmLevelRank(a) > alarmLevelRank(b);

function resetMemory(mem: RuleMemory): void {
  mem.level = null;
  delete mem.holdingSince;
  delete mem.trueSince;
  delete mem.normalSince;
}

/** Back to normal while raised: clear once it has stayed normal `clearForSeconds`. */
function maybeClear(rule: AlarmRule, mem: RuleMemory, clearForSeconds: number, value: ReadingValue, ts: string, emit: Emit): void {
  if (mem.level === null) return;
  mem.normalSince ??= ts;
  if (secondsBetween(mem.normalSince, ms(ts)) >= clearForSeconds) {
    emit('clear', rule, mem.level, value, ts);
    resetMemory(mem);
  }
}

function evaluateThreshold(rule: Extract<AlarmRule, { type: 'threshold' }>, mem: RuleMemory, value: number, ts: string, emit: Emit): void {
  const now = ms(ts);
  const holding = (mem.holdingSince ??= {});
  let target: AlarmLevel | null = null;
  let anyHolds = false;
  for (const l of rule.levels) {
    const holds = l.above !== undefined ? value > l.above : l.below !== undefined && value < l.below;
    if (!holds) {
      delete holding[l.level];
      continue;
    }
    anyHolds = true;
    const since = (holding[l.level] ??= ts);
    if (secondsBetween(since, now) >= l.forSeconds && (target === null || isAbove(l.level, target))) target = l.level;
  }
  if (!anyHolds) return maybeClear(rule, mem, rule.clearForSeconds, value, ts, emit);
  delete mem.normalSince;
  if (target === null) return;
  if (mem.level === null) emit('raise', rule, target, value, ts);
  else if (isAbove(target, mem.level)) emit('level', rule, target, value, ts);
  else return;
  mem.level = target;
}

function evaluateRate(rule: Extract<AlarmRule, { type: 'rate' }>, mem: RuleMemory, value: number, ts: string, emit: Emit): void {
  const previous = mem.previous;
  mem.previous = { value, ts };
  if (previous === undefined) return;
  const minutes = (ms(ts) - ms(previous.ts)) / 60_000;
  // Same instant or a clock set back: no rate to speak of; the new reading is the next baseline.
  if (minutes <= 0) return;
  const perMinute = (value - previous.value) / minutes;
  const { perMinuteAbove, direction } = rule.rate;
  const fast = direction === 'rise' ? perMinute > perMinuteAbove : direction === 'fall' ? -perMinute > perMinuteAbove : Math.abs(perMinute) > perMinuteAbove;
  // The event carries the rate (what crossed the limit), rounded to keep sensor noise out of the record.
  const rate = Math.round(perMinute * 1e6) / 1e6;
  if (!fast) return maybeClear(rule, mem, rule.clearForSeconds, rate, ts, emit);
  delete mem.normalSince;
  if (mem.level === null) {
    emit('raise', rule, rule.level, rate, ts);
    mem.level = rule.level;
  }
}

function evaluateState(rule: Extract<AlarmRule, { type: 'state' }>, mem: RuleMemory, value: boolean, ts: string, emit: Emit): void {
  if (!value) {
    delete mem.trueSince;
    if (mem.level !== null) {
      emit('clear', rule, mem.level, false, ts);
      resetMemory(mem);
    }
    return;
  }
  const since = (mem.trueSince ??= ts);
  if (mem.level === null && secondsBetween(since, ms(ts)) >= rule.forSeconds) {
    emit('raise', rule, rule.level, true, ts);
    mem.level = rule.level;
  }
}

function evaluate(rule: AlarmRule, mem: RuleMemory, message: TelemetryMessage, emit: Emit): void {
  if (rule.type === 'offline') return;
  const value = message.readings[rule.metric];
  if (rule.type === 'state') {
    if (typeof value === 'boolean') evaluateState(rule, mem, value, message.ts, emit);
    return;
  }
  if (typeof value !== 'number') return;
  if (rule.type === 'threshold') evaluateThreshold(rule, mem, value, message.ts, emit);
  else evaluateRate(rule, mem, value, message.ts, emit);
}

const minutesSilent = (fromIso: string, toMs: number): number => Math.round(((toMs - ms(fromIso)) / 60_000) * 10) / 10;

// ---------------------------------------------------------------------------------------------------------
// Public functions

/**
 * Fold a batch of parsed telemetry of one device into its state. Messages may come in any order and repeat;
 * they are applied in `seq` order, each at most once. `rules` are the device's effective rules
 * (`effectiveRules`); rules of another kind are ignored. Memory of rules not passed is kept as it is.
 */
export function foldTelemetry(
  state: DeviceState | undefined,
  device: MonitoredDevice,
  messages: readonly TelemetryMessage[],
  rules: readonly AlarmRule[],
  opts: FoldOptions,
): FoldResult {
  assertBucketSeconds(opts.bucketSeconds);
  const result: FoldResult = { state: undefined, closedBuckets: [], accepted: 0, duplicates: 0, restarts: 0, late: 0, events: [] };
  const emit: Emit = (type, rule, level, value, at) => result.events.push({ type, ruleId: rule.id, level, value, at });
  const mine = rules.filter((r) => r.kind === device.kind);
  let s: DeviceState | undefined = state === undefined ? undefined : structuredClone(state);
  let lastSeq = s?.lastSeq ?? -1;
  let newestMs = s ? ms(s.newestTs ?? s.lastTs) : -Infinity;
  // Array.prototype.sort is stable: of two copies of one seq, the first delivered is the one applied.
  const ordered = [...messages].sort((a, b) => a.seq - b.seq);

  for (const message of ordered) {
    const at = ms(message.ts);
    // A seq already reached is a repeat, unless the message is newer (device time) than any applied: then the
    // device restarted and counts from 0 again, and this message begins its new count.
    if (message.seq <= lastSeq && at <= newestMs) {
      result.duplicates += 1;
      continue;
    }
    if (message.seq <= lastSeq) result.restarts += 1;
    lastSeq = message.seq;
    result.accepted += 1;
    const newest = at > newestMs;
    newestMs = Math.max(newestMs, at);

    if (s === undefined) {
      s = { tenant: device.tenant, deviceId: device.id, kind: device.kind, lastSeq: message.seq, lastTs: message.ts, newestTs: message.ts, receivedAt: opts.receivedAt, readings: {}, online: true, bucket: null, rules: {} };
    } else if (result.accepted === 1) {
      // Heard again: offline alarms clear, once per batch, on the platform clock.
      for (const rule of mine) {
        const mem = s.rules[rule.id];
        if (rule.type !== 'offline' || mem?.level == null) continue;
        emit('clear', rule, mem.level, minutesSilent(s.receivedAt, ms(opts.receivedAt)), opts.receivedAt);
        resetMemory(mem);
      }
    }
    s.lastSeq = message.seq;
    s.lastTs = message.ts;
    if (newest) s.newestTs = message.ts;
    s.receivedAt = opts.receivedAt;
    s.online = true;
    Object.assign(s.readings, message.readings);

    const start = bucketStartOf(message.ts, opts.bucketSeconds);
    const running = s.bucket;
    if (running !== null && running.bucketSeconds === opts.bucketSeconds && ms(start) < ms(running.bucketStart)) {
      result.late += 1;
    } else {
      if (running === null || running.bucketSeconds !== opts.bucketSeconds || start !== running.bucketStart) {
        const closed = running === null ? undefined : closeBucket(s, running);
        if (closed) result.closedBuckets.push(closed);
        s.bucket = { bucketStart: start, bucketSeconds: opts.bucketSeconds, metrics: {} };
      }
      addToBucket(s.bucket!, message.readings);
    }

    for (const rule of mine) {
      const mem = (s.rules[rule.id] ??= { level: null });
      evaluate(rule, mem, message, emit);
    }
  }
  result.state = s;
  return result;
}

/**
 * Raise the offline alarms of a device not heard from for a rule's `offlineMinutes` (platform clock, `now` ISO).
 * Idempotent: a raised offline alarm is remembered in the returned state and not raised again until a message
 * clears it (in `foldTelemetry`) and the device falls silent again. The device counts as offline (`online`
 * false) while any offline alarm is raised.
 */
export function offlineCheck(state: DeviceState, rules: readonly AlarmRule[], now: string): { state: DeviceState; events: AlarmEvent[] } {
  const s = structuredClone(state);
  const events: AlarmEvent[] = [];
  const nowMs = ms(now);
  const silent = minutesSilent(s.receivedAt, nowMs);
  for (const rule of rules) {
    if (rule.type !== 'offline' || rule.kind !== s.kind) continue;
    const mem = (s.rules[rule.id] ??= { level: null });
    if (mem.level !== null || (nowMs - ms(s.receivedAt)) / 60_000 < rule.offlineMinutes) continue;
    events.push({ type: 'raise', ruleId: rule.id, level: rule.level, value: silent, at: now });
    mem.level = rule.level;
  }
  if (rules.some((r) => r.type === 'offline' && s.rules[r.id]?.level != null)) s.online = false;
  return { state: s, events };
}

/**
 * Close the running bucket once its period has passed on the platform clock plus `graceSeconds`, for a device
 * that fell silent (otherwise its last bucket waits for its next message). A message that arrives later for that
 * period counts as late.
 */
export function closeDueBucket(state: DeviceState, now: string, graceSeconds = 0): { state: DeviceState; closed: TelemetryAggregate | undefined } {
  const bucket = state.bucket;
  if (bucket === null || ms(now) < ms(bucket.bucketStart) + (bucket.bucketSeconds + graceSeconds) * 1000) return { state, closed: undefined };
  const s = structuredClone(state);
  const closed = closeBucket(s, s.bucket ?? bucket);
  // Start the next period empty, so a message of the closed period counts as late instead of reopening it.
  const next = new Date(ms(bucket.bucketStart) + bucket.bucketSeconds * 1000).toISOString();
  s.bucket = { bucketStart: next, bucketSeconds: bucket.bucketSeconds, metrics: {} };
  return { state: s, closed };
}
